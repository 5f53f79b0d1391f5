// Every staff page and its URL under /app.
import { createBrowserRouter, Navigate } from 'react-router'
import { SignInPage } from './features/auth/sign-in-page.js'
import { AppLayout } from './features/layout/app-layout.js'
import { NotFoundPage } from './features/layout/not-found-page.js'
import { CompaniesPage } from './features/companies/companies-page.js'
import { CompanyPage } from './features/companies/company-page.js'
import { RecordPage } from './features/records/record-page.js'
import { SettingsLayout } from './features/settings/settings-layout.js'
import { SETTINGS_SECTIONS } from './features/settings/settings-sections.js'

export const router = createBrowserRouter(
  [
    { path: '/sign-in', element: <SignInPage /> },
    {
      path: '/',
      element: <AppLayout />,
      children: [
        { index: true, element: <Navigate to="/companies" replace /> },
        { path: 'companies', element: <CompaniesPage /> },
        { path: 'companies/:id', element: <CompanyPage /> },
        { path: 'records/:id', element: <RecordPage /> },
        {
          path: 'settings',
          element: <SettingsLayout />,
          children: [
            { index: true, element: <Navigate to={SETTINGS_SECTIONS[0]!.path} replace /> },
            ...SETTINGS_SECTIONS.flatMap((section) => section.routes),
          ],
        },
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ],
  { basename: '/app' },
)
