// `column IN (list)` with the whole list bound as ONE parameter, so the statement's text is the same for
// every length: one prepared statement (and one PostgreSQL plan) instead of one per list size.
import { sql, type RawBuilder } from 'kysely'
import type { Dialect } from './database.js'

export const inList = (dialect: Dialect, column: string, values: string[]): RawBuilder<boolean> =>
  dialect === 'postgres' ? sql<boolean>`${sql.ref(column)} = any(${values}::text[])` : sql<boolean>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(values)}))`
