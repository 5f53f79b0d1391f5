// Choke point 1. Every portal API route lives inside this encapsulated context, whose onRequest hook
// resolves the PortalPrincipal (a client's session, or a staff Preview of one company) or answers 401.
// A route without a response schema refuses to register: the schema is the allow-list of what a
// client may receive.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { findStaffSession, STAFF_COOKIE } from '../staff/sessions.js'
import { createSessionResolver, type ClientPrincipal } from './access/access.service.js'
import { portalCookieName } from './cookies.js'
import { resolvePreview, type PortalPrincipal } from './scope.js'

declare module 'fastify' {
  interface FastifyRequest {
    portal: PortalPrincipal | null
  }
}

const SESSION_ENDED = 'Your portal session has ended. Open the link from your email to sign in again.'
type Resolve = (request: FastifyRequest) => Promise<PortalPrincipal | undefined>

/** A client: the portal session cookie. */
export function clientResolver(deps: Deps): Resolve {
  const resolveSession = createSessionResolver(deps)
  return (request) => resolveSession(request.cookies[portalCookieName(deps.config)])
}

/** Staff Preview of /api/portal-preview/:companyId/…: a staff session, and a company of its workspace. */
export const previewResolver = (deps: Deps): Resolve => async (request) => {
  const staff = await findStaffSession(deps.db, deps.clock(), request.cookies[STAFF_COOKIE])
  const { companyId } = (request.params ?? {}) as { companyId?: string }
  return staff && companyId ? resolvePreview(deps, staff, companyId) : undefined
}

export const portalPlugin: FastifyPluginAsync<{ deps: Deps; resolve: Resolve; routes: FastifyPluginAsync<{ deps: Deps }>[] }> = async (app, { deps, resolve, routes }) => {
  app.addHook('onRoute', (route) => {
    if (route.method !== 'HEAD' && !route.schema?.response) throw new Error(`portal route ${route.method} ${route.url} has no response schema`)
  })
  app.decorateRequest('portal', null)
  app.addHook('onRequest', async (request, reply) => {
    reply.header('cache-control', 'private, no-store')
    const principal = await resolve(request)
    if (!principal) throw new AppError('UNAUTHENTICATED', SESSION_ENDED)
    request.portal = principal
  })
  for (const plugin of routes) await app.register(plugin, { deps })
}

export function principalOf(request: { portal: PortalPrincipal | null }): PortalPrincipal {
  if (!request.portal) throw new AppError('UNAUTHENTICATED', SESSION_ENDED)
  return request.portal
}

/** For actions only a real client may take: a staff Preview stays read-only. */
export function clientOf(request: { portal: PortalPrincipal | null }): ClientPrincipal {
  const p = principalOf(request)
  if (p.kind !== 'client') throw new AppError('FORBIDDEN', 'Preview is read-only')
  return p
}
