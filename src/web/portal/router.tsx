// Every portal page and its URL under /portal. A staff Preview mirrors the client's pages under
// /portal/preview/:companyId.
import { createBrowserRouter, type RouteObject } from 'react-router'
import { NotFoundCard } from './app/not-found.js'
import { PortalLayout } from './app/portal-layout.js'
import { SignedOutPage } from './app/session-pages.js'
import { HomePage } from './features/home/home-page.js'
import { RecordPage } from './features/record/record-page.js'

const pages: RouteObject[] = [
  { index: true, element: <HomePage /> },
  { path: 'records/:id', element: <RecordPage /> },
  { path: '*', element: <NotFoundCard /> },
]

export const router = createBrowserRouter(
  [
    { path: '/signed-out', element: <SignedOutPage /> },
    { path: '/preview/:companyId', element: <PortalLayout />, children: pages },
    { path: '/', element: <PortalLayout />, children: pages },
  ],
  { basename: '/portal' },
)
