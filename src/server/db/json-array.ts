// Lists that the database writes as JSON. For a long list sent as it is, turning every cell into a JS value
// and back again was most of the staff company page's time (200 records × 9 columns; bench: staff_company).
// Instead each row comes as one JSON object, in the query's own order, and the objects are joined here.
import { sql, type RawBuilder } from 'kysely'
import type { Executor } from '../jobs/outbox.js'
import { onPostgres } from './database.js'

/** A row as a JSON object: `columns` maps each key, in writing order, to a column reference. */
export function jsonObject(db: Executor, columns: Readonly<Record<string, string>>): RawBuilder<string> {
  const pairs = sql.join(Object.entries(columns).map(([key, column]) => sql`${sql.lit(key)}, ${sql.ref(column)}`))
  // As text: the pg driver would otherwise parse the json value into objects again.
  return onPostgres(db) ? sql<string>`json_build_object(${pairs})::text` : sql<string>`json_object(${pairs})`
}

export const jsonArray = (objects: readonly string[]): string => `[${objects.join(',')}]`
