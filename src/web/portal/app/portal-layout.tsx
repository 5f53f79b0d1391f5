// The portal shell for a client (/portal/…) and for a staff Preview (/portal/preview/:companyId/…):
// loads /me, brands the page, and renders the header and the current page. Any 401 — now or on a
// later request — ends the session on screen.
import { useCallback, useEffect, useMemo, useState } from 'react'
import { Outlet, ScrollRestoration, useLocation, useNavigate, useParams } from 'react-router'
import { ApiError } from '../../shared/api-client.js'
import { useResource } from '../../shared/use-resource.js'
import { createPortalApi, portalApiBase, type PortalMe } from '../api.js'
import { recallBrand, rememberBrand, useBrand } from './brand.js'
import { PortalHeader, PreviewBanner } from './portal-header.js'
import { PortalContext, portalPaths, type PortalContextValue } from './portal-context.js'
import { rememberReturnTo, takeReturnTo } from './return-to.js'
import { BrandShell, LoadFailed, PageSkeleton, SessionEndedPage } from './session-pages.js'
import './portal.css'

export function PortalLayout() {
  const { companyId } = useParams()
  const preview = companyId !== undefined
  const { pathname } = useLocation()
  const navigate = useNavigate()
  const [ended, setEnded] = useState(false)
  const onUnauthorized = useCallback(() => setEnded(true), [])
  const apiBase = portalApiBase(companyId)
  const api = useMemo(() => createPortalApi(apiBase, onUnauthorized), [apiBase, onUnauthorized])
  const me = useResource((signal) => api.get<PortalMe>('/me', { signal }), [api])
  const signedOut = ended || (me.error instanceof ApiError && me.error.status === 401)
  const brand = me.data?.workspace ?? (preview ? undefined : recallBrand())
  useBrand(brand?.brandColor)

  useEffect(() => {
    if (preview) return
    if (me.data) {
      rememberBrand(me.data.workspace)
      const next = pathname === '/' ? takeReturnTo() : undefined
      if (next) void navigate(next, { replace: true })
    } else if (signedOut) {
      rememberReturnTo(pathname)
    }
  }, [preview, me.data, signedOut, pathname, navigate])

  const context = useMemo<PortalContextValue | null>(
    () => (me.data ? { me: me.data, api, apiBase, preview: me.data.preview || preview, paths: portalPaths(companyId) } : null),
    [me.data, api, apiBase, preview, companyId],
  )

  if (signedOut) return <SessionEndedPage brand={brand} preview={preview} />
  if (!context) {
    return <BrandShell brand={brand}>{me.error ? <LoadFailed error={me.error} onRetry={me.reload} /> : <PageSkeleton />}</BrandShell>
  }
  return (
    <PortalContext.Provider value={context}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      {context.preview && <PreviewBanner companyName={context.me.company.name} companyId={companyId} />}
      <PortalHeader />
      <main className="portal-main" id="main" tabIndex={-1}>
        <Outlet />
      </main>
      <ScrollRestoration />
    </PortalContext.Provider>
  )
}
