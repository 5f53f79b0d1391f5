// Staff web app entry (/app).
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { RouterProvider } from 'react-router/dom'
import '../shared/ui/base.css'
import { router } from './router.js'
import { setUnauthorizedHandler } from './api.js'

setUnauthorizedHandler(() => {
  const here = window.location.pathname.replace(/^\/app/, '') + window.location.search
  if (here.startsWith('/sign-in')) return
  void router.navigate(`/sign-in?next=${encodeURIComponent(here || '/companies')}`, { replace: true })
})

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <RouterProvider router={router} />
  </StrictMode>,
)
