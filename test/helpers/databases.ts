// The integration suite runs on SQLite always and on PostgreSQL whenever TEST_DATABASE_URL is set.
// Each test app gets its own PostgreSQL schema, so files run in parallel without sharing rows.
import { randomBytes } from 'node:crypto'
import pg from 'pg'

export interface TestDatabase {
  name: 'sqlite' | 'postgres'
  url: string
}

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL

export const testDatabases: TestDatabase[] = [
  { name: 'sqlite', url: ':memory:' },
  ...(TEST_DATABASE_URL ? [{ name: 'postgres' as const, url: TEST_DATABASE_URL }] : []),
]

if (!TEST_DATABASE_URL && process.env.CI) throw new Error('CI must set TEST_DATABASE_URL so the PostgreSQL suite runs')

export async function createPgSchema(url: string): Promise<{ schema: string; drop: () => Promise<void> }> {
  const schema = `t_${randomBytes(6).toString('hex')}`
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  await client.query(`CREATE SCHEMA ${schema}`)
  await client.end()
  return {
    schema,
    drop: async () => {
      const c = new pg.Client({ connectionString: url })
      await c.connect()
      await c.query(`DROP SCHEMA ${schema} CASCADE`)
      await c.end()
    },
  }
}
