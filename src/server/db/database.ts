// Picks the dialect from the URL; nothing else in the app knows which database is running.
import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, Migrator, type LogEvent, PostgresAdapter, PostgresDialect, SqliteDialect, sql, type Migration, type MigrationProvider } from 'kysely'
import pg from 'pg'
import type { Database } from './schema.js'
import { withNamedStatements } from './pg-statements.js'
import * as m001 from './migrations/001-core.js'
import * as m002 from './migrations/002-portal.js'
import * as m003 from './migrations/003-notifications.js'
import * as m004 from './migrations/004-storage.js'
import * as m005 from './migrations/005-view-versions.js'
import * as m006 from './migrations/006-records-newest.js'

export type Db = Kysely<Database>
export type Dialect = 'sqlite' | 'postgres'

// bigint (int8) and numeric come back from pg as strings; our sizes fit a JS number.
pg.types.setTypeParser(20, (v) => Number(v))

const migrations: Record<string, Migration> = { '001-core': m001, '002-portal': m002, '003-notifications': m003, '004-storage': m004, '005-view-versions': m005, '006-records-newest': m006 }

export interface OpenOptions {
  searchPath?: string
  /** Called with every executed statement and its parameters (tests count and EXPLAIN them). */
  onQuery?: (sql: string, parameters: readonly unknown[]) => void
}

/** Which database a handle (or transaction) talks to, for the few statements whose SQL differs. */
export const onPostgres = (db: Db): boolean => db.getExecutor().adapter instanceof PostgresAdapter

export function openDatabase(url: string, options: OpenOptions = {}): { db: Db; dialect: Dialect } {
  const onQuery = options.onQuery
  const log = onQuery ? (e: LogEvent) => void (e.level === 'query' && onQuery(e.query.sql, e.query.parameters)) : undefined
  if (/^postgres(ql)?:\/\//.test(url)) {
    const pool = withNamedStatements(new pg.Pool({
      connectionString: url,
      max: 10,
      ...(options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {}),
    }))
    return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }), ...(log && { log }) }), dialect: 'postgres' }
  }
  const file = url === ':memory:' ? ':memory:' : url.replace(/^(file:|sqlite:)/, '')
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
  const sqlite = new SQLite(file)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }), ...(log && { log }) }), dialect: 'sqlite' }
}

/**
 * Kysely prepares every statement anew; preparing costs more than running a small indexed query.
 * better-sqlite3 statements are reusable, so keep the most recent ones by SQL text.
 */
function withStatementCache(sqlite: SQLite.Database, max = 500) {
  const cache = new Map<string, SQLite.Statement>()
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let stmt = cache.get(sql)
      if (stmt) {
        cache.delete(sql)
      } else {
        stmt = sqlite.prepare(sql)
        if (cache.size >= max) cache.delete(cache.keys().next().value!)
      }
      cache.set(sql, stmt)
      return stmt
    },
  }
}

const provider: MigrationProvider = { getMigrations: async () => migrations }

/** Runs pending migrations. Kysely takes an advisory lock on PostgreSQL, so concurrent starts migrate once. */
export async function migrateToLatest(db: Db): Promise<void> {
  // Without a schema, Kysely takes a kysely_migration table in ANY schema of the database for ours, so a
  // second schema in the same database (the tests' schema per app, a staging copy) would skip creating
  // its own tables and fail. Name the schema we are migrating: the connection's current one.
  const migrationTableSchema = onPostgres(db) ? await currentSchema(db) : undefined
  const { error, results } = await new Migrator({ db, provider, ...(migrationTableSchema ? { migrationTableSchema } : {}) }).migrateToLatest()
  const failed = results?.find((r) => r.status === 'Error')
  if (error || failed) throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String(error)}`)
}

const currentSchema = async (db: Db): Promise<string | undefined> =>
  (await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db)).rows[0]?.schema ?? undefined
