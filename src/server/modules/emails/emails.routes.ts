import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { IdParams } from '../../../shared/contracts/common.js'
import { EmailDetail, EmailSummary } from '../../../shared/contracts/staff.js'
import type { Deps } from '../../deps.js'
import { staffOf } from '../../staff/plugin.js'
import * as emails from './emails.service.js'

export const emailRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['email']
  app.get('/emails', { schema: { tags, response: { 200: z.array(EmailSummary) } } }, async (request) => emails.listEmails(deps, staffOf(request)))
  app.get('/emails/:id', { schema: { tags, params: IdParams, response: { 200: EmailDetail } } }, async (request) =>
    emails.getEmail(deps, staffOf(request), request.params.id),
  )
}
