// Where file bytes live: the workspace's connected storage, never our database.
import path from 'node:path'
import type { Readable } from 'node:stream'

export interface PutResult {
  size: number
}

export interface FileStore {
  readonly provider: string
  /** Streams `body` to `key`. Rejects (and keeps nothing) if the stream errors or passes `maxBytes`. */
  put(key: string, body: Readable, options?: { maxBytes?: number }): Promise<PutResult>
  /** Streams the bytes back; rejects with AppError NOT_FOUND when there is nothing at `key`. */
  get(key: string): Promise<Readable>
  delete(key: string): Promise<void>
}

/** A file or folder name that is safe everywhere: no separators, no `..`, no control characters, ≤ 100 chars. */
export function safeName(name: string, fallback = 'file'): string {
  const base = path.posix.basename(name.replaceAll('\\', '/'))
  let clean = base
    .normalize('NFKC')
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*]/g, '')
    .replace(/\s+/g, ' ')
    .replace(/^[.\- ]+/, '')
    .trim()
  if (clean.length > 100) {
    const ext = path.extname(clean).slice(0, 10)
    clean = clean.slice(0, 100 - ext.length) + ext
  }
  return clean === '' || clean === '.' || clean === '..' ? fallback : clean
}
