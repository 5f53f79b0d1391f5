// Several real app instances on ONE PostgreSQL schema, as behind a load balancer: each its own buildApp,
// its own pg pool (openDatabase with the schema as search_path), its own worker and SMTP transport; all
// share the database, one SMTP server, one storage folder and the (test) clock. They are migrated by all
// of them at once, the way several processes start together; Kysely's migration lock must make that one
// run. Also the plan walker of the query-plan tests: which index (or Seq Scan) reads each table.
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { UnknownRow } from 'kysely'
import pg from 'pg'
import { buildApp } from '../../src/server/app.js'
import { loadConfig } from '../../src/server/config.js'
import { migrateToLatest, openDatabase } from '../../src/server/db/database.js'
import type { Deps } from '../../src/server/deps.js'
import { createMailer } from '../../src/server/email/mailer.js'
import { jobHandlers } from '../../src/server/jobs/handlers.js'
import { createWorker } from '../../src/server/jobs/worker.js'
import { createLocalStore } from '../../src/server/storage/local-store.js'
import { BASE_URL, createClock, type TestApp } from './app.js'
import { createPgSchema, TEST_DATABASE_URL } from './databases.js'
import { startSmtpServer, type TestSmtpServer } from './smtp.js'

/** One executed statement with its bound parameters, as the pg driver received it. */
export interface Statement {
  sql: string
  parameters: readonly unknown[]
}

export interface Instance extends TestApp {
  /** 'A', 'B', 'C', … */
  name: string
  /** SQL of every statement this instance executed (openDatabase's onQuery), migrations included. */
  queries: string[]
  /** Every statement the app ran after start-up, with its parameters (for EXPLAIN). Reset with `length = 0`. */
  statements: Statement[]
  /** Errors its worker logged. */
  workerErrors: object[]
  /** Stops this instance only: HTTP, worker, SMTP transport, pool. The others keep running. */
  close(): Promise<void>
}

export interface Instances {
  url: string
  schema: string
  instances: Instance[]
  smtp: TestSmtpServer
  clock: ReturnType<typeof createClock>
  /** The storage and mail folder every instance shares. */
  dataDir: string
  /** Rows of kysely_migration right after the concurrent start, by name. */
  migrations: { name: string; timestamp: string }[]
  /** A statement on the shared schema through a connection of its own (not one of the instances'). */
  sql<T extends object = UnknownRow>(text: string, params?: unknown[]): Promise<T[]>
  close(): Promise<void>
}

export interface StartOptions {
  /** Default: TEST_DATABASE_URL. Must be PostgreSQL. */
  url?: string
  env?: Record<string, string>
  /** Lease of every instance's worker (default: the worker's own, 60 s). */
  leaseMs?: number
}

const isPostgres = (url: string | undefined): url is string => Boolean(url && /^postgres(ql)?:\/\//.test(url))

/** The migrations the code ships, by file: what kysely_migration must list, each once. */
export function shippedMigrations(): string[] {
  const dir = path.resolve('src/server/db/migrations')
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{3}-[\w-]+\.ts$/.test(f) && !f.endsWith('.test.ts'))
    .map((f) => f.replace(/\.ts$/, ''))
    .sort()
}

export async function startInstances(n: number, options: StartOptions = {}): Promise<Instances> {
  const url = options.url ?? TEST_DATABASE_URL
  if (!isPostgres(url)) {
    throw new Error(`startInstances needs PostgreSQL (got ${url ?? 'no TEST_DATABASE_URL'}): instances of SQLite would each open a database of their own, and nothing would be shared`)
  }
  if (!Number.isInteger(n) || n < 1) throw new Error(`startInstances(${n}): at least one instance`)

  const { schema, drop } = await createPgSchema(url)
  const dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'coeffection-instances-'))
  const smtp = await startSmtpServer()
  const clock = createClock()
  const admin = new pg.Client({
    connectionString: url,
    options: `-c search_path=${schema}`,
  })
  await admin.connect()

  // Open every pool first, then migrate with all of them at once.
  const opened = Array.from({ length: n }, () => {
    const queries: string[] = []
    const statements: Statement[] = []
    return {
      queries,
      statements,
      ...openDatabase(url, {
        searchPath: schema,
        onQuery: (sql, parameters) => {
          queries.push(sql)
          statements.push({ sql, parameters })
        },
      }),
    }
  })
  try {
    await Promise.all(opened.map((o) => migrateToLatest(o.db)))
  } catch (err) {
    await Promise.all(opened.map((o) => o.db.destroy()))
    await admin.end()
    await smtp.close()
    await drop()
    await fsp.rm(dataDir, { recursive: true, force: true })
    throw err
  }
  const migrations = (await admin.query<{ name: string; timestamp: string }>('select name, timestamp from kysely_migration order by name')).rows

  const instances: Instance[] = []
  for (const [i, o] of opened.entries()) {
    const name = String.fromCharCode(65 + i)
    const config = loadConfig({
      BASE_URL,
      DATA_DIR: dataDir,
      DATABASE_URL: url,
      SMTP_URL: `${smtp.url}/?pool=true`,
      ...options.env,
    })
    const { db, statements } = o
    statements.length = 0 // from start-up on
    const mailer = createMailer(config)
    const deps: Deps = {
      config,
      db,
      dialect: o.dialect,
      clock,
      mailer,
      storage: createLocalStore(path.join(dataDir, 'storage')),
    }
    const app = await buildApp(deps)
    const workerErrors: object[] = []
    const worker = createWorker({
      db,
      dialect: o.dialect,
      clock,
      handlers: jobHandlers(deps),
      pollMs: 20,
      ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
      log: { error: (obj) => workerErrors.push(obj), info: () => undefined },
    })
    let closed: Promise<void> | undefined
    instances.push({
      name,
      app,
      deps,
      clock,
      worker,
      dataDir,
      pgSchema: schema,
      queries: o.queries,
      statements,
      workerErrors,
      close: () =>
        (closed ??= (async () => {
          await app.close()
          await worker.stop()
          mailer.close()
          await db.destroy()
        })()),
    })
  }

  let closing: Promise<void> | undefined
  return {
    url,
    schema,
    instances,
    smtp,
    clock,
    dataDir,
    migrations,
    sql: async <T extends object>(text: string, params: unknown[] = []) => (await admin.query(text, params)).rows as T[],
    close: () =>
      (closing ??= (async () => {
        for (const instance of instances) await instance.close()
        await admin.end()
        await smtp.close()
        await drop()
        await fsp.rm(dataDir, { recursive: true, force: true })
      })()),
  }
}

// ── query plans ──

/** A node of `EXPLAIN (FORMAT JSON)` output, as far as the tests read it. */
export interface PlanNode {
  'Node Type': string
  'Relation Name'?: string
  'Index Name'?: string
  Plans?: PlanNode[]
  [key: string]: unknown
}

/** How a plan reads one table: the scan node and the index it goes through (none for a Seq Scan). */
export interface TableAccess {
  table: string
  node: string
  indexes: string[]
}

const indexesBelow = (node: PlanNode): string[] => [...(node['Node Type'] === 'Bitmap Index Scan' && node['Index Name'] ? [node['Index Name']] : []), ...(node.Plans ?? []).flatMap(indexesBelow)]

/**
 * Every table read anywhere in the plan (subplans and InitPlans included). A Bitmap Heap Scan reports the
 * indexes of the Bitmap Index Scans under it; a Bitmap Index Scan alone names no table, so `indexTable`
 * (index name → table) attributes those, which a plan with only a BitmapAnd/Or might otherwise hide.
 */
export function tableAccesses(plan: PlanNode, indexTable: Map<string, string> = new Map()): TableAccess[] {
  const out: TableAccess[] = []
  const walk = (node: PlanNode, underBitmapHeap: boolean) => {
    const type = node['Node Type']
    const relation = node['Relation Name']
    if (type === 'Bitmap Heap Scan' && relation) out.push({ table: relation, node: type, indexes: indexesBelow(node) })
    else if (relation)
      out.push({
        table: relation,
        node: type,
        indexes: node['Index Name'] ? [node['Index Name']] : [],
      })
    else if (type === 'Bitmap Index Scan' && !underBitmapHeap && node['Index Name']) {
      out.push({
        table: indexTable.get(node['Index Name']) ?? '?',
        node: type,
        indexes: [node['Index Name']],
      })
    }
    for (const child of node.Plans ?? []) walk(child, underBitmapHeap || type === 'Bitmap Heap Scan')
  }
  walk(plan, false)
  return out
}

const INDEXED = new Set(['Index Scan', 'Index Only Scan', 'Bitmap Heap Scan', 'Bitmap Index Scan'])
/** True when the access goes through an index (and names it); a Seq Scan or an index-less node is not. */
export const usesIndex = (a: TableAccess): boolean => INDEXED.has(a.node) && a.indexes.length > 0

/** The watched tables a statement names (Kysely quotes every identifier, so `"records"` ≠ `"record_values"`). */
export function tablesIn(sqlText: string, watched: readonly string[]): string[] {
  return watched.filter((t) => sqlText.includes(`"${t}"`))
}
