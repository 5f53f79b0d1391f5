// The composition root: buildApp(deps) wires plugins and route contexts. Used by server.ts and every test.
import fs from 'node:fs'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import Fastify, { LogController, type FastifyServerOptions } from 'fastify'
import cookie from '@fastify/cookie'
import multipart from '@fastify/multipart'
import rateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { jsonSchemaTransform, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'
import { serializerCompiler } from './http/serializer.js'
import { sql } from 'kysely'
import type { Deps } from './deps.js'
import { installErrorHandler } from './error-handler.js'
import { createMetrics, installObservability, type Metrics } from './http/observability.js'
import { installSecurityHeaders } from './http/security-headers.js'
import { assertSameOrigin } from './security/same-origin.js'
import { staffPlugin } from './staff/plugin.js'
import { authRoutes, userRoutes } from './modules/users/users.routes.js'
import { workspaceRoutes } from './modules/workspace/workspace.routes.js'
import { companyRoutes } from './modules/companies/companies.routes.js'
import { contactRoutes } from './modules/contacts/contacts.routes.js'
import { recordTypeRoutes } from './modules/record-types/record-types.routes.js'
import { recordRoutes } from './modules/records/records.routes.js'
import { fileRoutes } from './modules/files/files.routes.js'
import { commentRoutes } from './modules/comments/comments.routes.js'
import { emailRoutes } from './modules/emails/emails.routes.js'
import { portalAdminRoutes } from './portal/admin.routes.js'
import { notificationRoutes } from './modules/notifications/notifications.routes.js'
import { storageRoutes } from './storage/storage.routes.js'
import { linkRoutes } from './portal/link.routes.js'
import { clientResolver, portalPlugin, previewResolver } from './portal/plugin.js'
import { portalRecordRoutes } from './portal/records.routes.js'
import { portalNotificationRoutes } from './portal/notifications.routes.js'
import { subscriptionRoutes } from './portal/subscription.routes.js'
import { portalSessionRoutes } from './portal/session.routes.js'

export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024
const WEB_DIR = path.resolve('dist/web')

export async function buildApp(deps: Deps, options: { logger?: FastifyServerOptions['loggerInstance']; metrics?: Metrics } = {}) {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    genReqId: (req) => (typeof req.headers['x-request-id'] === 'string' && req.headers['x-request-id'].length <= 64 ? req.headers['x-request-id'] : randomUUID()),
    trustProxy: true,
    logController: new LogController({ disableRequestLogging: true }), // our onResponse log redacts tokens in URLs
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 500 }, // an over-long link token must still reach the invalid-link page
  }).withTypeProvider<ZodTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  installErrorHandler(app)
  installObservability(app, options.metrics ?? createMetrics(deps))

  await app.register(cookie)
  installSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: { 'img-src': ["'self'", 'data:', 'https:'], 'upgrade-insecure-requests': deps.config.secureCookies ? [] : null },
    },
    hsts: deps.config.secureCookies,
  })
  await app.register(rateLimit, { global: false })
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 5, parts: 6, fieldSize: 1024 } })
  await app.register(swagger, { openapi: { info: { title: 'Coeffection API', version: '1' } }, transform: jsonSchemaTransform })
  await app.register(swaggerUi, { routePrefix: '/api/docs' })

  // Plain HTML forms (the link page's Continue button, RFC 8058 one-click unsubscribe) post urlencoded bodies.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)))
  })
  app.addHook('onRequest', async (request) => assertSameOrigin(request, deps.config.baseUrl))

  app.get('/healthz', async () => ({ ok: true }))
  app.get('/readyz', async (_request, reply) => {
    try {
      await sql`select 1`.execute(deps.db)
      return { ok: true }
    } catch {
      return reply.status(503).send({ ok: false })
    }
  })

  await app.register(authRoutes, { prefix: '/api/v1', deps })
  await app.register(staffPlugin, {
    prefix: '/api/v1',
    deps,
    routes: [userRoutes, workspaceRoutes, companyRoutes, contactRoutes, recordTypeRoutes, recordRoutes, fileRoutes, commentRoutes, emailRoutes, notificationRoutes, portalAdminRoutes, storageRoutes],
  })
  await app.register(linkRoutes, { deps })
  await app.register(subscriptionRoutes, { deps })
  const portalRoutes = [portalSessionRoutes, portalRecordRoutes, portalNotificationRoutes]
  await app.register(portalPlugin, { prefix: '/api/portal', deps, resolve: clientResolver(deps), routes: portalRoutes })
  await app.register(portalPlugin, { prefix: '/api/portal-preview/:companyId', deps, resolve: previewResolver(deps), routes: portalRoutes })

  await registerWeb(app)
  return app
}

export type App = Awaited<ReturnType<typeof buildApp>>

/** Serves the built front ends: /app/* is the staff SPA. Skipped when there is no build (API tests). */
async function registerWeb(app: App): Promise<void> {
  if (!fs.existsSync(path.join(WEB_DIR, 'staff/index.html'))) return
  await app.register(fastifyStatic, { root: WEB_DIR, serve: false })
  await app.register(fastifyStatic, { root: path.join(WEB_DIR, 'assets'), prefix: '/assets/', decorateReply: false, maxAge: '365d', immutable: true })
  const spa = (entry: string) => async (_req: unknown, reply: { sendFile: (f: string) => unknown; header: (k: string, v: string) => unknown }) => {
    reply.header('cache-control', 'no-cache')
    return reply.sendFile(`${entry}/index.html`)
  }
  app.get('/', async (_req, reply) => reply.redirect('/app'))
  app.get('/app', spa('staff'))
  app.get('/app/*', spa('staff'))
  app.get('/portal', spa('portal'))
  app.get('/portal/*', spa('portal'))
}
