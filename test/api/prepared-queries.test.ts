// prepared(): a query built once per database, then run with each call's own arguments — in any order the
// SQL binds them, as a list parameter, and never with a placeholder left in.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrateToLatest, openDatabase, type Db } from '../../src/server/db/database.js'
import { inList, listParam } from '../../src/server/db/in-list.js'
import { prepared } from '../../src/server/db/prepared.js'
import { createPgSchema, testDatabases } from '../helpers/databases.js'

describe.each(testDatabases)('prepared queries on $name', (database) => {
  let db: Db
  let drop: (() => Promise<void>) | undefined
  beforeAll(async () => {
    const pgSchema = database.name === 'postgres' ? await createPgSchema(database.url) : undefined
    drop = pgSchema?.drop
    db = openDatabase(database.url, pgSchema ? { searchPath: pgSchema.schema } : {}).db
    await migrateToLatest(db)
    const at = '2026-12-01T00:00:00.000Z'
    await db.insertInto('workspaces').values(['a', 'b', 'c'].map((id, i) => ({ id, name: `W${id}`, slug: `prep-${id}`, brand_color: '#000000', postal_address: '-', sender_name: '-', portal_version: i, created_at: at }) as never)).execute()
  })
  afterAll(async () => {
    await db.destroy()
    await drop?.()
  })

  let builds = 0
  const workspaces = prepared((d, ids: unknown, minVersion: number, name: string) => {
    builds++
    // The arguments reach the SQL in another order than they are passed: name first, then the list.
    return d.selectFrom('workspaces').select(['id']).where('name', '!=', name).where(inList(d, 'id', ids)).where('portal_version', '>=', minVersion).orderBy('id')
  })

  it('builds once, and each call binds its own arguments', async () => {
    const run = (ids: string[], min: number, name: string) => workspaces(db, listParam(db, ids), min, name).then((rows) => rows.map((r) => r.id))
    expect(await run(['a', 'b', 'c'], 0, 'none')).toEqual(['a', 'b', 'c'])
    expect(await run(['a', 'b', 'c'], 1, 'none')).toEqual(['b', 'c'])
    expect(await run(['a', 'c'], 0, 'Wc')).toEqual(['a'])
    expect(await run([], 0, 'none')).toEqual([])
    expect(builds).toBe(1)
  })

  it('refuses a query that does not bind every argument exactly once', async () => {
    const dropsOne = prepared((d, id: string, _unused: string) => d.selectFrom('workspaces').select('id').where('id', '=', id))
    await expect(dropsOne(db, 'a', 'b')).rejects.toThrow(/bound exactly once/)
    const inText = prepared((d, column: string) => d.selectFrom('workspaces').select(sql.ref(column).as('x')))
    await expect(inText(db, 'id')).rejects.toThrow(/bound exactly once/)
  })
})
