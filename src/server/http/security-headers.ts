// Security headers, computed once at start: they never vary per request, and @fastify/helmet rebuilt (and
// re-parsed) the whole policy on every request. Pages — the two apps, the link and unsubscribe pages, the
// API docs — get helmet's document set. JSON API responses get the short set an API needs (OWASP REST
// Security Cheat Sheet): nothing may load or frame them, no sniffing, no referrer, no cross-origin reads.
// The rest of helmet's set only means something to documents.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FastifyInstance } from 'fastify'
import helmet, { type HelmetOptions } from 'helmet'

export const API_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
}

export function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {}
  const res = { setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)), removeHeader: () => undefined }
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err
  })
  return headers
}

const isApi = (url: string) => url.startsWith('/api/') && !url.startsWith('/api/docs')

export function installSecurityHeaders(app: FastifyInstance, options: HelmetOptions): void {
  const page = securityHeaders(options)
  const hsts = page['strict-transport-security']
  const api = hsts ? { ...API_HEADERS, 'strict-transport-security': hsts } : API_HEADERS
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(isApi(request.url) ? api : page)
    done()
  })
}
