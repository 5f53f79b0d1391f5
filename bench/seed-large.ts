// The benchmark's data: the demo workspace plus 50 companies, one of which ("Bench Co") has 200 records
// across the stages, 1,000 files and 5,000 comments. Written in batches straight into the database.
import { randomUUID } from 'node:crypto'
import { Readable } from 'node:stream'
import type { Deps } from '../src/server/deps.js'
import { seedDemo } from '../src/server/db/seed.js'

export async function seedLarge(deps: Deps, admin: { email: string; password: string }): Promise<{ companyId: string; contactId: string }> {
  await seedDemo(deps, admin)
  const db = deps.db
  const ws = await db.selectFrom('workspaces').select('id').executeTakeFirstOrThrow()
  const type = await db.selectFrom('record_types').select('id').where('key', '=', 'projects').executeTakeFirstOrThrow()
  const stages = await db.selectFrom('stages').select('id').where('record_type_id', '=', type.id).orderBy('position').execute()
  const fields = await db.selectFrom('fields').select(['id', 'key']).where('record_type_id', '=', type.id).execute()
  const users = await db.selectFrom('users').select('id').execute()
  const now = deps.clock()
  const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000).toISOString()
  const batch = async <T>(table: Parameters<typeof db.insertInto>[0], rows: T[]) => {
    for (let i = 0; i < rows.length; i += 200) await db.insertInto(table).values(rows.slice(i, i + 200) as never).execute()
  }

  const companies = Array.from({ length: 50 }, (_, i) => ({ id: randomUUID(), workspace_id: ws.id, name: i === 0 ? 'Bench Co' : `Company ${String(i).padStart(2, '0')}`, domain: null, created_at: at(9000), updated_at: at(10) }))
  await batch('companies', companies)
  const bench = companies[0]!
  const contactId = randomUUID()
  await db.insertInto('contacts').values({ id: contactId, workspace_id: ws.id, company_id: bench.id, name: 'Bea Bench', email: 'bea@bench.example', created_at: at(9000) }).execute()

  const records = Array.from({ length: 200 }, (_, i) => ({
    id: randomUUID(),
    workspace_id: ws.id,
    record_type_id: type.id,
    company_id: bench.id,
    name: `Bench project ${String(i + 1).padStart(3, '0')}`,
    owner_id: users[i % users.length]!.id,
    stage_id: stages[i % stages.length]!.id,
    status: (['on_track', 'at_risk', 'off_track', 'done'] as const)[i % 4],
    created_at: at(5000 + i),
    updated_at: at(i),
  }))
  await batch('records', records)
  const value = (key: string, i: number) =>
    ({ due_date: JSON.stringify('2027-03-01'), priority: JSON.stringify(['Low', 'Medium', 'High'][i % 3]), brief: JSON.stringify(`Scope and milestones of project ${i}.`), website: JSON.stringify('https://bench.example'), signed_off: 'true', internal_notes: JSON.stringify('Internal only'), budget: '1200000', margin: '21' })[key]
  await batch(
    'record_values',
    records.flatMap((r, i) => fields.flatMap((f) => (value(f.key, i) === undefined ? [] : [{ record_id: r.id, field_id: f.id, workspace_id: ws.id, value: value(f.key, i)! }]))),
  )
  const body = Buffer.from('%PDF-1.4 bench file\n')
  const files = Array.from({ length: 1000 }, (_, i) => {
    const id = randomUUID()
    return { id, workspace_id: ws.id, record_id: records[i % 200]!.id, name: `file-${i}.pdf`, size: body.length, content_type: 'application/pdf', storage_provider: 'local', storage_key: `${ws.id}/bench/${id}.pdf`, source: 'team' as const, uploaded_by_user_id: users[0]!.id, uploaded_by_contact_id: null, created_at: at(i) }
  })
  await batch('files', files)
  for (const f of files.slice(0, 20)) await deps.storage.put(f.storage_key, Readable.from([body]))
  await batch(
    'comments',
    Array.from({ length: 5000 }, (_, i) => ({ id: randomUUID(), workspace_id: ws.id, record_id: records[i % 200]!.id, author_user_id: users[i % users.length]!.id, author_contact_id: null, body: `Comment ${i} on the work so far.`, created_at: at(i) })),
  )
  return { companyId: bench.id, contactId }
}
