// The only reader of process.env: one zod schema, a frozen Config, and one readable line per bad value.
import path from 'node:path'
import { z } from 'zod'

const emptyAsUndefined = (v: unknown) => (v === '' ? undefined : v)
const opt = <T extends z.ZodTypeAny>(schema: T) => z.preprocess(emptyAsUndefined, schema.optional())

const EnvSchema = z.object({
  PORT: opt(z.coerce.number().int().min(0).max(65535)),
  HOST: opt(z.string()),
  BASE_URL: opt(z.url({ protocol: /^https?$/ })),
  DATA_DIR: opt(z.string()),
  DATABASE_URL: opt(z.string().regex(/^(postgres(ql)?:\/\/|file:|sqlite:|:memory:$)/, 'a postgres:// URL or file:PATH')),
  SMTP_URL: opt(z.url({ protocol: /^smtps?$/ })),
  MAIL_FROM: opt(z.email()),
  ADMIN_EMAIL: opt(z.email()),
  ADMIN_PASSWORD: opt(z.string().min(8, 'at least 8 characters')),
  LOG_LEVEL: opt(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
  WORKER: opt(z.enum(['on', 'off'])),
  ROLE: opt(z.enum(['all', 'worker'])),
  DROPBOX_APP_KEY: opt(z.string().min(1)),
  DROPBOX_APP_SECRET: opt(z.string().min(1)),
  DROPBOX_API_URL: opt(z.url()),
  DROPBOX_CONTENT_URL: opt(z.url()),
  DROPBOX_AUTHORIZE_URL: opt(z.url()),
  DROPBOX_TOKEN_URL: opt(z.url()),
  TOKEN_ENCRYPTION_KEY: opt(z.string().regex(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)$/, 'must be 32 bytes as 64 hex characters or base64')),
  SEED_DEMO: opt(z.enum(['on', 'off'])),
  PORTAL_SESSION_IDLE_HOURS: opt(z.coerce.number().positive().max(24 * 365)),
  PORTAL_SESSION_MAX_DAYS: opt(z.coerce.number().positive().max(365)),
  PORTAL_CACHE: opt(z.enum(['on', 'off'])),
  NOTIFY_BATCH_MS: opt(z.coerce.number().int().min(0).max(3_600_000)),
})

export type Config = Readonly<{
  port: number
  host: string
  baseUrl: string
  dataDir: string
  databaseUrl: string
  smtpUrl: string | undefined
  mailFrom: string
  adminEmail: string | undefined
  adminPassword: string | undefined
  logLevel: string
  runWorker: boolean
  /** How long record changes are gathered into one client email. */
  notifyBatchMs: number
  role: 'all' | 'worker'
  seedDemo: boolean
  secureCookies: boolean
  portal: Readonly<{ sessionIdleMs: number; sessionMaxMs: number; viewCache: boolean }>
  /** Present when a Dropbox app is configured (DROPBOX_APP_KEY, DROPBOX_APP_SECRET, TOKEN_ENCRYPTION_KEY). */
  dropbox: Readonly<{ appKey: string; appSecret: string; apiUrl?: string; contentUrl?: string; authorizeUrl?: string; tokenUrl?: string; encryptionKey: string }> | undefined
}>

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new ConfigError(`Invalid configuration: ${String(issue.path[0])} ${issue.message.replace(/^Invalid input: /, '')}`)
  }
  const e = parsed.data
  if (e.DROPBOX_APP_KEY && (!e.DROPBOX_APP_SECRET || !e.TOKEN_ENCRYPTION_KEY)) {
    throw new ConfigError('Invalid configuration: DROPBOX_APP_KEY needs DROPBOX_APP_SECRET and TOKEN_ENCRYPTION_KEY (tokens are encrypted at rest)')
  }
  const port = e.PORT ?? 3000
  const dataDir = path.resolve(e.DATA_DIR ?? './data')
  const baseUrl = (e.BASE_URL ?? `http://localhost:${port}`).replace(/\/+$/, '')
  return Object.freeze({
    port,
    host: e.HOST ?? '0.0.0.0',
    baseUrl,
    dataDir,
    databaseUrl: e.DATABASE_URL ?? `file:${path.join(dataDir, 'coeffection.db')}`,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM ?? 'portal@coeffection.local',
    adminEmail: e.ADMIN_EMAIL,
    adminPassword: e.ADMIN_PASSWORD,
    logLevel: e.LOG_LEVEL ?? 'info',
    runWorker: (e.WORKER ?? 'on') === 'on',
    notifyBatchMs: e.NOTIFY_BATCH_MS ?? 2 * 60_000,
    role: e.ROLE ?? 'all',
    seedDemo: (e.SEED_DEMO ?? 'on') === 'on',
    secureCookies: baseUrl.startsWith('https://'),
    // Defaults keep a client signed in for days; see docs/decisions/002-long-lived-portal-links.md.
    portal: Object.freeze({
      sessionIdleMs: (e.PORTAL_SESSION_IDLE_HOURS ?? 7 * 24) * 3_600_000,
      sessionMaxMs: (e.PORTAL_SESSION_MAX_DAYS ?? 30) * 86_400_000,
      viewCache: (e.PORTAL_CACHE ?? 'on') === 'on',
    }),
    dropbox:
      e.DROPBOX_APP_KEY && e.DROPBOX_APP_SECRET && e.TOKEN_ENCRYPTION_KEY
        ? Object.freeze({
            appKey: e.DROPBOX_APP_KEY,
            appSecret: e.DROPBOX_APP_SECRET,
            encryptionKey: e.TOKEN_ENCRYPTION_KEY,
            ...(e.DROPBOX_API_URL && { apiUrl: e.DROPBOX_API_URL }),
            ...(e.DROPBOX_CONTENT_URL && { contentUrl: e.DROPBOX_CONTENT_URL }),
            ...(e.DROPBOX_AUTHORIZE_URL && { authorizeUrl: e.DROPBOX_AUTHORIZE_URL }),
            ...(e.DROPBOX_TOKEN_URL && { tokenUrl: e.DROPBOX_TOKEN_URL }),
          })
        : undefined,
  })
}
