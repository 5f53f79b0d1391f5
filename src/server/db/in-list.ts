// `column IN (list)` with the whole list bound as ONE parameter, so the statement's text is the same for
// every length: one prepared statement (and one PostgreSQL plan) instead of one per list size.
import { sql, type RawBuilder } from 'kysely'
import type { Executor } from '../jobs/outbox.js'
import { onPostgres } from './database.js'

/** The parameter inList binds: the array itself on PostgreSQL, JSON text on SQLite. */
export const listParam = (db: Executor, values: string[]): unknown => (onPostgres(db) ? values : JSON.stringify(values))

export const inList = (db: Executor, column: string, param: unknown): RawBuilder<boolean> =>
  onPostgres(db) ? sql<boolean>`${sql.ref(column)} = any(${param}::text[])` : sql<boolean>`${sql.ref(column)} in (select value from json_each(${param}))`
