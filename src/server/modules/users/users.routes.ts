import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { Me, SignIn, StaffUser } from '../../../shared/contracts/staff.js'
import { Ok } from '../../../shared/contracts/common.js'
import type { Deps } from '../../deps.js'
import { staffOf } from '../../staff/plugin.js'
import { deleteStaffSession, STAFF_COOKIE } from '../../staff/sessions.js'
import { getWorkspace } from '../workspace/workspace.service.js'
import * as users from './users.service.js'

/** Public: sign in and sign out (no session required). */
export const authRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  app.post(
    '/auth/sign-in',
    { schema: { tags: ['auth'], body: SignIn, response: { 200: Ok } }, config: { rateLimit: { max: 10, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const { token, expiresAt } = await users.signIn(deps, request.body)
      reply.setCookie(STAFF_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: deps.config.secureCookies, expires: expiresAt })
      return { ok: true as const }
    },
  )
  app.post('/auth/sign-out', { schema: { tags: ['auth'], response: { 200: Ok } } }, async (request, reply) => {
    await deleteStaffSession(deps.db, request.cookies[STAFF_COOKIE])
    reply.clearCookie(STAFF_COOKIE, { path: '/' })
    return { ok: true as const }
  })
}

export const userRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  app.get('/me', { schema: { tags: ['auth'], response: { 200: Me } } }, async (request) => {
    const staff = staffOf(request)
    const ws = await getWorkspace(deps, staff)
    return {
      user: { id: staff.userId, name: staff.name, email: staff.email, role: staff.role },
      workspace: { id: ws.id, name: ws.name, slug: ws.slug, logoUrl: ws.logoUrl, brandColor: ws.brandColor },
    }
  })
  app.get('/users', { schema: { tags: ['users'], response: { 200: z.array(StaffUser) } } }, async (request) => users.listStaff(deps, staffOf(request)))
}
