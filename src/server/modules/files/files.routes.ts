import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { IdParams, Ok } from '../../../shared/contracts/common.js'
import { FileInfo } from '../../../shared/contracts/staff.js'
import type { Deps } from '../../deps.js'
import { sendAttachment } from '../../http/download.js'
import { failOnTruncation } from '../../http/upload.js'
import { staffOf } from '../../staff/plugin.js'
import * as files from './files.service.js'

export const fileRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['files']
  app.get('/records/:id/files', { schema: { tags, params: IdParams, response: { 200: z.array(FileInfo) } } }, async (request) =>
    files.listFiles(deps, staffOf(request), request.params.id),
  )
  app.post('/records/:id/files', { schema: { tags, params: IdParams, consumes: ['multipart/form-data'], response: { 201: FileInfo } } }, async (request, reply) => {
    const part = files.requireFilePart(await request.file())
    const info = await files.uploadFile(deps, staffOf(request), request.params.id, { filename: part.filename, mimetype: part.mimetype, stream: failOnTruncation(part.file, files.MAX_FILE_BYTES) })
    return reply.status(201).send(info)
  })
  app.get('/files/:id/download', { schema: { tags, params: IdParams } }, async (request, reply) => {
    const { file, stored } = await files.openFile(deps, staffOf(request), request.params.id)
    if (stored.redirect !== undefined) return reply.header('cache-control', 'no-store').redirect(stored.redirect, 302)
    return sendAttachment(reply, file, stored.stream)
  })
  app.delete('/files/:id', { schema: { tags, params: IdParams, response: { 200: Ok } } }, async (request) => {
    await files.deleteFile(deps, staffOf(request), request.params.id)
    return { ok: true as const }
  })
}
