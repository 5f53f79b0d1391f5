// Named statements on PostgreSQL (src/server/db/pg-statements.ts): a statement that keeps coming back is
// parsed and planned once per connection, gives the same rows, and one-off or parameterless SQL is left alone.
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { withNamedStatements } from '../../src/server/db/pg-statements.js'
import { TEST_DATABASE_URL } from '../helpers/databases.js'

const onPostgres = TEST_DATABASE_URL ? describe : describe.skip
if (!TEST_DATABASE_URL) console.log('pg-statements: skipped, TEST_DATABASE_URL is not set (CI always sets it)')

onPostgres('named statements on PostgreSQL', () => {
  let pool: pg.Pool
  let client: pg.PoolClient
  const prepared = async () => (await client.query<{ statement: string }>('select statement from pg_prepared_statements')).rows.map((r) => r.statement)
  beforeAll(async () => {
    pool = withNamedStatements(new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 1 }), { after: 3, perConnection: 2 })
    client = await pool.connect()
  })
  afterAll(async () => {
    client.release()
    await pool.end()
  })

  it('names a parameterised statement from its third run on, with the same rows every time', async () => {
    const text = 'select $1::int + 1 as n'
    const answers = []
    for (let i = 0; i < 5; i++) answers.push((await client.query(text, [i])).rows[0].n)
    expect(answers).toEqual([1, 2, 3, 4, 5])
    expect(await prepared()).toEqual([text])
  })

  it('leaves statements without parameters, and statements run once, unnamed', async () => {
    for (let i = 0; i < 5; i++) await client.query('select 1 as one', [])
    await client.query('select $1::text as once', ['x'])
    expect(await prepared()).toEqual(['select $1::int + 1 as n'])
  })

  it('names at most perConnection statements on a connection, and the rest still run', async () => {
    for (const text of ['select $1::int * 2 as n', 'select $1::int * 3 as n']) for (let i = 0; i < 3; i++) expect((await client.query(text, [2])).rows[0].n).toBeGreaterThan(0)
    expect((await prepared()).length).toBe(2)
  })
})
