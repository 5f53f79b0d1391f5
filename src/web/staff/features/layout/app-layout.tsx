// The signed-in shell: loads /me, brands the page, and renders the header, nav and the current page.
import { useMemo } from 'react'
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router'
import type { Me } from '../../../../shared/contracts/staff.js'
import { api } from '../../api.js'
import { useResource } from '../../../shared/use-resource.js'
import { Loading } from '../../../shared/ui/loading.js'
import { MeContext } from '../auth/me-context.js'
import { useBrandColor } from './use-brand.js'
import './layout.css'

/** The main nav; `also` lists other paths that belong to an item (a record lives under its company). */
const NAV = [
  { to: '/companies', label: 'Companies', also: ['/records'] },
  { to: '/settings', label: 'Settings', also: [] },
]

export function AppLayout() {
  const me = useResource((signal) => api.get<Me>('/me', { signal }), [])
  useBrandColor(me.data?.workspace.brandColor)
  const context = useMemo(() => (me.data ? { me: me.data, refreshMe: me.reload } : null), [me.data, me.reload])

  if (!context) return <main className="page"><Loading error={me.error} /></main>
  return (
    <MeContext.Provider value={context}>
      <Header me={context.me} />
      <main className="page" id="main">
        <Outlet />
      </main>
    </MeContext.Provider>
  )
}

function Header({ me }: { me: Me }) {
  const navigate = useNavigate()
  const { pathname } = useLocation()
  async function signOut() {
    try {
      await api.post('/auth/sign-out', {}, { skipAuthRedirect: true })
    } finally {
      navigate('/sign-in', { replace: true })
    }
  }
  return (
    <header className="app-header">
      <div className="app-header-inner">
        <NavLink to="/companies" className="brand">
          {me.workspace.logoUrl ? <img src={me.workspace.logoUrl} alt="" className="brand-logo" /> : <span className="brand-mark" aria-hidden="true">{me.workspace.name.slice(0, 1)}</span>}
          <span className="brand-name">{me.workspace.name}</span>
        </NavLink>
        <nav aria-label="Main" className="main-nav">
          {NAV.map((item) => (
            <NavLink key={item.to} to={item.to} className={({ isActive }) => (isActive || item.also.some((p) => pathname.startsWith(p)) ? 'active' : '')}>
              {item.label}
            </NavLink>
          ))}
        </nav>
        <div className="user-menu">
          <span className="user-name" title={me.user.email}>
            {me.user.name}
          </span>
          <button type="button" className="small" onClick={signOut}>
            Sign out
          </button>
        </div>
      </div>
    </header>
  )
}
