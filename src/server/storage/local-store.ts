// The embedded default: a folder on disk. Every key is resolved inside the root, or refused.
import { createReadStream, createWriteStream } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { randomUUID } from 'node:crypto'
import { AppError } from '../errors.js'
import type { FileStore } from './file-store.js'

export class TooLargeError extends AppError {
  constructor(maxBytes: number) {
    super('PAYLOAD_TOO_LARGE', `Files may be at most ${Math.round(maxBytes / 1024 / 1024)} MB`)
  }
}

export function createLocalStore(root: string): FileStore {
  const resolve = (key: string): string => {
    const full = path.resolve(root, key)
    if (!full.startsWith(path.resolve(root) + path.sep)) throw new AppError('VALIDATION', 'Invalid storage key')
    return full
  }
  return {
    provider: 'local',
    async put(key, body, options = {}) {
      const full = resolve(key)
      await fs.mkdir(path.dirname(full), { recursive: true })
      // Write to a temporary name and rename at the end, so a failed upload leaves no partial file.
      const tmp = `${full}.${randomUUID()}.part`
      let size = 0
      const counter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length
          if (options.maxBytes !== undefined && size > options.maxBytes) return done(new TooLargeError(options.maxBytes))
          done(null, chunk)
        },
      })
      const out = createWriteStream(tmp, { highWaterMark: 1024 * 1024 })
      try {
        await pipeline(body, counter, out)
        await fs.rename(tmp, full)
        return { size }
      } catch (err) {
        // A body that fails at once can fail before the temporary file is even open: wait until the
        // write stream has opened and closed it, or the file would appear after the rm below.
        if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()))
        await fs.rm(tmp, { force: true })
        throw err
      }
    },
    async get(key) {
      const full = resolve(key)
      try {
        await fs.access(full)
      } catch {
        throw new AppError('NOT_FOUND', 'File not found in storage')
      }
      return createReadStream(full) as Readable
    },
    async delete(key) {
      await fs.rm(resolve(key), { force: true })
    },
  }
}
