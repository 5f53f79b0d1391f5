// Request logs and /metrics. Logs carry the request id and the principal kind, never a token or a
// cookie: URLs that hold a token are redacted before they are logged or labelled.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import client from 'prom-client'
import { sql } from 'kysely'
import type { Deps } from '../deps.js'

const TOKEN_PATH = /^(\/portal\/(?:l|confirm|unsubscribe))\/[^/?#]+/

export const redactUrl = (url: string): string => url.replace(TOKEN_PATH, '$1/[redacted]').replace(/\?.*$/, (q) => (q.length > 1 ? '?…' : ''))

const principalKind = (request: FastifyRequest): string => (request.portal ? request.portal.kind : request.staff ? 'staff' : 'anonymous')

export interface Metrics {
  registry: client.Registry
  storageFailures: client.Counter
}

export function createMetrics(deps: Pick<Deps, 'db' | 'clock'>): Metrics {
  const registry = new client.Registry()
  client.collectDefaultMetrics({ register: registry })
  // Read from the database, so the figure is the same whichever instance is scraped.
  new client.Gauge({
    name: 'coeffection_emails_failed',
    help: 'Emails whose delivery failed for good',
    registers: [registry],
    async collect() {
      const row = await deps.db.selectFrom('emails').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'failed').executeTakeFirst()
      this.set(Number(row?.n ?? 0))
    },
  })
  new client.Gauge({
    name: 'coeffection_emails_retrying',
    help: 'Queued emails whose last attempt failed',
    registers: [registry],
    async collect() {
      const row = await deps.db.selectFrom('emails').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'queued').where('last_error', 'is not', null).executeTakeFirst()
      this.set(Number(row?.n ?? 0))
    },
  })
  const storageFailures = new client.Counter({ name: 'coeffection_storage_failures_total', help: 'Storage calls that failed', registers: [registry] })
  new client.Gauge({
    name: 'coeffection_job_queue_depth',
    help: 'Jobs waiting to run',
    registers: [registry],
    async collect() {
      const row = await deps.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('status', 'in', ['pending', 'running']).executeTakeFirst()
      this.set(Number(row?.n ?? 0))
    },
  })
  new client.Gauge({
    name: 'coeffection_job_queue_oldest_age_seconds',
    help: 'Age of the oldest job still waiting',
    registers: [registry],
    async collect() {
      const row = await deps.db.selectFrom('jobs').select(sql<string | null>`min(created_at)`.as('oldest')).where('status', '=', 'pending').executeTakeFirst()
      this.set(row?.oldest ? Math.max(0, (deps.clock().getTime() - new Date(row.oldest).getTime()) / 1000) : 0)
    },
  })
  return { registry, storageFailures }
}

export function installObservability(app: FastifyInstance, metrics: Metrics): void {
  const duration = new client.Histogram({
    name: 'coeffection_http_request_duration_seconds',
    help: 'HTTP request duration by route',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [metrics.registry],
  })
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched'
    duration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000)
    request.log.info(
      { reqId: request.id, method: request.method, url: redactUrl(request.url), route, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10, principal: principalKind(request) },
      'request',
    )
  })
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()))
}

/** Counts failed storage calls without changing what the store does. */
export function countingStore<T extends object>(store: T, counter: client.Counter): T {
  const wrap =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await fn(...args)
      } catch (err) {
        counter.inc()
        throw err
      }
    }
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver)
      return typeof value === 'function' ? wrap(value.bind(target)) : value
    },
  })
}
