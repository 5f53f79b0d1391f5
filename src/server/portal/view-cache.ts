// The rendered portal view, cached per grant (or staff preview) and page. An entry is valid only while
// the workspace and company versions — read from the database in the same query that validates the
// session — are unchanged, and every change a client could see bumps one of them in its own
// transaction (src/server/db/versions.ts). So a hit is never stale, on any instance, and never
// another client's: the key holds the grant. PORTAL_CACHE=off renders every request afresh.
import { createHash } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import { writerFor } from '../http/serializer.js'
import type { PortalPrincipal } from './scope.js'

export interface View {
  /** Bytes, not a string: a string would be re-encoded (and garbage-collected) on every send. */
  body: Buffer
  etag: string
}

interface Entry extends View {
  version: string
}

export interface ViewCache {
  render(p: PortalPrincipal, page: string, schema: z.ZodType, build: () => Promise<unknown>): Promise<View>
}

export function createViewCache(options: { enabled: boolean; maxEntries?: number }): ViewCache {
  const max = options.maxEntries ?? 10_000
  const entries = new Map<string, Entry>()
  return {
    async render(p, page, schema, build) {
      const key = `${p.kind === 'client' ? p.grantId : `preview:${p.staffUserId}`}:${p.companyId}:${page}`
      const hit = options.enabled ? entries.get(key) : undefined
      if (hit && hit.version === p.viewVersion) {
        entries.delete(key) // keep the Map in least-recently-used order
        entries.set(key, hit)
        return hit
      }
      // The schema is the allow-list: its writer (the one responses use) writes only the keys it names.
      const body = Buffer.from(writerFor(schema)(await build()))
      const entry = { version: p.viewVersion, body, etag: `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"` }
      if (options.enabled) {
        entries.delete(key)
        entries.set(key, entry)
        if (entries.size > max) entries.delete(entries.keys().next().value!)
      }
      return entry
    },
  }
}

/** Sends a view with its ETag; a repeat view whose ETag matches gets 304 and no body. */
export function sendView(request: FastifyRequest, reply: FastifyReply, view: View) {
  reply.header('etag', view.etag).header('cache-control', 'private, no-cache').header('vary', 'cookie')
  if (request.headers['if-none-match'] === view.etag) return reply.status(304).send()
  return reply.type('application/json; charset=utf-8').send(view.body)
}
