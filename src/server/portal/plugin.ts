// Choke point 1. Every /api/portal/* route lives inside this encapsulated context, whose onRequest hook
// turns the portal cookie into request.portal, or answers 401. A route without a response schema
// refuses to register, because the schema is the allow-list of what a client may receive.
import type { FastifyPluginAsync } from 'fastify'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { resolveSession, type ClientPrincipal } from './access/access.service.js'
import { portalCookieName } from './cookies.js'

declare module 'fastify' {
  interface FastifyRequest {
    portal: ClientPrincipal | null
  }
}

export const portalPlugin: FastifyPluginAsync<{ deps: Deps; routes: FastifyPluginAsync<{ deps: Deps }>[] }> = async (app, { deps, routes }) => {
  app.addHook('onRoute', (route) => {
    if (route.method !== 'HEAD' && !route.schema?.response) throw new Error(`portal route ${route.method} ${route.url} has no response schema`)
  })
  app.decorateRequest('portal', null)
  app.addHook('onRequest', async (request, reply) => {
    reply.header('cache-control', 'private, no-store')
    const principal = await resolveSession(deps, request.cookies[portalCookieName(deps.config)])
    if (!principal) throw new AppError('UNAUTHENTICATED', 'Your portal session has ended. Open the link from your email to sign in again.')
    request.portal = principal
  })
  for (const plugin of routes) await app.register(plugin, { deps })
}

export function portalOf(request: { portal: ClientPrincipal | null }): ClientPrincipal {
  if (!request.portal) throw new AppError('UNAUTHENTICATED', 'Your portal session has ended. Open the link from your email to sign in again.')
  return request.portal
}
