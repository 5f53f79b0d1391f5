// buildTestApp(): the real app on a fresh database (SQLite :memory: or its own PostgreSQL schema),
// temp storage and mailbox, an injectable clock, and the worker ready to drain.
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { buildApp, type App } from '../../src/server/app.js'
import { loadConfig, type Config } from '../../src/server/config.js'
import { migrateToLatest, openDatabase } from '../../src/server/db/database.js'
import type { Deps } from '../../src/server/deps.js'
import { createMailer, type Mailer } from '../../src/server/email/mailer.js'
import { jobHandlers } from '../../src/server/jobs/handlers.js'
import { createWorker, type Worker } from '../../src/server/jobs/worker.js'
import { createLocalStore } from '../../src/server/storage/local-store.js'
import { createPgSchema, type TestDatabase } from './databases.js'

export const BASE_URL = 'http://localhost:3000'
export const ORIGIN = { origin: BASE_URL }

export interface TestClock {
  now: Date
  advance(ms: number): void
  set(date: Date): void
}

export function createClock(start = new Date('2026-12-01T09:00:00.000Z')): TestClock & (() => Date) {
  const clock = Object.assign(() => new Date(clock.now), {
    now: start,
    advance(ms: number) {
      clock.now = new Date(clock.now.getTime() + ms)
    },
    set(date: Date) {
      clock.now = date
    },
  })
  return clock
}

export interface TestApp {
  app: App
  deps: Deps
  clock: ReturnType<typeof createClock>
  worker: Worker
  dataDir: string
  /** The app's own PostgreSQL schema (postgres only), for opening more pools on the same data. */
  pgSchema?: string | undefined
  /** Every SQL statement run since the last reset (for query-count tests). */
  queries: string[]
  close(): Promise<void>
}

export async function buildTestApp(db: TestDatabase, options: { env?: Record<string, string>; mailer?: Mailer } = {}): Promise<TestApp> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'coeffection-test-'))
  const config: Config = loadConfig({ BASE_URL, DATA_DIR: dataDir, DATABASE_URL: db.url, ...options.env })
  const pgSchema = db.name === 'postgres' ? await createPgSchema(db.url) : undefined
  const queries: string[] = []
  const { db: kysely, dialect } = openDatabase(db.url, { ...(pgSchema ? { searchPath: pgSchema.schema } : {}), onQuery: (q) => queries.push(q) })
  await migrateToLatest(kysely)
  const clock = createClock()
  const mailer = options.mailer ?? createMailer(config)
  const deps: Deps = { config, db: kysely, dialect, clock, mailer, storage: createLocalStore(path.join(dataDir, 'storage')) }
  const app = await buildApp(deps)
  const silent = { error: () => undefined, info: () => undefined }
  const worker = createWorker({ db: kysely, dialect, clock, log: silent, handlers: jobHandlers(deps) })
  return {
    app,
    deps,
    clock,
    worker,
    dataDir,
    pgSchema: pgSchema?.schema,
    queries,
    async close() {
      await app.close()
      await kysely.destroy()
      await pgSchema?.drop()
      await fs.rm(dataDir, { recursive: true, force: true })
    },
  }
}

/** Rows of every table, to prove a rejected request wrote nothing. */
export async function snapshotTables(deps: Deps): Promise<Record<string, unknown[]>> {
  const tables = ['workspaces', 'users', 'companies', 'contacts', 'record_types', 'stages', 'fields', 'records', 'record_values', 'record_watchers', 'files', 'comments', 'jobs', 'emails'] as const
  const out: Record<string, unknown[]> = {}
  for (const t of tables) out[t] = await deps.db.selectFrom(t).selectAll().execute()
  return out
}
