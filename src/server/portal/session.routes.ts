// The signed-in client's own session: who am I, and sign out.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { Ok } from '../../shared/contracts/common.js'
import { PortalMe } from '../../shared/contracts/portal.js'
import type { Deps } from '../deps.js'
import { signOut } from './access/access.service.js'
import { clearPortalCookie, requestMeta } from './cookies.js'
import { clientOf, principalOf } from './plugin.js'
import { describePrincipal } from './scope.js'

export const portalSessionRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  app.get('/me', { schema: { tags: ['portal'], response: { 200: PortalMe } } }, async (request) => describePrincipal(deps, principalOf(request)))
  app.post('/sign-out', { schema: { tags: ['portal'], response: { 200: Ok } } }, async (request, reply) => {
    await signOut(deps, clientOf(request), requestMeta(request))
    clearPortalCookie(reply, deps.config)
    reply.header('clear-site-data', '"cookies", "storage"')
    return { ok: true as const }
  })
}
