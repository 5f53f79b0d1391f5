// Dropbox `content_hash`: SHA-256 over the concatenated SHA-256 digests of 4 MiB blocks, as lowercase hex.
// https://www.dropbox.com/developers/reference/content-hash — input chunking does not change the result.
import { createHash, type Hash } from 'node:crypto'
import { Transform, type TransformCallback } from 'node:stream'

export const DROPBOX_HASH_BLOCK_SIZE = 4 * 1024 * 1024

/** A streaming hasher: feed any number of chunks of any size, then `digest()` once. */
export class DropboxContentHasher {
  private readonly overall: Hash = createHash('sha256')
  private block: Hash = createHash('sha256')
  private inBlock = 0
  private done = false

  update(data: Uint8Array): this {
    if (this.done) throw new Error('DropboxContentHasher: update() after digest()')
    let pos = 0
    while (pos < data.length) {
      const take = Math.min(DROPBOX_HASH_BLOCK_SIZE - this.inBlock, data.length - pos)
      this.block.update(data.subarray(pos, pos + take))
      this.inBlock += take
      pos += take
      if (this.inBlock === DROPBOX_HASH_BLOCK_SIZE) this.closeBlock()
    }
    return this
  }

  /** Lowercase hex, 64 characters. An empty input has no blocks: the result is SHA-256 of "". */
  digest(): string {
    if (this.done) throw new Error('DropboxContentHasher: digest() called twice')
    if (this.inBlock > 0) this.closeBlock()
    this.done = true
    return this.overall.digest('hex')
  }

  private closeBlock(): void {
    this.overall.update(this.block.digest())
    this.block = createHash('sha256')
    this.inBlock = 0
  }
}

/** The content_hash of bytes already in memory (e.g. the one chunk of an upload request). */
export function dropboxContentHash(data: Uint8Array | readonly Uint8Array[]): string {
  const h = new DropboxContentHasher()
  if (data instanceof Uint8Array) h.update(data)
  else for (const part of data) h.update(part)
  return h.digest()
}

/** A pass-through Transform that hashes what flows through it; read `.digest()` after 'finish'. */
export class ContentHashStream extends Transform {
  private readonly hasher = new DropboxContentHasher()
  private result: string | undefined
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.hasher.update(chunk)
    done(null, chunk)
  }
  override _flush(done: TransformCallback): void {
    this.result = this.hasher.digest()
    done()
  }
  digest(): string {
    if (this.result === undefined) throw new Error('ContentHashStream: the stream has not ended yet')
    return this.result
  }
}
