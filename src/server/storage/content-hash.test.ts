import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { Writable } from 'node:stream'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ContentHashStream, DROPBOX_HASH_BLOCK_SIZE, DropboxContentHasher, dropboxContentHash } from './content-hash.js'

const MiB = 1024 * 1024

// Vectors from /work/shared/dropbox-contract.md §10.
const VECTORS: Array<[string, Buffer, string]> = [
  ['empty', Buffer.alloc(0), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ['"hello"', Buffer.from('hello'), '9595c9df90075148eb06860365df33584b75bff782a510c6cd4883a419833d50'],
  ['4 MiB of zeros', Buffer.alloc(4 * MiB), 'c7e946d101855255d919ef0c70718633adf77d3dfb3adeeecf5d0cb4e951be58'],
  ['4 MiB + 1 of zeros', Buffer.alloc(4 * MiB + 1), '14a4d47f23a30177885d9820122f17d2d3a55fe63f7f5c27b95f689e0b2accd6'],
]

describe('Dropbox content_hash', () => {
  it('uses 4 MiB blocks', () => {
    expect(DROPBOX_HASH_BLOCK_SIZE).toBe(4_194_304)
  })

  it.each(VECTORS)('matches the contract vector for %s', (_name, bytes, expected) => {
    expect(dropboxContentHash(bytes)).toBe(expected)
  })

  it('is not plain SHA-256 for non-empty input', () => {
    expect(dropboxContentHash(Buffer.from('hello'))).not.toBe(createHash('sha256').update('hello').digest('hex'))
  })

  it('gives the same result however the input is chunked (byte by byte across a block boundary)', () => {
    const bytes = Buffer.alloc(4 * MiB + 1)
    const h = new DropboxContentHasher()
    // Big first piece ending 3 bytes before the boundary, then single bytes over it.
    h.update(bytes.subarray(0, 4 * MiB - 3))
    for (let i = 4 * MiB - 3; i < bytes.length; i++) h.update(bytes.subarray(i, i + 1))
    expect(h.digest()).toBe(VECTORS[3]![2])
  })

  it('is independent of chunk boundaries (property)', () => {
    // Small block-size-independent check on random data and random split points.
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 5000 }), fc.array(fc.nat(5000), { maxLength: 6 }), (data, cuts) => {
        const bytes = Buffer.from(data)
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
        const parts: Buffer[] = []
        let prev = 0
        for (const p of points) {
          parts.push(bytes.subarray(prev, p))
          prev = p
        }
        parts.push(bytes.subarray(prev))
        return dropboxContentHash(parts) === dropboxContentHash(bytes)
      }),
      { numRuns: 200 },
    )
  })

  it('hashes a stream passing through ContentHashStream without changing it', async () => {
    const bytes = Buffer.alloc(4 * MiB + 1)
    const hs = new ContentHashStream()
    let seen = 0
    const sink = new Writable({
      write(chunk: Buffer, _e, cb) {
        seen += chunk.length
        cb()
      },
    })
    expect(() => hs.digest()).toThrow(/not ended/)
    await pipeline(Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]), hs, sink)
    expect(seen).toBe(bytes.length)
    expect(hs.digest()).toBe(VECTORS[3]![2])
  })

  it('refuses to be reused after digest()', () => {
    const h = new DropboxContentHasher()
    h.digest()
    expect(() => h.update(Buffer.from('x'))).toThrow()
    expect(() => h.digest()).toThrow()
  })
})
