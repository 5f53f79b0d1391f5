// Admin → Settings → Storage: which storage the workspace uses, Dropbox connect/disconnect, and the
// folder browser of the Share dialog.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { Ok } from '../../shared/contracts/common.js'
import { ConnectDropbox, FolderQuery, OAuthCallback, StorageFolder, StorageStatus } from '../../shared/contracts/portal-admin.js'
import type { Deps } from '../deps.js'
import { staffOf } from '../staff/plugin.js'
import { requireAdmin } from '../staff/principal.js'
import { disconnectDropbox, finishDropboxConnect, startDropboxConnect, storageStatus } from './dropbox-connection.js'
import { storageFor } from './workspace-storage.js'

export const storageRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['storage']
  app.get('/storage', { schema: { tags, response: { 200: StorageStatus } } }, async (request) => storageStatus(deps, staffOf(request).workspaceId))
  app.get('/storage/folders', { schema: { tags, querystring: FolderQuery, response: { 200: z.array(StorageFolder) } } }, async (request) =>
    (await storageFor(deps, staffOf(request).workspaceId)).listFolders(request.query.path ?? ''),
  )
  app.post('/storage/dropbox/connect', { schema: { tags, response: { 200: ConnectDropbox } } }, async (request) => {
    const staff = staffOf(request)
    requireAdmin(staff)
    return { authorizeUrl: await startDropboxConnect(deps, staff.workspaceId, staff.userId) }
  })
  // Dropbox sends the admin's browser back here; the state binds it to the admin who started it.
  app.get('/storage/dropbox/callback', { schema: { tags, querystring: OAuthCallback } }, async (request, reply) => {
    const staff = staffOf(request)
    requireAdmin(staff)
    const { code, state, error } = request.query
    if (error || !code || !state) return reply.redirect('/app/settings/storage?dropbox=cancelled')
    try {
      await finishDropboxConnect(deps, staff.workspaceId, staff.userId, { code, state })
      return reply.redirect('/app/settings/storage?dropbox=connected')
    } catch (err) {
      request.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'dropbox connect failed')
      return reply.redirect('/app/settings/storage?dropbox=failed')
    }
  })
  app.post('/storage/dropbox/disconnect', { schema: { tags, response: { 200: Ok } } }, async (request) => {
    const staff = staffOf(request)
    requireAdmin(staff)
    await disconnectDropbox(deps, staff.workspaceId)
    return { ok: true as const }
  })
}
