import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { UpdateWorkspace, Workspace } from '../../../shared/contracts/staff.js'
import type { Deps } from '../../deps.js'
import { staffOf } from '../../staff/plugin.js'
import * as workspace from './workspace.service.js'

export const workspaceRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  app.get('/workspace', { schema: { tags: ['workspace'], response: { 200: Workspace } } }, async (request) => workspace.getWorkspace(deps, staffOf(request)))
  app.patch('/workspace', { schema: { tags: ['workspace'], body: UpdateWorkspace, response: { 200: Workspace } } }, async (request) =>
    workspace.updateWorkspace(deps, staffOf(request), request.body),
  )
}
