// Lists that the database writes as JSON. For a long list sent as it is, turning every cell into a JS value
// and back again was most of the staff company page's time (200 records × 9 columns; bench: staff_company).
// Instead each row comes as one JSON object, in the query's own order, and the objects are joined here.
import { sql, type RawBuilder } from 'kysely'
import type { Executor } from '../jobs/outbox.js'
import { onPostgres } from './database.js'

/**
 * A row as a JSON object of strings: `columns` maps each key, in writing order, to a text column (a NULL is
 * written as null). Text only because PostgreSQL writes it with json_object(keys[], values[]), which takes
 * text arrays: on the staff company page's 200 rows it costs PostgreSQL a third less than json_build_object,
 * which looks up each argument's type on every row (pgbench: 0.35 vs 0.55 ms).
 */
export function jsonObject(db: Executor, columns: Readonly<Record<string, string>>): RawBuilder<string> {
  if (!onPostgres(db)) return sql<string>`json_object(${sql.join(Object.entries(columns).map(([key, column]) => sql`${sql.lit(key)}, ${sql.ref(column)}`))})`
  const keys = sql.join(Object.keys(columns).map((key) => sql.lit(key)))
  const values = sql.join(Object.values(columns).map((column) => sql.ref(column)))
  // As text: the pg driver would otherwise parse the json value into objects again.
  return sql<string>`json_object(array[${keys}]::text[], array[${values}]::text[])::text`
}

export const jsonArray = (objects: readonly string[]): string => `[${objects.join(',')}]`

/**
 * An aggregate: the group's rows as one JSON array of jsonObject(columns), in `orderBy` order (`[]` for none).
 * For a short list that comes with its parent row in the same statement, a round trip less; a long list is
 * better as rows (jsonArray), since an aggregate sorts its input again.
 */
export function jsonArrayAgg(db: Executor, columns: Readonly<Record<string, string>>, orderBy: readonly string[]): RawBuilder<string> {
  const object = jsonObject(db, columns)
  const order = sql.join(orderBy.map((column) => sql.ref(column)))
  return onPostgres(db)
    ? sql<string>`coalesce('[' || string_agg(${object}, ',' order by ${order}) || ']', '[]')`
    : sql<string>`json_group_array(${object} order by ${order})`
}
