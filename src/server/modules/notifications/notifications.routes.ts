import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { EmailPreview } from '../../../shared/contracts/staff.js'
import type { Deps } from '../../deps.js'
import { staffOf } from '../../staff/plugin.js'
import { getWorkspace } from '../workspace/workspace.service.js'
import { emailPreviews } from './previews.js'

export const notificationRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  app.get('/notifications/previews', { schema: { tags: ['notifications'], response: { 200: z.array(EmailPreview) } } }, async (request) => {
    const staff = staffOf(request)
    return emailPreviews(await getWorkspace(deps, staff), deps.config.baseUrl, staff.name)
  })
}
