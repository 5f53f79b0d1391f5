// Choke point for staff: every /api/v1 route registered inside this context requires a staff session.
import type { FastifyPluginAsync } from 'fastify'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import type { StaffPrincipal } from './principal.js'
import { findStaffSession, STAFF_COOKIE } from './sessions.js'

declare module 'fastify' {
  interface FastifyRequest {
    staff: StaffPrincipal | null
  }
}

export const staffPlugin: FastifyPluginAsync<{ deps: Deps; routes: FastifyPluginAsync<{ deps: Deps }>[] }> = async (app, { deps, routes }) => {
  app.decorateRequest('staff', null)
  app.addHook('onRequest', async (request) => {
    const staff = await findStaffSession(deps.db, deps.clock(), request.cookies[STAFF_COOKIE])
    if (!staff) throw new AppError('UNAUTHENTICATED', 'Please sign in')
    request.staff = staff
  })
  for (const plugin of routes) await app.register(plugin, { deps })
}

/** The principal of a request inside the staff context (the hook guarantees it is set). */
export function staffOf(request: { staff: StaffPrincipal | null }): StaffPrincipal {
  if (!request.staff) throw new AppError('UNAUTHENTICATED', 'Please sign in')
  return request.staff
}
