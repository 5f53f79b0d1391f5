import { NavLink, Outlet } from 'react-router'
import { SETTINGS_SECTIONS } from './settings-sections.js'
import './settings.css'

export function SettingsLayout() {
  return (
    <>
      <h1>Settings</h1>
      <div className="settings-layout">
        <nav aria-label="Settings" className="settings-nav">
          <ul className="plain">
            {SETTINGS_SECTIONS.map((section) => (
              <li key={section.path}>
                <NavLink to={`/settings/${section.path}`}>{section.label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="settings-content stack">
          <Outlet />
        </div>
      </div>
    </>
  )
}
