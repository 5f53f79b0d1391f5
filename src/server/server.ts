// Process entry: config → database → migrations → demo seed → HTTP and/or worker; graceful shutdown.
// `npm start` runs both; WORKER=off runs HTTP only; `npm run worker` (ROLE=worker) runs the worker only.
import path from 'node:path'
import pino from 'pino'
import { buildApp } from './app.js'
import { ConfigError, loadConfig, type Config } from './config.js'
import { migrateToLatest, openDatabase } from './db/database.js'
import { isEmpty, seedDemo } from './db/seed.js'
import type { Deps } from './deps.js'
import { createMailer } from './email/mailer.js'
import { countingStore, createMetrics } from './http/observability.js'
import { jobHandlers } from './jobs/handlers.js'
import { createWorker } from './jobs/worker.js'
import { sendExpiryReminders } from './portal/access/access.service.js'
import { createLocalStore } from './storage/local-store.js'

function readConfig(): Config {
  try {
    return loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message)
      process.exit(1)
    }
    throw err
  }
}

async function main(): Promise<void> {
  const config = readConfig()
  const runHttp = config.role !== 'worker'
  const runWorker = config.role === 'worker' || config.runWorker
  const logger = pino({ level: config.logLevel })
  const { db, dialect } = openDatabase(config.databaseUrl)
  await migrateToLatest(db)
  const clock = () => new Date()
  const metrics = createMetrics({ db, clock })
  const deps: Deps = {
    config,
    db,
    dialect,
    clock,
    mailer: createMailer(config),
    storage: countingStore(createLocalStore(path.join(config.dataDir, 'storage')), metrics.storageFailures),
  }

  const seeded = runHttp && config.seedDemo && (await isEmpty(deps)) ? await seedDemo(deps, { email: config.adminEmail, password: config.adminPassword }) : undefined

  const worker = createWorker({ db, dialect, clock, log: logger, handlers: jobHandlers(deps) })
  let reminders: NodeJS.Timeout | undefined
  if (runWorker) {
    worker.start()
    const remind = () => void sendExpiryReminders(deps).catch((err: unknown) => logger.error({ err }, 'expiry reminders failed'))
    remind()
    reminders = setInterval(remind, 3_600_000)
  }

  const app = runHttp ? await buildApp(deps, { logger, metrics }) : undefined
  if (app) {
    await app.listen({ port: config.port, host: config.host })
    const mailNote = deps.mailer.kind === 'mailbox' ? ` Mail goes to the local mailbox (${path.join(config.dataDir, 'mail')}, and Settings → Email → Outbox).` : ''
    console.log(`\nCoeffection is running at ${config.baseUrl}/app${mailNote}`)
    if (seeded) {
      console.log(`Demo workspace created. Sign in as ${seeded.adminEmail}${seeded.generatedPassword ? ` with password ${seeded.adminPassword}` : ' (password from ADMIN_PASSWORD)'}\n`)
    }
  } else {
    console.log('Coeffection worker is running (no HTTP).')
  }

  let closing = false
  const shutdown = async (signal: string) => {
    if (closing) return
    closing = true
    logger.info({ signal }, 'shutting down')
    clearInterval(reminders)
    await app?.close() // stops accepting, finishes requests in flight
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
