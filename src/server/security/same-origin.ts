// Invariant 6: every state-changing request must come from our own origin (Fetch Metadata, then Origin).
import type { FastifyRequest } from 'fastify'
import { AppError } from '../errors.js'

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A write that other origins may send (RFC 8058 one-click unsubscribe). */
    allowCrossOrigin?: boolean
  }
}

export function assertSameOrigin(request: FastifyRequest, baseUrl: string): void {
  if (SAFE.has(request.method) || request.routeOptions.config?.allowCrossOrigin) return
  const site = request.headers['sec-fetch-site']
  if (site && site !== 'same-origin' && site !== 'none') throw new AppError('FORBIDDEN', 'Cross-site requests are not allowed')
  const origin = request.headers.origin
  if (origin === new URL(baseUrl).origin) return
  // A form posted from a page under `Referrer-Policy: no-referrer` sends `Origin: null`; the browser's
  // own Sec-Fetch-Site (which no script can set) still proves it came from our origin.
  if ((!origin || origin === 'null') && site === 'same-origin') return
  throw new AppError('FORBIDDEN', 'This request must come from the Coeffection app itself (Origin header missing or foreign)')
}
