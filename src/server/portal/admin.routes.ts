// Staff-side portal routes (inside the staff context): Settings → Portal and the Share portal dialog.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { IdParams, Ok } from '../../shared/contracts/common.js'
import { PortalShareInfo, PortalTypeSettings, ResharePortal, SharePortal, UpdatePortalTypeSettings } from '../../shared/contracts/portal-admin.js'
import type { Deps } from '../deps.js'
import { staffOf } from '../staff/plugin.js'
import { getShareInfo, resharePortal, revokePortal, sharePortal } from './access/access.service.js'
import { requestMeta } from './cookies.js'
import { getPortalSettings, updatePortalTypeSettings } from './settings.service.js'

export const portalAdminRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['portal admin']
  app.get('/portal/settings', { schema: { tags, response: { 200: z.array(PortalTypeSettings) } } }, async (request) => getPortalSettings(deps, staffOf(request)))
  app.patch('/portal/settings/:id', { schema: { tags, params: IdParams, body: UpdatePortalTypeSettings, response: { 200: PortalTypeSettings } } }, async (request) =>
    updatePortalTypeSettings(deps, staffOf(request), request.params.id, request.body),
  )
  app.get('/companies/:id/portal', { schema: { tags, params: IdParams, response: { 200: PortalShareInfo } } }, async (request) =>
    getShareInfo(deps, staffOf(request), request.params.id),
  )
  app.post('/companies/:id/portal/share', { schema: { tags, params: IdParams, body: SharePortal, response: { 200: PortalShareInfo } } }, async (request) => {
    await sharePortal(deps, staffOf(request), request.params.id, request.body, requestMeta(request))
    return getShareInfo(deps, staffOf(request), request.params.id)
  })
  app.post('/portal/grants/:id/reshare', { schema: { tags, params: IdParams, body: ResharePortal, response: { 200: Ok } } }, async (request) => {
    await resharePortal(deps, staffOf(request), request.params.id, request.body.expiresInDays, requestMeta(request))
    return { ok: true as const }
  })
  app.post('/portal/grants/:id/revoke', { schema: { tags, params: IdParams, response: { 200: Ok } } }, async (request) => {
    await revokePortal(deps, staffOf(request), request.params.id, requestMeta(request))
    return { ok: true as const }
  })
}
