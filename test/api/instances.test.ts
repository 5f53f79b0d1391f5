// Issue 7, "What must be shown": several stateless app instances on one PostgreSQL database. A session made
// on one works on every other; a revoke, a sign-out or a settings change on one is in force on the others at
// their very next request (no stale in-process cache, no stale 304); the link-sending limit is counted in the
// database; three workers on three instances deliver 1,000 emails exactly once at a real SMTP server; and a
// job whose worker died mid-way is completed later by another worker, once. PostgreSQL only: SQLite is one
// process's file (CI always sets TEST_DATABASE_URL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PortalHome, PortalRecordDetail } from '../../src/shared/contracts/portal.js'
import { migrateToLatest } from '../../src/server/db/database.js'
import { queueEmail } from '../../src/server/email/outbox.js'
import { createWorker } from '../../src/server/jobs/worker.js'
import { createWorkspace, signInStaff, type WorkspaceFixture } from '../factories.js'
import { testDatabases } from '../helpers/databases.js'
import { brandOfWorkspace, sampleContent } from '../helpers/emails.js'
import { shippedMigrations, startInstances, type Instance, type Instances } from '../helpers/instances.js'
import { patchPortalSettings } from '../helpers/portal-data.js'
import { HOUR, newContact, portalMe, revoke, share, signInClient, signOut, staffSession, type Res } from '../helpers/portal.js'

type Headers = Record<string, string>
const postgres = testDatabases.filter((d) => d.name === 'postgres')

describe('startInstances', () => {
  it('refuses SQLite: instances on SQLite would each open their own database and share nothing', async () => {
    await expect(startInstances(2, { url: ':memory:' })).rejects.toThrow(/needs PostgreSQL/)
    await expect(startInstances(2, { url: 'file:/tmp/coeffection-instances.db' })).rejects.toThrow(/needs PostgreSQL/)
    await expect(startInstances(0, { url: 'postgres://postgres@127.0.0.1:5432/test' })).rejects.toThrow(/at least one instance/)
  })
})

/**
 * The app's DDL this instance ran: exactly one of them may have run any. (Kysely's own `create table if not
 * exists kysely_migration…` runs on each before the lock, and is meant to.)
 */
const ddlOf = (i: Instance) => i.queries.filter((q) => /^create (table|index)\b/i.test(q) && !q.includes('"kysely_migration'))

function expectMigratedOnce(s: Instances) {
  const shipped = shippedMigrations()
  expect(shipped.length).toBeGreaterThanOrEqual(5)
  expect(s.migrations.map((m) => m.name)).toEqual(shipped) // each migration once, none missing, none extra
  const ddl = s.instances.map(ddlOf)
  expect(ddl.filter((d) => d.length > 0)).toHaveLength(1) // one instance migrated; the others waited on the lock
  const all = ddl.flat()
  expect(new Set(all).size).toBe(all.length) // no table or index created twice
  expect(all.filter((q) => q.startsWith('create table "portal_sessions"'))).toHaveLength(1)
}

describe.each(postgres)('app instances sharing one $name database: sessions, revokes and settings', (db) => {
  let s: Instances
  let A: Instance, B: Instance, C: Instance
  let ws: WorkspaceFixture
  let admin: Headers

  beforeAll(async () => {
    s = await startInstances(3, { url: db.url })
    ;[A, B, C] = s.instances as [Instance, Instance, Instance]
    ws = await createWorkspace(A.deps)
    admin = await staffSession(A, ws, ws.admin.id)
  })
  afterAll(() => s?.close())

  const get = (i: Instance, cookie: string, url: string, etag?: string) =>
    i.app.inject({
      method: 'GET',
      url,
      headers: { cookie, ...(etag ? { 'if-none-match': etag } : {}) },
    })
  /** A portal view that must be answered in full: 200 (a 304 here would be a stale view), with its ETag if any. */
  async function view<T>(i: Instance, cookie: string, url: string, staleEtag?: string): Promise<{ body: T; etag: string | undefined }> {
    const res = await get(i, cookie, url, staleEtag)
    expect(res.statusCode, `${i.name} GET ${url}: ${res.body.slice(0, 200)}`).toBe(200)
    return {
      body: res.json<T>(),
      etag: typeof res.headers.etag === 'string' ? res.headers.etag : undefined,
    }
  }
  const expectEnded = (res: Res, where: string) => {
    expect(res.statusCode, `${where}: ${res.body.slice(0, 200)}`).toBe(401)
    expect(res.json().error.code).toBe('UNAUTHENTICATED')
  }
  /** A new contact of Acme, shared on `on`, signed in on `at`. */
  async function client(on: Instance, at: Instance, w = ws, staff = admin) {
    const contact = await newContact(on, w)
    const sent = await share(on, staff, w.company.id, contact.id, 30)
    return {
      contact,
      grantId: sent.grantId,
      cookie: await signInClient(at, sent.token),
    }
  }

  it('all three started together and migrated at once: every migration ran exactly once, on one of them, with no error', async () => {
    expectMigratedOnce(s)
    const tables = await s.sql<{ table_name: string }>(`select table_name from information_schema.tables where table_schema = $1`, [s.schema])
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['workspaces', 'records', 'portal_sessions', 'jobs', 'emails', 'kysely_migration']))
    // Starting again (a rolling restart of all three at once) migrates nothing.
    const before = s.instances.map((i) => ddlOf(i).length)
    await Promise.all(s.instances.map((i) => migrateToLatest(i.deps.db)))
    expect(s.instances.map((i) => ddlOf(i).length)).toEqual(before)
    expect((await s.sql('select name from kysely_migration')).length).toBe(shippedMigrations().length)
  })

  it('a portal session created on A (link exchanged there) works on B and C', async () => {
    const { contact, cookie } = await client(A, A)
    const me = await portalMe(B, cookie)
    expect(me.statusCode, me.body).toBe(200)
    expect(me.json()).toMatchObject({
      company: { name: 'Acme Co' },
      contact: { email: contact.email },
      preview: false,
    })
    const home = await view<PortalHome>(C, cookie, '/api/portal/home')
    expect(home.body.types.flatMap((t) => t.records.map((r) => r.name))).toEqual(['Website redesign'])
    // And the other way round: a link shared on C opens a session on B that A serves.
    const other = await client(C, B)
    expect((await portalMe(A, other.cookie)).statusCode).toBe(200)
  })

  it('a staff session signed in on A works on B; signing out on A ends it on B and C at their next request', async () => {
    const headers = await signInStaff(A.app, ws.member.email)
    const me = (i: Instance) => i.app.inject({ method: 'GET', url: '/api/v1/me', headers })
    const onB = await me(B)
    expect(onB.statusCode, onB.body).toBe(200)
    expect(onB.json().user).toMatchObject({
      email: ws.member.email,
      role: 'member',
    })
    expect((await me(C)).statusCode).toBe(200)

    const out = await A.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-out',
      headers,
    })
    expect(out.statusCode, out.body).toBe(200)
    expectEnded(await me(B), 'B after sign-out on A')
    expectEnded(await me(C), 'C after sign-out on A')
    expectEnded(await me(A), 'A after its own sign-out')
  })

  it('revoke on A: the very next request on B is 401, for every portal route, even with the last ETag', async () => {
    const { grantId, cookie } = await client(A, B)
    // B has served this client (and any response cache of B's is warm).
    const home = await view<PortalHome>(B, cookie, '/api/portal/home')
    const detail = await view<PortalRecordDetail>(B, cookie, `/api/portal/records/${ws.record.id}`)
    expect(detail.body.name).toBe('Website redesign')
    expect((await portalMe(B, cookie)).statusCode).toBe(200)

    const res = await revoke(A, admin, grantId)
    expect(res.statusCode, res.body).toBe(200)
    expectEnded(await get(B, cookie, '/api/portal/home', home.etag), 'B home after revoke on A')
    expectEnded(await get(B, cookie, `/api/portal/records/${ws.record.id}`, detail.etag), 'B detail after revoke on A')
    expectEnded(await portalMe(B, cookie), 'B /me after revoke on A')
    expectEnded(await get(C, cookie, '/api/portal/home'), 'C home after revoke on A')
  })

  it('a client signing out on A is signed out on B at the next request', async () => {
    const { cookie } = await client(B, A)
    const home = await view<PortalHome>(B, cookie, '/api/portal/home')
    expect((await portalMe(B, cookie)).statusCode).toBe(200)
    const out = await signOut(A, cookie)
    expect(out.statusCode, out.body).toBe(200)
    expectEnded(await portalMe(B, cookie), 'B /me after sign-out on A')
    expectEnded(await get(B, cookie, '/api/portal/home', home.etag), 'B home after sign-out on A')
    expectEnded(await portalMe(C, cookie), 'C /me after sign-out on A')
  })

  it('a settings change on A is in B’s next response, and one on B in A’s: no stale view on either, no stale 304', async () => {
    // A workspace of its own: its settings change must not leak into the other tests.
    const w = await createWorkspace(A.deps)
    const staff = await staffSession(A, w, w.admin.id)
    const typeId = w.projects.id
    const budget = w.projects.fieldIds.budget!
    const setBudget = await A.app.inject({
      method: 'PATCH',
      url: `/api/v1/records/${w.record.id}`,
      headers: staff,
      payload: { values: { budget: 125_000 } },
    })
    expect(setBudget.statusCode, setBudget.body).toBe(200)
    const { cookie } = await client(A, B, w, staff)
    const detailUrl = `/api/portal/records/${w.record.id}`
    const budgetOf = (d: PortalRecordDetail) => d.fields.find((f) => f.key === 'budget')?.display
    const budgetOnHome = (h: PortalHome) =>
      h.types
        .flatMap((t) => t.records)
        .find((r) => r.id === w.record.id)
        ?.summary.find((f) => f.key === 'budget')?.display

    // Each instance's last view of each page, with its ETag: every look sends it as If-None-Match.
    const seen = new Map<string, { etag: string | undefined; body: PortalRecordDetail & PortalHome }>()
    /** After a change the answer must be a full 200 with the new content; `unchanged` allows a 304 revalidation. */
    const look = async (i: Instance, url: string, unchanged = false) => {
      const key = `${i.name} ${url}`
      const last = seen.get(key)
      if (unchanged && last?.etag) {
        const res = await get(i, cookie, url, last.etag)
        expect(res.statusCode).toBe(304)
        return last.body
      }
      const r = await view<PortalRecordDetail & PortalHome>(i, cookie, url, last?.etag)
      seen.set(key, r)
      return r.body
    }
    // Both instances have rendered the record without the field, then revalidated it: any cache is warm.
    for (const [i, unchanged] of [
      [A, false],
      [B, false],
      [A, true],
      [B, true],
    ] as const) {
      expect(budgetOf(await look(i, detailUrl, unchanged))).toBeUndefined()
      expect(budgetOnHome(await look(i, '/api/portal/home', unchanged))).toBeUndefined()
    }

    // Admin on A makes Budget visible: B's very next detail and home show it.
    const on = await patchPortalSettings(A, staff, typeId, {
      visibleFieldIds: [budget],
    })
    expect(on.statusCode, on.body).toBe(200)
    expect(budgetOf(await look(B, detailUrl))).toBe('$1,250.00')
    expect(budgetOnHome(await look(B, '/api/portal/home'))).toBe('$1,250.00')
    expect(budgetOf(await look(A, detailUrl))).toBe('$1,250.00')
    expect(budgetOnHome(await look(A, '/api/portal/home'))).toBe('$1,250.00')
    expect(budgetOf(await look(C, detailUrl))).toBe('$1,250.00')

    // Admin on B hides it again: A's very next detail and home no longer carry it, nor its value.
    const off = await patchPortalSettings(B, staff, typeId, {
      visibleFieldIds: [],
    })
    expect(off.statusCode, off.body).toBe(200)
    for (const i of [A, B, C]) {
      const detail = await look(i, detailUrl)
      expect(budgetOf(detail)).toBeUndefined()
      expect(JSON.stringify(detail)).not.toContain('1,250')
      expect(budgetOnHome(await look(i, '/api/portal/home'))).toBeUndefined()
    }

    // And a type switched off on A disappears from B's home at once.
    const hidden = await patchPortalSettings(A, staff, typeId, {
      shareable: false,
    })
    expect(hidden.statusCode, hidden.body).toBe(200)
    expect((await look(B, '/api/portal/home')).types).toEqual([])
    expect((await get(B, cookie, detailUrl, seen.get(`B ${detailUrl}`)?.etag)).statusCode).toBe(404)
  })

  it('a record change on one instance is in the others’ next view', async () => {
    const w = await createWorkspace(A.deps)
    const staff = await staffSession(A, w, w.admin.id)
    expect(
      (
        await patchPortalSettings(A, staff, w.projects.id, {
          visibleFieldIds: [w.projects.fieldIds.budget!],
          showStatus: true,
        })
      ).statusCode,
    ).toBe(200)
    const { cookie } = await client(A, A, w, staff)
    const url = `/api/portal/records/${w.record.id}`
    let etag: string | undefined
    const onB = async () => {
      const r = await view<PortalRecordDetail>(B, cookie, url, etag)
      etag = r.etag
      return r.body
    }
    expect(await onB()).toMatchObject({
      name: 'Website redesign',
      status: 'on_track',
      fields: [],
    })
    for (const [i, payload, expected] of [
      [
        A,
        { values: { budget: 5_000 } },
        {
          fields: [expect.objectContaining({ key: 'budget', display: '$50.00' })],
        },
      ],
      [C, { status: 'at_risk' }, { status: 'at_risk' }],
      [A, { name: 'Website relaunch' }, { name: 'Website relaunch' }],
      [C, { stageId: w.projects.stageIds[2] }, { stage: { name: 'Done', color: '#336699' } }],
    ] as const) {
      const res = await i.app.inject({
        method: 'PATCH',
        url: `/api/v1/records/${w.record.id}`,
        headers: staff,
        payload,
      })
      expect(res.statusCode, res.body).toBe(200)
      expect(await onB()).toMatchObject(expected)
    }
  })

  it('the link-sending limit is counted across instances: 5 shares to one contact over A and B, the 6th on any instance is 429', async () => {
    const contact = await newContact(A, ws)
    let grantId = ''
    for (const i of [A, B, A, B, A]) grantId = (await share(i, admin, ws.company.id, contact.id, 30)).grantId
    const links = () => s.sql<{ n: number }>('select count(*)::int as n from portal_links where grant_id = $1', [grantId])
    const emails = () => s.sql<{ n: number }>(`select count(*)::int as n from emails where to_address = $1`, [contact.email])
    expect(await links()).toEqual([{ n: 5 }])
    for (const i of [B, A, C]) {
      const res = await i.app.inject({
        method: 'POST',
        url: `/api/v1/companies/${ws.company.id}/portal/share`,
        headers: admin,
        payload: { contactId: contact.id, expiresInDays: 30 },
      })
      expect(res.statusCode, `${i.name}: ${res.body}`).toBe(429)
      expect(res.json().error).toMatchObject({
        code: 'RATE_LIMITED',
        message: expect.stringMatching(/5 links in the last hour/),
      })
    }
    expect(await links()).toEqual([{ n: 5 }])
    expect(await emails()).toEqual([{ n: 5 }])
    // An hour later (one clock for all: the counter is rows in the database, not memory), B may send again.
    s.clock.advance(HOUR + 1_000)
    await share(B, await staffSession(B, ws, ws.admin.id), ws.company.id, contact.id, 30)
    expect(await links()).toEqual([{ n: 6 }])
  })

  it('concurrent shares to one contact on three instances cannot get past the limit, nor open two grants', async () => {
    const contact = await newContact(A, ws)
    const staff = await staffSession(A, ws, ws.admin.id)
    const results = await Promise.all(
      [A, B, C, A, B, C, A, B, C].map((i) =>
        i.app.inject({
          method: 'POST',
          url: `/api/v1/companies/${ws.company.id}/portal/share`,
          headers: staff,
          payload: { contactId: contact.id, expiresInDays: 30 },
        }),
      ),
    )
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 429, 429, 429, 429])
    const grants = await s.sql<{ id: string }>('select id from portal_grants where contact_id = $1 and revoked_at is null', [contact.id])
    expect(grants).toHaveLength(1)
    const links = await s.sql<{ superseded_at: string | null }>('select superseded_at from portal_links where grant_id = $1', [grants[0]!.id])
    expect(links).toHaveLength(5)
    expect(links.filter((l) => l.superseded_at === null)).toHaveLength(1) // one live link, the others superseded
    expect(await s.sql('select id from emails where to_address = $1', [contact.email])).toHaveLength(5)
  })
})

describe.each(postgres)('workers on three app instances sharing one $name database', (db) => {
  let s: Instances
  let A: Instance, B: Instance, C: Instance
  let ws: WorkspaceFixture

  beforeAll(async () => {
    s = await startInstances(3, { url: db.url })
    ;[A, B, C] = s.instances as [Instance, Instance, Instance]
    ws = await createWorkspace(A.deps)
  })
  afterAll(() => s?.close())

  /** Queues `count` emails on one instance, in one transaction, through the real queueEmail. */
  async function queueOn(i: Instance, keys: string[]) {
    const { senderName, ...brand } = await brandOfWorkspace(i.deps.db, ws.workspaceId)
    await i.deps.db.transaction().execute(async (trx) => {
      for (const key of keys) {
        await queueEmail(trx, i.deps.clock(), {
          workspaceId: ws.workspaceId,
          to: `${key}@client.example`,
          from: `"${senderName}" <${i.deps.config.mailFrom}>`,
          idempotencyKey: key,
          brand,
          content: sampleContent({ subject: `Update ${key}` }),
        })
      }
    })
  }
  const emailIdsOf = async (keys: string[]) => (await s.sql<{ id: string; idempotency_key: string }>('select id, idempotency_key from emails where idempotency_key = any($1)', [keys])).map((r) => r.id)
  const messageIds = () => s.smtp.messages.map((m) => m.messageId)

  it('were migrated by all three at once, exactly once', () => {
    expectMigratedOnce(s)
  })

  it('1,000 email jobs, three workers on three instances: exactly 1,000 messages at the SMTP server, each email once', async () => {
    const keys = Array.from({ length: 1000 }, (_, n) => `bulk-${String(n).padStart(4, '0')}`)
    // Each instance queues a third, at the same time.
    await Promise.all(
      [A, B, C].map((i, k) =>
        queueOn(
          i,
          keys.filter((_, n) => n % 3 === k),
        ),
      ),
    )
    const ids = await emailIdsOf(keys)
    expect(new Set(ids).size).toBe(1000)
    expect(await s.sql('select id from jobs where status = $1', ['pending'])).toHaveLength(1000)

    s.smtp.messages.length = 0
    for (const i of s.instances) i.worker.start()
    try {
      await s.smtp.waitFor(1000, 45_000)
    } finally {
      await Promise.all(s.instances.map((i) => i.worker.stop()))
    }
    // Nothing is left to run, and nothing more arrives.
    expect(await Promise.all(s.instances.map((i) => i.worker.drain()))).toEqual([0, 0, 0])
    expect(s.smtp.messages).toHaveLength(1000)
    expect(new Set(messageIds())).toEqual(new Set(ids.map((id) => `<${id}@coeffection>`)))
    const recipients = s.smtp.messages.map((m) => (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address)
    expect(new Set(recipients)).toEqual(new Set(keys.map((k) => `${k}@client.example`)))

    const jobs = await s.sql<{
      status: string
      attempts: number
      locked_by: string
    }>('select status, attempts, locked_by from jobs')
    expect(jobs).toHaveLength(1000)
    expect(jobs.filter((j) => j.status !== 'done' || j.attempts !== 1)).toEqual([])
    expect(new Set(jobs.map((j) => j.locked_by)).size).toBe(3) // all three workers took part
    const emails = await s.sql<{ status: string; attempts: number }>('select status, attempts from emails')
    expect(emails.filter((e) => e.status !== 'sent' || e.attempts !== 1)).toEqual([])
    expect(s.instances.flatMap((i) => i.workerErrors)).toEqual([])

    // The same notifications queued again (a retried request, on another instance) are no-ops.
    await queueOn(C, keys.slice(0, 100))
    expect(await s.sql('select id from emails')).toHaveLength(1000)
    expect(await s.sql('select id from jobs')).toHaveLength(1000)
    expect(await Promise.all(s.instances.map((i) => i.worker.drain()))).toEqual([0, 0, 0])
    expect(s.smtp.messages).toHaveLength(1000)
  }, 60_000)

  it('a worker killed mid-job: once its lease has expired another instance completes the job, exactly once', async () => {
    s.smtp.messages.length = 0
    const keys = ['kill-1', 'kill-2', 'kill-3']
    await queueOn(A, keys)
    const ids = await emailIdsOf(keys)

    // C's worker claims a job with a 200 ms lease, and its handler never returns: the process is gone.
    let claimed!: (payload: { emailId: string }) => void
    const claim = new Promise<{ emailId: string }>((resolve) => (claimed = resolve))
    const doomed = createWorker({
      db: C.deps.db,
      dialect: C.deps.dialect,
      clock: s.clock,
      leaseMs: 200,
      log: { error: () => undefined, info: () => undefined },
      handlers: {
        'email.send': (payload) => {
          claimed(payload as { emailId: string })
          return new Promise<void>(() => undefined)
        },
      },
    })
    void doomed.drain()
    const { emailId: lost } = await claim
    expect(ids).toContain(lost)
    await C.close()
    const job = () => s.sql<{ status: string; attempts: number; locked_by: string }>(`select status, attempts, locked_by from jobs where idempotency_key = $1`, [`email:${lost}`])
    const [held] = await job()
    expect(held).toMatchObject({ status: 'running', attempts: 1 })

    // While the lease holds, the live instances send the other two and leave the claimed one alone.
    expect((await A.worker.drain()) + (await B.worker.drain())).toBe(2)
    expect(messageIds().sort()).toEqual(
      ids
        .filter((id) => id !== lost)
        .map((id) => `<${id}@coeffection>`)
        .sort(),
    )

    // The lease runs out: B takes the job over and delivers it.
    s.clock.advance(201)
    expect(await B.worker.drain()).toBe(1)
    expect(await A.worker.drain()).toBe(0)
    const [done] = await job()
    expect(done).toMatchObject({ status: 'done', attempts: 2 })
    expect(done!.locked_by).not.toBe(held!.locked_by)

    // Later still, nothing runs twice.
    s.clock.advance(HOUR)
    expect((await A.worker.drain()) + (await B.worker.drain())).toBe(0)
    expect(messageIds().filter((m) => m === `<${lost}@coeffection>`)).toHaveLength(1)
    expect(s.smtp.messages).toHaveLength(3)
    expect(await s.sql('select status, attempts from emails where id = $1', [lost])).toEqual([{ status: 'sent', attempts: 1 }])
  })
})
