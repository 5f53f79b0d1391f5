// No N+1 on the portal: home and a record detail run the same number of SQL statements for a company with
// 3 records / 2 files / 2 comments as for one with 60 records / 300 files / 600 comments. The statement
// log also shows the choke point at work: every statement that reads records is filtered by company,
// and every one that reads field values joins the visible-field allow-list (invariants 1 and 2).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PortalHome, PortalRecordDetail } from '../../src/shared/contracts/portal.js'
import type { RecordStatus } from '../../src/server/db/schema.js'
import { touchCompanies } from '../../src/server/db/versions.js'
import { testDatabases } from '../helpers/databases.js'
import { buildPortalTestApp, clientCookie, PortalData, portalGet, previewGet, staffHeaders, type PortalTestApp, type Res } from '../helpers/portal-data.js'

const STATUSES: RecordStatus[] = ['on_track', 'at_risk', 'off_track', 'done']

interface Company {
  size: string
  workspaceId: string
  companyId: string
  detailId: string
  cookie: string
  staff: Record<string, string>
}

/** One workspace whose client company has `records` records spread over the stages, with files and comments. */
async function seed(t: PortalTestApp, size: string, n: { records: number; filesPerRecord: number; commentsPerRecord: number; filesOnDetail: number; commentsOnDetail: number }): Promise<Company> {
  const d = new PortalData(t.deps.clock().toISOString())
  const w = d.workspace({ name: `Studio ${size}` })
  const users = ['Dana', 'Sam', 'Lee'].map((name) => d.user(w, { name }))
  const companyId = d.company(w, `Acme ${size}`)
  const otherCompany = d.company(w, `Globex ${size}`)
  const contact = d.contact(w, companyId, { name: 'Bea Buyer' })
  const projects = d.type(w, { key: 'projects', singular: 'Project', plural: 'Projects', hasPipeline: true, position: 0 })
  const stages = ['Planned', 'Doing', 'Review', 'Done'].map((name, position) => d.stage(w, projects, { name, position }))
  const fields = {
    due: d.field(w, projects, { key: 'due', label: 'Due', kind: 'date', position: 0 }),
    budget: d.field(w, projects, { key: 'budget', label: 'Budget', kind: 'currency', position: 1 }),
    lead: d.field(w, projects, { key: 'lead', label: 'Lead', kind: 'user', position: 2 }),
    site: d.field(w, projects, { key: 'site', label: 'Site', kind: 'url', position: 3 }),
    notes: d.field(w, projects, { key: 'notes', label: 'Notes', kind: 'long_text', position: 4 }),
  }
  d.settings(w, projects, { shareable: true, showStatus: true, showFiles: true, showComments: true })
  d.visible(w, projects, [fields.due, fields.budget, fields.lead, fields.site])
  const tasks = d.type(w, { key: 'tasks', singular: 'Task', plural: 'Tasks', hasPipeline: false, position: 1 })
  const taskTitle = d.field(w, tasks, { key: 'title', label: 'Title', kind: 'text', position: 0 })
  d.settings(w, tasks, { shareable: true, showStatus: false, showFiles: true, showComments: false })
  d.visible(w, tasks, [taskTitle])

  let detailId = ''
  for (let i = 0; i < n.records; i++) {
    const r = d.record(w, { typeId: projects, companyId, name: `Project ${String(i).padStart(3, '0')}`, stageId: stages[i % stages.length]!, status: STATUSES[i % STATUSES.length]! })
    if (i === 0) detailId = r
    d.value(w, r, fields.due, `2027-0${(i % 9) + 1}-1${i % 10}`)
    d.value(w, r, fields.budget, 1000 * i)
    d.value(w, r, fields.lead, users[i % users.length]!)
    d.value(w, r, fields.site, `https://acme.example/${i}`)
    d.value(w, r, fields.notes, `internal ${i}`)
    const fileCount = i === 0 ? n.filesOnDetail : n.filesPerRecord
    for (let f = 0; f < fileCount; f++) {
      d.file(w, r, f % 2 ? { name: `f${i}-${f}.pdf`, source: 'client', contactId: contact } : { name: `f${i}-${f}.pdf`, userId: users[f % users.length]! })
    }
    const commentCount = i === 0 ? n.commentsOnDetail : n.commentsPerRecord
    for (let c = 0; c < commentCount; c++) {
      const createdAt = new Date(Date.UTC(2026, 10, 1, 0, 0, c)).toISOString()
      d.comment(w, r, c % 2 ? { body: `reply ${c}`, contactId: contact, createdAt } : { body: `note ${c}`, userId: users[c % users.length]!, createdAt })
    }
    if (i % 3 === 0) {
      const task = d.record(w, { typeId: tasks, companyId, name: `Task ${i}` })
      d.value(w, task, taskTitle, `Title ${i}`)
    }
  }
  // Noise the portal must never read: another company's records.
  for (let i = 0; i < Math.min(n.records, 10); i++) d.record(w, { typeId: projects, companyId: otherCompany, name: `Other ${i}`, stageId: stages[0]! })
  await d.flush(t.deps)
  const staff = await staffHeaders(t, w, users[0]!)
  const cookie = await clientCookie(t, staff, companyId, contact)
  return { size, workspaceId: w, companyId, detailId, cookie, staff }
}

describe.each(testDatabases)('portal query count on $name', (db) => {
  let t: PortalTestApp
  let small: Company
  let large: Company

  beforeAll(async () => {
    t = await buildPortalTestApp(db)
    small = await seed(t, 'small', { records: 3, filesPerRecord: 0, commentsPerRecord: 0, filesOnDetail: 2, commentsOnDetail: 2 })
    large = await seed(t, 'large', { records: 60, filesPerRecord: 5, commentsPerRecord: 10, filesOnDetail: 5, commentsOnDetail: 10 })
  })
  afterAll(() => t.close())

  /** The statements run while answering one request. */
  async function counted(request: () => Promise<Res>): Promise<{ res: Res; statements: string[] }> {
    t.queries.length = 0
    const res = await request()
    const statements = [...t.queries]
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200)
    return { res, statements }
  }

  it('the datasets are what they claim: 3 vs 60 records, 2 vs 300 files, 2 vs 600 comments', async () => {
    const n = (row: { n: number | string }) => Number(row.n)
    const count = async (c: Company) => [
      n(
        await t.deps.db
          .selectFrom('records as r')
          .innerJoin('record_types as rt', 'rt.id', 'r.record_type_id')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('rt.key', '=', 'projects')
          .where('r.company_id', '=', c.companyId)
          .executeTakeFirstOrThrow(),
      ),
      n(
        await t.deps.db
          .selectFrom('files')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('workspace_id', '=', c.workspaceId)
          .executeTakeFirstOrThrow(),
      ),
      n(
        await t.deps.db
          .selectFrom('comments')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('workspace_id', '=', c.workspaceId)
          .executeTakeFirstOrThrow(),
      ),
    ]
    expect(await count(small)).toEqual([3, 2, 2])
    expect(await count(large)).toEqual([60, 300, 600])
  })

  it('home: the same number of statements at both sizes', async () => {
    const a = await counted(() => portalGet(t, small.cookie, '/home'))
    const b = await counted(() => portalGet(t, large.cookie, '/home'))
    const [homeA, homeB] = [a.res.json<PortalHome>(), b.res.json<PortalHome>()]
    expect(homeA.types[0]!.records).toHaveLength(3)
    expect(homeB.types[0]!.records).toHaveLength(60)
    expect(homeB.types[0]!.stages.reduce((n, s) => n + (s.fileCount ?? 0), 0)).toBe(300)
    expect(b.statements.length, b.statements.join('\n')).toBe(a.statements.length)
    expect(a.statements.length).toBeLessThanOrEqual(12)
  })

  it('record detail: the same number of statements at both sizes', async () => {
    const a = await counted(() => portalGet(t, small.cookie, `/records/${small.detailId}`))
    const b = await counted(() => portalGet(t, large.cookie, `/records/${large.detailId}`))
    const [detailA, detailB] = [a.res.json<PortalRecordDetail>(), b.res.json<PortalRecordDetail>()]
    expect([detailA.files!.length, detailA.comments!.length]).toEqual([2, 2])
    expect([detailB.files!.length, detailB.comments!.length]).toEqual([5, 10])
    expect(detailB.fields.map((f) => f.key)).toEqual(['due', 'budget', 'lead', 'site'])
    expect(b.statements.length, b.statements.join('\n')).toBe(a.statements.length)
    expect(a.statements.length).toBeLessThanOrEqual(12)
  })

  it('Preview home and detail: the same number of statements at both sizes too', async () => {
    const homeA = await counted(() => previewGet(t, small.staff, small.companyId, '/home'))
    const homeB = await counted(() => previewGet(t, large.staff, large.companyId, '/home'))
    expect(homeB.statements.length).toBe(homeA.statements.length)
    const detailA = await counted(() => previewGet(t, small.staff, small.companyId, `/records/${small.detailId}`))
    const detailB = await counted(() => previewGet(t, large.staff, large.companyId, `/records/${large.detailId}`))
    expect(detailB.statements.length).toBe(detailA.statements.length)
  })

  it('every statement that reads records is filtered by company; every one that reads values joins the visible-field list', async () => {
    await touchCompanies(t.deps.db, large.workspaceId, [large.companyId]) // a change: the cached views must be rebuilt
    const statements = [...(await counted(() => portalGet(t, large.cookie, '/home'))).statements, ...(await counted(() => portalGet(t, large.cookie, `/records/${large.detailId}`))).statements]
    const readingRecords = statements.filter((s) => /from "records"/i.test(s))
    expect(readingRecords.length).toBeGreaterThan(0)
    for (const s of readingRecords) expect(s, s).toMatch(/"company_id" = /)
    const readingValues = statements.filter((s) => /from "record_values"/i.test(s))
    expect(readingValues.length).toBe(2)
    for (const s of readingValues) expect(s, s).toMatch(/join "portal_visible_fields"/i)
  })

  it('a repeat view with nothing changed is answered from the view cache: only the session lookup runs, and the same ETag gives 304', async () => {
    const first = await counted(() => portalGet(t, large.cookie, '/home'))
    const repeat = await counted(() => portalGet(t, large.cookie, '/home'))
    expect(repeat.res.body).toBe(first.res.body)
    expect(repeat.statements.filter((s) => /from "(records|record_values|files|comments)"/i.test(s))).toEqual([])
    expect(repeat.statements.length).toBeLessThanOrEqual(2) // the session query, and at most a last-seen touch
    const etag = repeat.res.headers.etag as string
    expect(etag).toMatch(/^"[\w-]+"$/)
    const notModified = await t.app.inject({ method: 'GET', url: '/api/portal/home', headers: { cookie: large.cookie, 'if-none-match': etag } })
    expect(notModified.statusCode).toBe(304)
    expect(notModified.body).toBe('')
  })
})
