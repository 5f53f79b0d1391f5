// How an uploaded file enters us: the multipart part as a stream that fails at the size limit.
import type { IncomingMessage } from 'node:http'
import type { Readable } from 'node:stream'
import { AppError } from '../errors.js'

/**
 * busboy does not fail a file that passes `limits.fileSize`: it cuts it off, sets `truncated`, emits
 * 'limit' and ends the stream as if the file were complete, so a 50 MB + 1 byte upload would be kept
 * as its first 50 MB. Turn the cut into a stream error, so whoever consumes the stream (the storage
 * provider) rejects and removes what it wrote, and the caller records nothing (invariant 7).
 * busboy may already have cut the file before the handler sees the part (one large chunk is parsed at
 * once), so check `truncated` now as well as listening for 'limit'.
 */
export function failOnTruncation(file: Readable & { truncated?: boolean }, maxBytes: number): Readable {
  const fail = () => file.destroy(new AppError('PAYLOAD_TOO_LARGE', `Files may be at most ${Math.round(maxBytes / 1024 / 1024)} MB`))
  if (file.truncated) fail()
  else file.once('limit', fail)
  return file
}

/**
 * After an upload is refused mid-stream (wrong content, too large), keep reading and discarding the
 * rest of the request: browsers read the answer only once they have sent the whole body, and nothing
 * reads a request whose parser gave up, so the upload would hang. Nothing is kept. A body far past
 * the limit is cut off instead, closing the connection.
 */
export async function discardRest(raw: IncomingMessage, maxBytes: number): Promise<void> {
  if (raw.complete || raw.destroyed) return
  raw.unpipe()
  let seen = 0
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer)
      resolve()
    }
    const timer = setTimeout(() => (raw.destroy(), done()), 30_000)
    raw.on('data', (chunk: Buffer) => {
      seen += chunk.length
      if (seen > maxBytes) {
        raw.destroy()
        done()
      }
    })
    raw.once('end', done)
    raw.once('close', done)
    raw.resume()
  })
}
