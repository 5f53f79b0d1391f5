// A client's conversation and email preferences: post a comment, opt in, change or stop emails.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { IdParams } from '../../shared/contracts/common.js'
import { PortalComment, PortalPreferences, PostPortalComment, UpdatePortalPreferences } from '../../shared/contracts/portal.js'
import type { Deps } from '../deps.js'
import { portalCookieName, requestMeta } from './cookies.js'
import { getPreferences, setPreferences } from './notifications/subscriptions.service.js'
import { clientOf } from './plugin.js'
import * as scope from './scope.js'

export const portalNotificationRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['portal']
  // Per session (or IP): a client cannot flood a thread or a mailbox.
  const perSession = (max: number) => ({
    rateLimit: { max, timeWindow: '1 minute', keyGenerator: (r: { cookies: Record<string, string | undefined>; ip: string }) => r.cookies[portalCookieName(deps.config)] ?? r.ip },
  })
  app.post(
    '/records/:id/comments',
    { config: perSession(20), schema: { tags, params: IdParams, body: PostPortalComment, response: { 201: PortalComment } } },
    async (request, reply) => reply.status(201).send(await scope.postComment(deps, clientOf(request), request.params.id, request.body.body, requestMeta(request))),
  )
  app.get('/notifications', { schema: { tags, response: { 200: PortalPreferences } } }, async (request) => getPreferences(deps, clientOf(request)))
  app.put('/notifications', { config: perSession(10), schema: { tags, body: UpdatePortalPreferences, response: { 200: PortalPreferences } } }, async (request) =>
    setPreferences(deps, clientOf(request), request.body, requestMeta(request)),
  )
}
