import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { IdParams } from '../../../shared/contracts/common.js'
import { Comment, CreateComment } from '../../../shared/contracts/staff.js'
import type { Deps } from '../../deps.js'
import { staffOf } from '../../staff/plugin.js'
import * as comments from './comments.service.js'

export const commentRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['comments']
  app.get('/records/:id/comments', { schema: { tags, params: IdParams, response: { 200: z.array(Comment) } } }, async (request) =>
    comments.listComments(deps, staffOf(request), request.params.id),
  )
  app.post('/records/:id/comments', { schema: { tags, params: IdParams, body: CreateComment, response: { 201: Comment } } }, async (request, reply) =>
    reply.status(201).send(await comments.postStaffComment(deps, staffOf(request), request.params.id, request.body.body)),
  )
}
