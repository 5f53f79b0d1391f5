// What the client reads: home, a record's detail, and file downloads. Data only through scope.ts.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { IdParams } from '../../shared/contracts/common.js'
import { PortalFile, PortalHome, PortalRecordDetail } from '../../shared/contracts/portal.js'
import { discardRest, failOnTruncation } from '../http/upload.js'
import { MAX_UPLOAD_BYTES } from '../storage/upload-rules.js'
import { AppError } from '../errors.js'
import type { Deps } from '../deps.js'
import { sendAttachment } from '../http/download.js'
import { recordDownload } from './access/access.service.js'
import { requestMeta } from './cookies.js'
import { clientOf, principalOf } from './plugin.js'
import { createViewCache, sendView } from './view-cache.js'
import * as scope from './scope.js'

export const portalRecordRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['portal']
  const views = createViewCache({ enabled: deps.config.portal.viewCache })
  app.get('/home', { schema: { tags, response: { 200: PortalHome } } }, async (request, reply) => {
    const p = principalOf(request)
    return sendView(request, reply, await views.render(p, 'home', PortalHome, () => scope.getHome(deps, p)))
  })
  app.get('/records/:id', { schema: { tags, params: IdParams, response: { 200: PortalRecordDetail } } }, async (request, reply) => {
    const p = principalOf(request)
    const id = request.params.id
    return sendView(request, reply, await views.render(p, `record:${id}`, PortalRecordDetail, () => scope.getRecord(deps, p, id)))
  })
  // The body is a byte stream, so its "schema" only documents it; the onRoute guard still sees one.
  app.get('/files/:id/download', { schema: { tags, params: IdParams, response: { 200: z.any().describe('the file, as an attachment') } } }, async (request, reply) => {
    const principal = principalOf(request)
    const { file, stored } = await scope.openFile(deps, principal, request.params.id)
    if (principal.kind === 'client') await recordDownload(deps, principal, file.name, requestMeta(request))
    if (stored.redirect !== undefined) return reply.header('cache-control', 'no-store').redirect(stored.redirect, 302)
    return sendAttachment(reply, file, stored.stream)
  })
  app.post(
    '/records/:id/files',
    { schema: { tags, params: IdParams, consumes: ['multipart/form-data'], response: { 201: PortalFile } } },
    async (request, reply) => {
      const client = clientOf(request)
      const part = await request.file()
      if (!part) throw new AppError('VALIDATION', 'file: choose a file to upload', 'file')
      const upload = { filename: part.filename, stream: failOnTruncation(part.file, MAX_UPLOAD_BYTES) }
      try {
        return reply.status(201).send(await scope.uploadClientFile(deps, client, request.params.id, upload, requestMeta(request)))
      } catch (err) {
        // Answer now, and keep reading (and dropping) the rest so a browser still sending sees the answer.
        void discardRest(request.raw, MAX_UPLOAD_BYTES + 1024 * 1024)
        throw err
      }
    },
  )
}
