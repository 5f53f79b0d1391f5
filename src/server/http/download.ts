// How any file leaves us: as an attachment, never rendered by the browser in our origin.
import type { FastifyReply } from 'fastify'
import type { Readable } from 'node:stream'

const asciiFallback = (name: string) => name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')

export function sendAttachment(reply: FastifyReply, file: { name: string; size: number }, stream: Readable) {
  return reply
    .header('content-type', 'application/octet-stream')
    .header('content-length', String(file.size))
    .header('content-disposition', `attachment; filename="${asciiFallback(file.name)}"; filename*=UTF-8''${encodeURIComponent(file.name)}`)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', 'sandbox')
    .header('cache-control', 'private, no-store')
    .send(stream)
}
