// Issue 7, "What must be shown": EXPLAIN of the portal home and record detail on PostgreSQL uses indexes.
// A realistic database (50 companies; the client's with 200 records, 1,000 files and 5,000 comments; the other
// 49 with their own; 2,000 portal sessions; ANALYZEd), the SQL the app really runs for one home and one detail
// (captured with its parameters), and EXPLAIN (FORMAT JSON) of each statement that reads records,
// record_values, files, comments or portal_sessions: each of those tables is read through its index, never by
// a Seq Scan. The plan walker itself is checked on hand-made plans on every run, PostgreSQL or not.
import { randomBytes, randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RecordStatus } from '../../src/server/db/schema.js'
import type { PortalHome, PortalRecordDetail } from '../../src/shared/contracts/portal.js'
import { testDatabases } from '../helpers/databases.js'
import { startInstances, tableAccesses, tablesIn, usesIndex, type Instance, type Instances, type PlanNode, type Statement, type TableAccess } from '../helpers/instances.js'
import { clientCookie, PortalData, portalGet, staffHeaders } from '../helpers/portal-data.js'

const WATCHED = ['records', 'record_values', 'files', 'comments', 'portal_sessions'] as const
/** The index each table must be read through on these pages. */
const EXPECTED_INDEXES: Record<(typeof WATCHED)[number], string[]> = {
  records: ['records_company_type', 'records_pkey'],
  record_values: ['record_values_pk'],
  files: ['files_record'],
  comments: ['comments_record'],
  portal_sessions: ['portal_sessions_pkey'],
}

describe('the plan walker', () => {
  const seq = (table: string): PlanNode => ({
    'Node Type': 'Seq Scan',
    'Relation Name': table,
  })
  const idx = (table: string, index: string, type = 'Index Scan'): PlanNode => ({
    'Node Type': type,
    'Relation Name': table,
    'Index Name': index,
  })

  it('finds a Seq Scan however deep it sits (joins, subplans), and calls it unindexed', () => {
    const plan: PlanNode = {
      'Node Type': 'Sort',
      Plans: [
        {
          'Node Type': 'Hash Join',
          Plans: [
            idx('records', 'records_company_type'),
            {
              'Node Type': 'Hash',
              Plans: [{ 'Node Type': 'Aggregate', Plans: [seq('files')] }],
            },
          ],
        },
        {
          'Node Type': 'Result',
          'Parent Relationship': 'InitPlan',
          Plans: [idx('portal_sessions', 'portal_sessions_pkey', 'Index Only Scan')],
        },
      ],
    }
    const accesses = tableAccesses(plan)
    expect(accesses).toEqual([
      {
        table: 'records',
        node: 'Index Scan',
        indexes: ['records_company_type'],
      },
      { table: 'files', node: 'Seq Scan', indexes: [] },
      {
        table: 'portal_sessions',
        node: 'Index Only Scan',
        indexes: ['portal_sessions_pkey'],
      },
    ])
    expect(accesses.map(usesIndex)).toEqual([true, false, true])
  })

  it('credits a Bitmap Heap Scan with the indexes of the Bitmap Index Scans under it, through BitmapAnd', () => {
    const plan: PlanNode = {
      'Node Type': 'Bitmap Heap Scan',
      'Relation Name': 'comments',
      Plans: [
        {
          'Node Type': 'BitmapAnd',
          Plans: [
            {
              'Node Type': 'Bitmap Index Scan',
              'Index Name': 'comments_record',
            },
            { 'Node Type': 'Bitmap Index Scan', 'Index Name': 'comments_pkey' },
          ],
        },
      ],
    }
    expect(tableAccesses(plan)).toEqual([
      {
        table: 'comments',
        node: 'Bitmap Heap Scan',
        indexes: ['comments_record', 'comments_pkey'],
      },
    ])
    // A lone Bitmap Index Scan is attributed through the index → table map.
    expect(tableAccesses({ 'Node Type': 'Bitmap Index Scan', 'Index Name': 'files_record' }, new Map([['files_record', 'files']]))).toEqual([
      { table: 'files', node: 'Bitmap Index Scan', indexes: ['files_record'] },
    ])
    // An access that names no index is never taken for an indexed one.
    expect(usesIndex({ table: 'files', node: 'Bitmap Heap Scan', indexes: [] })).toBe(false)
  })

  it('tells the watched tables apart in quoted SQL', () => {
    expect(tablesIn('select "v"."value" from "record_values" as "v" where "v"."record_id" in (select "r"."id" from "records" as "r")', WATCHED)).toEqual(['records', 'record_values'])
    expect(tablesIn('select * from "portal_session_events"', WATCHED)).toEqual([])
  })
})

const STATUSES: RecordStatus[] = ['on_track', 'at_risk', 'off_track', 'done']
const TENANTS = 49
const DAY = 86_400_000

describe.each(testDatabases.filter((d) => d.name === 'postgres'))('portal query plans on $name', (db) => {
  let s: Instances
  let A: Instance
  let cookie: string
  let detailId: string
  let indexTable: Map<string, string>
  let workspaceId: string
  let staff: Awaited<ReturnType<typeof staffHeaders>>
  let bigCompanyId: string
  const counts = {
    companies: 0,
    records: 0,
    files: 0,
    comments: 0,
    sessions: 0,
    bigRecords: 0,
    bigFiles: 0,
    bigComments: 0,
  }

  beforeAll(async () => {
    // The view cache off, so every request runs the full queries (the first one would anyway).
    s = await startInstances(1, {
      url: db.url,
      env: { PORTAL_CACHE: 'off' },
    })
    A = s.instances[0]!
    const now = A.deps.clock()
    await otherTenants(now.toISOString())
    const d = new PortalData(now.toISOString())
    const w = d.workspace({ name: 'Studio at scale' })
    workspaceId = w
    const users = ['Dana', 'Sam', 'Lee', 'Kim'].map((name) => d.user(w, { name }))
    const projects = d.type(w, {
      key: 'projects',
      singular: 'Project',
      plural: 'Projects',
      hasPipeline: true,
      position: 0,
    })
    const stages = ['Planned', 'Doing', 'Review', 'Done'].map((name, position) => d.stage(w, projects, { name, position }))
    const fields = {
      due: d.field(w, projects, {
        key: 'due',
        label: 'Due',
        kind: 'date',
        position: 0,
      }),
      budget: d.field(w, projects, {
        key: 'budget',
        label: 'Budget',
        kind: 'currency',
        position: 1,
      }),
      lead: d.field(w, projects, {
        key: 'lead',
        label: 'Lead',
        kind: 'user',
        position: 2,
      }),
      site: d.field(w, projects, {
        key: 'site',
        label: 'Site',
        kind: 'url',
        position: 3,
      }),
      notes: d.field(w, projects, {
        key: 'notes',
        label: 'Notes',
        kind: 'long_text',
        position: 4,
      }),
    }
    d.settings(w, projects, {
      shareable: true,
      showStatus: true,
      showFiles: true,
      showComments: true,
    })
    d.visible(w, projects, [fields.due, fields.budget, fields.lead, fields.site])

    const companies: { id: string; contacts: string[] }[] = []
    let big!: { id: string; contacts: string[] }
    for (let c = 0; c < 50; c++) {
      const id = d.company(w, c === 0 ? 'Acme Co' : `Client ${c}`)
      const company = {
        id,
        contacts: [0, 1].map((k) => d.contact(w, id, { name: `Contact ${c}.${k}` })),
      }
      companies.push(company)
      if (c === 0) big = company
      // The client's company: 200 records, 5 files and 25 comments each. The others: 20 records, 2 files, 10 comments.
      const [records, filesEach, commentsEach] = c === 0 ? [200, 5, 25] : [20, 2, 10]
      for (let i = 0; i < records; i++) {
        const r = d.record(w, {
          typeId: projects,
          companyId: id,
          name: `Project ${c}-${String(i).padStart(3, '0')}`,
          stageId: stages[i % 4]!,
          status: STATUSES[i % 4]!,
        })
        if (c === 0 && i === 0) detailId = r
        d.value(w, r, fields.due, `2027-0${(i % 9) + 1}-1${i % 10}`)
        d.value(w, r, fields.budget, 1000 * i)
        d.value(w, r, fields.lead, users[i % users.length]!)
        d.value(w, r, fields.site, `https://client${c}.example/${i}`)
        d.value(w, r, fields.notes, `internal note ${c}-${i}`)
        for (let f = 0; f < filesEach; f++)
          d.file(
            w,
            r,
            f % 2
              ? {
                  name: `f${i}-${f}.pdf`,
                  source: 'client',
                  contactId: company.contacts[0]!,
                }
              : { name: `f${i}-${f}.pdf`, userId: users[f % 4]! },
          )
        for (let k = 0; k < commentsEach; k++) {
          const createdAt = new Date(now.getTime() - DAY + k * 60_000).toISOString()
          d.comment(
            w,
            r,
            k % 2
              ? {
                  body: `reply ${k}`,
                  contactId: company.contacts[1]!,
                  createdAt,
                }
              : { body: `note ${k}`, userId: users[k % 4]!, createdAt },
          )
        }
        counts.records++
        counts.files += filesEach
        counts.comments += commentsEach
        if (c === 0) {
          counts.bigRecords++
          counts.bigFiles += filesEach
          counts.bigComments += commentsEach
        }
      }
      counts.companies++
    }
    await d.flush(A.deps)

    // Portal access as it accumulates: every contact was shared once, ten days ago, and has 20 sessions, most long over.
    const at = (ms: number) => new Date(now.getTime() + ms).toISOString()
    const grants = companies.flatMap((c) =>
      c.contacts.map((contact) => ({
        company: c.id,
        contact,
        id: randomUUID(),
        link: randomUUID(),
      })),
    )
    await A.deps.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('portal_grants')
        .values(
          grants.map((g) => ({
            id: g.id,
            workspace_id: w,
            company_id: g.company,
            contact_id: g.contact,
            contact_email: `c-${g.contact}@client.example`,
            contact_company_id: g.company,
            shared_by_user_id: users[0]!,
            uploads_folder: null,
            created_at: at(-10 * DAY),
            revoked_at: null,
          })),
        )
        .execute()
      await trx
        .insertInto('portal_links')
        .values(
          grants.map((g) => ({
            id: g.link,
            grant_id: g.id,
            workspace_id: w,
            token_hash: randomBytes(32).toString('hex'),
            expires_at: at(20 * DAY),
            created_at: at(-10 * DAY),
            sent_by_user_id: users[0]!,
            superseded_at: null,
            last_used_at: at(-DAY),
            reminder_sent_at: null,
          })),
        )
        .execute()
      const sessions = grants.flatMap((g) =>
        Array.from({ length: 20 }, (_, k) => ({
          id_hash: randomBytes(32).toString('hex'),
          grant_id: g.id,
          link_id: g.link,
          workspace_id: w,
          created_at: at(-(k + 1) * 12 * 3_600_000),
          last_seen_at: at(-(k + 1) * 12 * 3_600_000 + 600_000),
          expires_at: at(-(k + 1) * 12 * 3_600_000 + 30 * DAY),
        })),
      )
      for (let i = 0; i < sessions.length; i += 500)
        await trx
          .insertInto('portal_sessions')
          .values(sessions.slice(i, i + 500))
          .execute()
      counts.sessions = sessions.length
    })

    // The client of the big company signs in through the real flow (share → email → exchange).
    staff = await staffHeaders(A, w, users[0]!)
    bigCompanyId = big.id
    cookie = await clientCookie(A, staff, big.id, big.contacts[0]!)

    for (const { table_name } of await s.sql<{ table_name: string }>(`select table_name from information_schema.tables where table_schema = $1 and table_type = 'BASE TABLE'`, [s.schema])) {
      await s.sql(`ANALYZE "${table_name}"`)
    }
    indexTable = new Map(
      (await s.sql<{ indexname: string; tablename: string }>('select indexname, tablename from pg_indexes where schemaname = $1', [s.schema])).map((r) => [r.indexname, r.tablename]),
    )
  }, 60_000)
  afterAll(() => s?.close())

  /**
   * A hosted database holds other workspaces too: 49 more tenants, each with 20 companies of 25 records (5 values,
   * 2 files, 2 comments each), generated in the database in a few seconds. Without them every table is so small
   * that reading all of it is what the planner should (and does) choose for a company with a sixth of the rows,
   * and a plan would say nothing about whether the portal's reads can use an index as the database grows.
   */
  async function otherTenants(at: string) {
    const noise = `w.id like 'ws-noise-%'`
    // Generated rows are consistent by construction: skip the foreign-key triggers, which would triple the time.
    await s.sql(`set session_replication_role = replica`)
    try {
      await s.sql(
        `insert into workspaces (id, slug, name, logo_url, brand_color, postal_address, sender_name, created_at)
       select 'ws-noise-' || n, 'noise-' || n, 'Tenant ' || n, null, '#4f46e5', '1 Main St', 'Tenant ' || n, $1 from generate_series(1, ${TENANTS}) n`,
        [at],
      )
      await s.sql(`insert into record_types (id, workspace_id, key, singular, plural, has_pipeline, position)
       select 'rt-' || w.id, w.id, 'projects', 'Project', 'Projects', 1, 0 from workspaces w where ${noise}`)
      await s.sql(`insert into fields (id, workspace_id, record_type_id, key, label, kind, options, position)
       select 'f' || k || '-' || w.id, w.id, 'rt-' || w.id, 'k' || k, 'Field ' || k, 'text', null, k from workspaces w cross join generate_series(1, 5) k where ${noise}`)
      await s.sql(
        `insert into companies (id, workspace_id, name, domain, created_at, updated_at)
       select 'co' || c || '-' || w.id, w.id, 'Company ' || c, null, $1, $1 from workspaces w cross join generate_series(1, 20) c where ${noise}`,
        [at],
      )
      await s.sql(
        `insert into records (id, workspace_id, record_type_id, company_id, name, owner_id, stage_id, status, created_at, updated_at)
       select gen_random_uuid()::text, co.workspace_id, 'rt-' || co.workspace_id, co.id, 'Record ' || n, null, null, 'on_track', $1, $1
       from companies co join workspaces w on w.id = co.workspace_id cross join generate_series(1, 25) n where ${noise}`,
        [at],
      )
      await s.sql(`insert into record_values (record_id, field_id, workspace_id, value)
       select r.id, f.id, r.workspace_id, '"a value"' from records r join fields f on f.record_type_id = r.record_type_id join workspaces w on w.id = r.workspace_id where ${noise}`)
      await s.sql(
        `insert into files (id, workspace_id, record_id, name, size, content_type, storage_provider, storage_key, source, uploaded_by_user_id, uploaded_by_contact_id, created_at)
       select gen_random_uuid()::text, r.workspace_id, r.id, 'file-' || n || '.pdf', 1000, 'application/pdf', 'local', 'noise/' || r.id || '/' || n, 'team', null, null, $1
       from records r join workspaces w on w.id = r.workspace_id cross join generate_series(1, 2) n where ${noise}`,
        [at],
      )
      await s.sql(
        `insert into comments (id, workspace_id, record_id, author_user_id, author_contact_id, body, created_at)
       select gen_random_uuid()::text, r.workspace_id, r.id, null, null, 'A comment ' || n, $1
       from records r join workspaces w on w.id = r.workspace_id cross join generate_series(1, 2) n where ${noise}`,
        [at],
      )
    } finally {
      await s.sql(`set session_replication_role = origin`)
    }
  }

  /** The statements one request ran, with parameters; they must be exactly the SQL the pool executed. */
  async function statementsOf(url: string): Promise<{ body: unknown; statements: Statement[] }> {
    A.statements.length = 0
    const before = A.queries.length
    const res = await portalGet(A, cookie, url)
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200)
    const statements = [...A.statements]
    expect(statements.map((st) => st.sql)).toEqual(A.queries.slice(before))
    return { body: res.json(), statements }
  }

  interface Explained {
    sql: string
    tables: string[]
    accesses: TableAccess[]
  }
  async function explain(statements: Statement[]): Promise<Explained[]> {
    const out: Explained[] = []
    for (const st of statements) {
      const tables = tablesIn(st.sql, WATCHED)
      if (tables.length === 0) continue
      const [row] = await s.sql<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(`EXPLAIN (FORMAT JSON) ${st.sql}`, [...st.parameters])
      out.push({
        sql: st.sql,
        tables,
        accesses: tableAccesses(row!['QUERY PLAN'][0]!.Plan, indexTable),
      })
    }
    return out
  }

  /** Every read of a watched table goes through its expected index; returns `table: node index` lines. */
  function expectIndexed(explained: Explained[]): string[] {
    const lines: string[] = []
    for (const e of explained) {
      for (const table of e.tables)
        expect(
          e.accesses.map((a) => a.table),
          `a plan of: ${e.sql}`,
        ).toContain(table)
      for (const a of e.accesses.filter((x) => (WATCHED as readonly string[]).includes(x.table))) {
        const where = `${a.table} in: ${e.sql}\n→ ${a.node} ${a.indexes.join(', ')}`
        expect(usesIndex(a), where).toBe(true)
        expect(a.node, where).not.toBe('Seq Scan')
        for (const index of a.indexes) expect(EXPECTED_INDEXES[a.table as (typeof WATCHED)[number]], where).toContain(index)
        lines.push(`${a.table}: ${a.node} ${a.indexes.join(', ')}`)
      }
    }
    return [...new Set(lines)].sort()
  }

  it('the dataset is what it claims', async () => {
    const n = async (table: string, where = 'workspace_id = $1') => (await s.sql<{ n: number }>(`select count(*)::int as n from "${table}" where ${where}`, [workspaceId]))[0]!.n
    expect(await n('companies')).toBe(50)
    expect(await n('records')).toBe(counts.records)
    expect(counts.bigRecords).toBe(200)
    expect(counts.bigFiles).toBe(1000)
    expect(counts.bigComments).toBe(5000)
    expect(await n('files')).toBe(counts.files)
    expect(await n('comments')).toBe(counts.comments)
    expect(await n('record_values')).toBe(counts.records * 5)
    expect(await n('portal_sessions')).toBe(counts.sessions + 1)
    // The other tenants of the database.
    const others = 'workspace_id <> $1'
    expect(await n('workspaces', 'id <> $1')).toBe(TENANTS)
    expect(await n('records', others)).toBe(TENANTS * 500)
    expect(await n('record_values', others)).toBe(TENANTS * 2500)
    expect(await n('files', others)).toBe(TENANTS * 1000)
    expect(await n('comments', others)).toBe(TENANTS * 1000)
  })

  it('the portal home reads records, values, files and the session through their indexes, never a Seq Scan', async () => {
    const { body, statements } = await statementsOf('/home')
    const home = body as PortalHome
    expect(home.types[0]!.records).toHaveLength(200)
    expect(home.types[0]!.stages.reduce((sum, st) => sum + (st.fileCount ?? 0), 0)).toBe(1000)
    const explained = await explain(statements)
    const read = new Set(explained.flatMap((e) => e.accesses.map((a) => a.table)))
    for (const table of ['records', 'record_values', 'files', 'portal_sessions']) expect(read).toContain(table)
    const plans = expectIndexed(explained)
    expect(plans.length).toBeGreaterThanOrEqual(4)
  })

  it('a record detail reads the record, its values, files, comments and the session through their indexes, never a Seq Scan', async () => {
    const { body, statements } = await statementsOf(`/records/${detailId}`)
    const detail = body as PortalRecordDetail
    expect(detail.files).toHaveLength(5)
    expect(detail.comments).toHaveLength(25)
    expect(detail.fields.map((f) => f.key)).toEqual(['due', 'budget', 'lead', 'site'])
    const explained = await explain(statements)
    const read = new Set(explained.flatMap((e) => e.accesses.map((a) => a.table)))
    for (const table of WATCHED) expect(read).toContain(table)
    const plans = expectIndexed(explained)
    expect(plans.length).toBeGreaterThanOrEqual(5)
  })

  // PostgreSQL's planner reads these 200 rows by records_company_type and sorts them (cheaper than 200 heap visits in
  // index order); records_company_updated is what lets SQLite skip that sort (migration 006).
  it('the staff company page reads its 200 records through an index of records, never a Seq Scan', async () => {
    A.statements.length = 0
    const res = await A.app.inject({ url: `/api/v1/companies/${bigCompanyId}`, headers: staff })
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200)
    expect(res.json().records).toHaveLength(200)
    // The list, not the company's statement (which counts records and orders its contacts).
    const list = A.statements.find((st) => tablesIn(st.sql, ['records']).length > 0 && /order by "r"\."updated_at" desc/i.test(st.sql))!
    expect(list, 'the records list statement').toBeDefined()
    const [row] = await s.sql<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(`EXPLAIN (FORMAT JSON) ${list.sql}`, [...list.parameters])
    const plan = row!['QUERY PLAN'][0]!.Plan
    const records = tableAccesses(plan, indexTable).filter((a) => a.table === 'records')
    expect(records).toHaveLength(1)
    expect(usesIndex(records[0]!), `${records[0]!.node} ${records[0]!.indexes.join(', ')}`).toBe(true)
    expect(records[0]!.node).not.toBe('Seq Scan')
    expect(['records_company_type', 'records_company_updated']).toEqual(expect.arrayContaining(records[0]!.indexes))
  })
})
