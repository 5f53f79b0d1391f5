// Several app instances on one database: workers claim jobs (FOR UPDATE SKIP LOCKED on PostgreSQL, each
// with its own pool), so every email goes out exactly once, and an expired lease is taken over safely.
// The 300-email race needs real concurrent connections, so it runs on PostgreSQL (CI always sets
// TEST_DATABASE_URL); the lease tests run on both databases.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type Db } from '../../src/server/db/database.js'
import type { EmailRow, JobRow } from '../../src/server/db/schema.js'
import { createMailer, type Mailer } from '../../src/server/email/mailer.js'
import { emailSendHandler } from '../../src/server/email/outbox.js'
import { createWorker, type Worker } from '../../src/server/jobs/worker.js'
import { buildTestApp, type TestApp } from '../helpers/app.js'
import { testDatabases, type TestDatabase } from '../helpers/databases.js'
import { queueTestEmail } from '../helpers/emails.js'
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js'
import { createWorkspace, type WorkspaceFixture } from '../factories.js'

const LEASE_MS = 60_000

/** One app, one SMTP server, and three "instances": three pools on the app's PostgreSQL schema (SQLite: the one db). */
function useInstances(db: TestDatabase) {
  const w = {} as {
    smtp: TestSmtpServer
    t: TestApp
    ws: WorkspaceFixture
    pools: Db[]
    errors: object[]
    mailers: Mailer[]
    // A pooled SMTP transport (nodemailer's ?pool=true) reuses its connection, as a busy instance would;
    // smtp-server waits 100 ms before greeting every new connection, which 300 one-off sends can't afford.
    pooledMailer(): Mailer
    workerOn(pool: Db, mailer?: Mailer): Worker
    queue(): ReturnType<typeof queueTestEmail>
    jobOf(emailId: string): Promise<JobRow>
    emailRow(id: string): Promise<EmailRow>
  }
  w.pooledMailer = () => {
    const mailer = createMailer({ smtpUrl: `${w.smtp.url}/?pool=true`, dataDir: w.t.dataDir })
    w.mailers.push(mailer)
    return mailer
  }
  w.workerOn = (pool, mailer = w.pooledMailer()) =>
    createWorker({
      db: pool,
      dialect: w.t.deps.dialect,
      clock: w.t.clock,
      leaseMs: LEASE_MS,
      log: { error: (obj) => w.errors.push(obj), info: () => undefined },
      handlers: { 'email.send': emailSendHandler(pool, mailer, w.t.clock) },
    })
  w.queue = () => queueTestEmail(w.t.deps, w.t.deps.db, w.t.clock(), { workspaceId: w.ws.workspaceId, to: w.ws.contact.email })
  w.jobOf = (emailId) => w.t.deps.db.selectFrom('jobs').selectAll().where('idempotency_key', '=', `email:${emailId}`).executeTakeFirstOrThrow()
  w.emailRow = (id) => w.t.deps.db.selectFrom('emails').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

  beforeAll(async () => {
    w.smtp = await startSmtpServer()
  })
  afterAll(() => w.smtp.close())
  beforeEach(async () => {
    w.smtp.messages.length = 0
    w.errors = []
    w.mailers = []
    w.t = await buildTestApp(db, { env: { SMTP_URL: w.smtp.url } })
    w.ws = await createWorkspace(w.t.deps)
    if (db.name === 'postgres') {
      expect(w.t.pgSchema).toMatch(/^t_[0-9a-f]+$/)
      // Two more pools on the same schema: three app instances sharing one database.
      w.pools = [w.t.deps.db, openDatabase(db.url, { searchPath: w.t.pgSchema! }).db, openDatabase(db.url, { searchPath: w.t.pgSchema! }).db]
    } else {
      w.pools = [w.t.deps.db, w.t.deps.db, w.t.deps.db]
    }
  })
  afterEach(async () => {
    for (const mailer of w.mailers) mailer.close()
    for (const pool of new Set(w.pools)) if (pool !== w.t.deps.db) await pool.destroy()
    await w.t.close()
  })
  return w
}

describe.each(testDatabases.filter((d) => d.name === 'postgres'))('worker concurrency on $name', (db) => {
  const w = useInstances(db)

  it('three workers with their own pools send 300 queued emails exactly once each', async () => {
    const ids = await w.t.deps.db.transaction().execute(async (trx) => {
      const out: string[] = []
      for (let i = 0; i < 300; i++) out.push((await queueTestEmail(w.t.deps, trx, w.t.clock(), { workspaceId: w.ws.workspaceId, to: `c${i}@acme.example` })).id)
      return out
    })
    expect(new Set(ids).size).toBe(300)

    const workers = w.pools.map((pool) => w.workerOn(pool))
    const counts = await Promise.all(workers.map((worker) => worker.drain()))
    expect(counts.reduce((a, b) => a + b, 0)).toBe(300)
    for (const c of counts) expect(c).toBeGreaterThan(0) // all three really took part

    await w.smtp.waitFor(300)
    expect(await Promise.all(workers.map((worker) => worker.drain()))).toEqual([0, 0, 0])
    expect(w.smtp.messages).toHaveLength(300)
    const messageIds = w.smtp.messages.map((m) => m.messageId)
    expect(new Set(messageIds).size).toBe(300)
    expect(new Set(messageIds)).toEqual(new Set(ids.map((id) => `<${id}@coeffection>`)))
    const recipients = w.smtp.messages.map((m) => (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address)
    expect(new Set(recipients).size).toBe(300)

    const jobs = await w.t.deps.db.selectFrom('jobs').select(['status', 'attempts']).execute()
    expect(jobs).toHaveLength(300)
    expect(jobs.every((j) => j.status === 'done' && j.attempts === 1)).toBe(true)
    const emails = await w.t.deps.db.selectFrom('emails').select(['status', 'attempts']).execute()
    expect(emails.every((e) => e.status === 'sent' && e.attempts === 1)).toBe(true)
    expect(w.errors).toEqual([])
  })
})

describe.each(testDatabases)('worker leases on $name', (db) => {
  const w = useInstances(db)

  it('picks up a job left running by a dead worker once its lease has expired, and runs it once', async () => {
    const orphan = await w.queue()
    const leased = await w.queue()
    const now = w.t.clock().getTime()
    // A dead worker leaves its job running with a lease in the past; a live one holds a lease in the future.
    await w.t.deps.db
      .updateTable('jobs')
      .set({ status: 'running', attempts: 1, locked_by: 'dead-worker', locked_until: new Date(now - 1_000).toISOString() })
      .where('idempotency_key', '=', `email:${orphan.id}`)
      .execute()
    await w.t.deps.db
      .updateTable('jobs')
      .set({ status: 'running', attempts: 1, locked_by: 'live-worker', locked_until: new Date(now + LEASE_MS).toISOString() })
      .where('idempotency_key', '=', `email:${leased.id}`)
      .execute()

    const next = w.workerOn(w.pools[1]!)
    expect(await next.drain()).toBe(1)
    await w.smtp.waitFor(1)
    expect(await w.workerOn(w.pools[2]!).drain()).toBe(0)
    expect(w.smtp.messages.map((m) => m.messageId)).toEqual([`<${orphan.id}@coeffection>`])

    const job = await w.jobOf(orphan.id)
    expect(job.status).toBe('done')
    expect(job.attempts).toBe(2)
    expect((await w.emailRow(orphan.id)).status).toBe('sent')
    // The job whose lease is still valid was left alone.
    const held = await w.jobOf(leased.id)
    expect(held).toMatchObject({ status: 'running', locked_by: 'live-worker', attempts: 1 })
    expect((await w.emailRow(leased.id)).status).toBe('queued')
    expect(w.errors).toEqual([])
  })

  it('a worker that fails after its lease was taken over changes nothing: the email stays sent, and is not sent again', async () => {
    const email = await w.queue()
    // Worker A's SMTP call hangs past its lease, then fails.
    let fail!: (err: Error) => void
    let started!: () => void
    const sendStarted = new Promise<void>((resolve) => (started = resolve))
    const hanging: Mailer = {
      kind: 'smtp',
      send: () => {
        started()
        return new Promise((_resolve, reject) => (fail = reject))
      },
      close: () => undefined,
    }
    const slow = w.workerOn(w.pools[1]!, hanging)
    const slowDrain = slow.drain()
    await sendStarted

    // Its lease expires; worker B takes the job over and delivers.
    w.t.clock.advance(LEASE_MS + 1)
    const b = w.workerOn(w.pools[2]!)
    expect(await b.drain()).toBe(1)
    await w.smtp.waitFor(1)
    expect((await w.jobOf(email.id)).status).toBe('done')

    // Now A's send fails. That must not undo B's work nor schedule a retry.
    fail(new Error('connection reset'))
    expect(await slowDrain).toBe(1)
    const job = await w.jobOf(email.id)
    expect(job.status).toBe('done')
    expect(job.last_error).toBeNull()
    const row = await w.emailRow(email.id)
    expect(row.status).toBe('sent')
    expect(row.last_error).toBeNull()

    w.t.clock.advance(24 * 3600_000)
    expect(await b.drain()).toBe(0)
    expect(await w.workerOn(w.t.deps.db).drain()).toBe(0)
    expect(w.smtp.messages).toHaveLength(1)
  })
})
