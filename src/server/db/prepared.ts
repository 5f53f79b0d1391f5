// Kysely builds and compiles a query on every call: ~30 µs for the five-table session lookup, five times
// what SQLite then takes to run it. For a query every request runs, build it once per database and then
// only bind the arguments.
import type { Compilable, CompiledQuery } from 'kysely'
import type { Executor } from '../jobs/outbox.js'

/**
 * `build` runs once per database with a placeholder for each argument; each placeholder must reach the
 * query as exactly one bound parameter (checked then, so a query that used one in its SQL text, or
 * dropped one, fails at once instead of binding the wrong values).
 */
export function prepared<A extends unknown[], R>(build: (db: Executor, ...args: A) => Compilable<R>): (db: Executor, ...args: A) => Promise<R[]> {
  const compiled = new WeakMap<Executor, { query: CompiledQuery<R>; slots: number[] }>()
  return async (db, ...args) => {
    let entry = compiled.get(db)
    if (!entry) {
      const marks = args.map((_, i) => `\u0000arg${i}\u0000`)
      const query = build(db, ...(marks as A)).compile()
      const slots = query.parameters.map((p) => marks.indexOf(p as string))
      const once = marks.every((_, i) => slots.filter((s) => s === i).length === 1)
      if (!once || marks.some((m) => query.sql.includes(m))) throw new Error(`prepared: each argument must be bound exactly once in ${query.sql}`)
      entry = { query, slots }
      compiled.set(db, entry)
    }
    const { query, slots } = entry
    return (await db.executeQuery<R>({ ...query, parameters: query.parameters.map((p, i) => (slots[i]! >= 0 ? args[slots[i]!] : p)) })).rows
  }
}
