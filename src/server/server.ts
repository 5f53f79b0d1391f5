// Process entry: config → database → migrations → demo seed → HTTP + worker; graceful shutdown.
import path from 'node:path'
import pino from 'pino'
import { buildApp } from './app.js'
import { ConfigError, loadConfig } from './config.js'
import { migrateToLatest, openDatabase } from './db/database.js'
import { isEmpty, seedDemo } from './db/seed.js'
import type { Deps } from './deps.js'
import { createMailer } from './email/mailer.js'
import { jobHandlers } from './jobs/handlers.js'
import { createWorker } from './jobs/worker.js'
import { createLocalStore } from './storage/local-store.js'
import { sendExpiryReminders } from './portal/access/access.service.js'

async function main(): Promise<void> {
  let config
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message)
      process.exit(1)
    }
    throw err
  }
  const logger = pino({
    level: config.logLevel,
    redact: { paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'], remove: true },
  })
  const { db, dialect } = openDatabase(config.databaseUrl)
  await migrateToLatest(db)
  const deps: Deps = {
    config,
    db,
    dialect,
    clock: () => new Date(),
    mailer: createMailer(config),
    storage: createLocalStore(path.join(config.dataDir, 'storage')),
  }

  let seeded
  if (config.seedDemo && (await isEmpty(deps))) seeded = await seedDemo(deps, { email: config.adminEmail, password: config.adminPassword })

  const app = await buildApp(deps, { logger })
  const worker = createWorker({ db, dialect, clock: deps.clock, log: logger, handlers: jobHandlers(deps) })
  let reminders: NodeJS.Timeout | undefined
  if (config.runWorker) {
    worker.start()
    const remind = () => void sendExpiryReminders(deps).catch((err: unknown) => logger.error({ err }, 'expiry reminders failed'))
    remind()
    reminders = setInterval(remind, 3_600_000)
  }
  await app.listen({ port: config.port, host: config.host })

  const mailNote = deps.mailer.kind === 'mailbox' ? ` Mail goes to the local mailbox (${path.join(config.dataDir, 'mail')}, and Settings → Email → Outbox).` : ''
  console.log(`\nCoeffection is running at ${config.baseUrl}/app${mailNote}`)
  if (seeded) {
    console.log(`Demo workspace created. Sign in as ${seeded.adminEmail}${seeded.generatedPassword ? ` with password ${seeded.adminPassword}` : ' (password from ADMIN_PASSWORD)'}\n`)
  }

  let closing = false
  const shutdown = async (signal: string) => {
    if (closing) return
    closing = true
    logger.info({ signal }, 'shutting down')
    clearInterval(reminders)
    await app.close() // stops accepting, finishes requests in flight
    await worker.stop() // finishes the job in hand
    deps.mailer.close()
    await db.destroy()
    process.exit(0)
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
