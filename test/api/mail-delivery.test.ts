// Email delivery end to end: queueEmail → outbox job → worker → real SMTP (smtp-server + mailparser)
// or the local mailbox; retries with backoff while SMTP is down, never a second send, failures visible.
import fs from 'node:fs'
import path from 'node:path'
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { backoffMs } from '../../src/server/jobs/outbox.js'
import { buildTestApp, type TestApp } from '../helpers/app.js'
import { testDatabases } from '../helpers/databases.js'
import { ACTION_URL, queueTestEmail, sampleContent, type TestEmailInput } from '../helpers/emails.js'
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js'
import { createWorkspace, signInStaff, type WorkspaceFixture } from '../factories.js'

const addresses = (a: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value.map((v) => v.address ?? ''))

const htmlOf = (m: ParsedMail): string => {
  expect(typeof m.html).toBe('string')
  return m.html as string
}

describe.each(testDatabases)('mail delivery over SMTP on $name', (db) => {
  let smtp: TestSmtpServer
  let t: TestApp
  let ws: WorkspaceFixture
  const queue = (over: Partial<TestEmailInput> = {}) =>
    queueTestEmail(t.deps, t.deps.db, t.clock(), { workspaceId: ws.workspaceId, to: ws.contact.email, replyTo: ws.admin.email, ...over })
  const jobOf = (emailId: string) =>
    t.deps.db.selectFrom('jobs').selectAll().where('idempotency_key', '=', `email:${emailId}`).executeTakeFirstOrThrow()
  const emailRow = (id: string) => t.deps.db.selectFrom('emails').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

  beforeAll(async () => {
    smtp = await startSmtpServer()
    t = await buildTestApp(db, { env: { SMTP_URL: smtp.url } })
    ws = await createWorkspace(t.deps)
  })
  afterAll(async () => {
    await t.close()
    await smtp.close()
  })
  // Each test starts with an empty outbox and a working SMTP server.
  beforeEach(async () => {
    await t.deps.db.deleteFrom('jobs').execute()
    await t.deps.db.deleteFrom('emails').execute()
    smtp.messages.length = 0
    smtp.setFailing(false)
  })

  it('delivers one branded message with an HTML and a text part, and marks the email sent', async () => {
    expect(t.deps.mailer.kind).toBe('smtp')
    const email = await queue({ headers: { 'List-Id': 'Comments <comments.coeffection>' } })
    expect(email.status).toBe('queued')

    expect(await t.worker.drain()).toBe(1)
    const [m, ...rest] = await smtp.waitFor(1)
    expect(rest).toHaveLength(0)
    expect(addresses(m!.to)).toEqual([ws.contact.email])
    expect(addresses(m!.from)).toEqual([t.deps.config.mailFrom])
    const workspace = await t.deps.db.selectFrom('workspaces').selectAll().where('id', '=', ws.workspaceId).executeTakeFirstOrThrow()
    expect(m!.from!.value[0]!.name).toBe(workspace.sender_name)
    expect(addresses(m!.replyTo)).toEqual([ws.admin.email])
    expect(m!.subject).toBe('New comment on Website redesign')
    expect(m!.messageId).toBe(`<${email.id}@coeffection>`)
    expect(m!.headerLines.find((h) => h.key === 'list-id')?.line).toMatch(/^List-Id: Comments <comments\.coeffection>$/i)

    const html = htmlOf(m!)
    const text = m!.text ?? ''
    expect(text).not.toBe('')
    for (const part of [html, text]) {
      expect(part).toContain(workspace.name)
      expect(part).toContain(workspace.postal_address)
      expect(part).toContain('You receive this because you watch Website redesign.')
      expect(part).toContain('Ada commented on Website redesign.')
      expect(part).toContain(ACTION_URL)
    }
    expect(html).toContain(`href="${ACTION_URL}"`)
    expect(text).not.toMatch(/<[a-z]/i)

    const sent = await emailRow(email.id)
    expect(sent.status).toBe('sent')
    expect(sent.sent_at).toBe(t.clock().toISOString())
    expect(sent.attempts).toBe(1)
    expect(sent.last_error).toBeNull()
    expect(sent.message_id).toBe(`<${email.id}@coeffection>`)
    expect((await jobOf(email.id)).status).toBe('done')
    // SMTP mode writes nothing to the local mailbox.
    expect(fs.existsSync(path.join(t.dataDir, 'mail'))).toBe(false)
  })

  it('escapes HTML from content in the HTML part and keeps it verbatim in the text part', async () => {
    const evil = 'Ada wrote: <script>alert(1)</script> & "more"'
    await queue({ content: sampleContent({ paragraphs: [evil] }) })
    await t.worker.drain()
    const [m] = await smtp.waitFor(1)
    const html = htmlOf(m!)
    expect(html).not.toMatch(/<script/i)
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;more&quot;')
    expect(m!.text).toContain(evil)
  })

  it('queues once per idempotency key: one email row, one job, one message', async () => {
    const first = await queue({ idempotencyKey: 'comment:1:contact:1' })
    const second = await queue({ idempotencyKey: 'comment:1:contact:1', content: sampleContent({ subject: 'A second render' }) })
    expect(second.id).toBe(first.id)
    expect(await t.deps.db.selectFrom('emails').select('id').execute()).toHaveLength(1)
    expect(await t.deps.db.selectFrom('jobs').select('id').execute()).toHaveLength(1)

    expect(await t.worker.drain()).toBe(1)
    expect(await t.worker.drain()).toBe(0)
    await smtp.waitFor(1)
    expect(smtp.messages).toHaveLength(1)
    expect(smtp.messages[0]!.subject).toBe('New comment on Website redesign')
  })

  it('keeps the email while SMTP is down, retries after the backoff, and sends it exactly once', async () => {
    smtp.setFailing(true)
    const email = await queue()
    const queuedAt = t.clock().getTime()

    expect(await t.worker.drain()).toBe(1)
    expect(smtp.messages).toHaveLength(0)
    const job = await jobOf(email.id)
    expect(job.status).toBe('pending')
    expect(job.attempts).toBe(1)
    expect(job.last_error).toMatch(/451/)
    expect(job.locked_until).toBeNull()
    expect(new Date(job.run_at).getTime()).toBe(queuedAt + backoffMs(1))
    const queued = await emailRow(email.id)
    expect(queued.status).toBe('queued')
    expect(queued.last_error).toMatch(/451/)
    expect(queued.sent_at).toBeNull()

    // Before the backoff has passed nothing runs, even with SMTP back.
    smtp.setFailing(false)
    t.clock.advance(backoffMs(1) - 1)
    expect(await t.worker.drain()).toBe(0)
    expect(smtp.messages).toHaveLength(0)

    t.clock.advance(1)
    expect(await t.worker.drain()).toBe(1)
    await smtp.waitFor(1)
    expect(await t.worker.drain()).toBe(0)
    t.clock.advance(24 * 3600_000)
    expect(await t.worker.drain()).toBe(0)
    expect(smtp.messages).toHaveLength(1)
    expect(smtp.messages[0]!.messageId).toBe(`<${email.id}@coeffection>`)

    const done = await jobOf(email.id)
    expect(done.status).toBe('done')
    expect(done.attempts).toBe(2)
    expect(done.last_error).toBeNull()
    const sent = await emailRow(email.id)
    expect(sent.status).toBe('sent')
    expect(sent.attempts).toBe(2)
    expect(sent.last_error).toBeNull()
  })

  it('gives up after max_attempts: job and email failed, shown in the staff outbox with the error', async () => {
    smtp.setFailing(true)
    const email = await queue()
    const { max_attempts: max } = await jobOf(email.id)
    expect(max).toBeGreaterThan(1)
    for (let attempt = 1; attempt <= max; attempt++) {
      expect(await t.worker.drain()).toBe(1)
      const job = await jobOf(email.id)
      expect(job.attempts).toBe(attempt)
      expect(job.status).toBe(attempt < max ? 'pending' : 'failed')
      expect((await emailRow(email.id)).status).toBe(attempt < max ? 'queued' : 'failed')
      t.clock.advance(backoffMs(attempt))
    }
    // A failed job is never picked up again, even once SMTP works.
    smtp.setFailing(false)
    t.clock.advance(7 * 24 * 3600_000)
    expect(await t.worker.drain()).toBe(0)
    expect(smtp.messages).toHaveLength(0)

    const headers = await signInStaff(t.app, ws.admin.email)
    const list = await t.app.inject({ url: '/api/v1/emails', headers })
    expect(list.statusCode).toBe(200)
    const summary = (list.json() as { id: string; status: string; lastError: string | null; attempts: number; sentAt: string | null }[]).find((e) => e.id === email.id)
    expect(summary).toMatchObject({ status: 'failed', attempts: max, sentAt: null })
    expect(summary!.lastError).toMatch(/451/)
  })
})

describe.each(testDatabases)('mail delivery to the local mailbox on $name', (db) => {
  let t: TestApp
  let ws: WorkspaceFixture
  beforeAll(async () => {
    t = await buildTestApp(db)
    ws = await createWorkspace(t.deps)
  })
  afterAll(() => t.close())

  it('writes DATA_DIR/mail/<emailId>.eml and lists the message with its links', async () => {
    expect(t.deps.mailer.kind).toBe('mailbox')
    const email = await queueTestEmail(t.deps, t.deps.db, t.clock(), { workspaceId: ws.workspaceId, to: ws.contact.email })
    expect(await t.worker.drain()).toBe(1)

    const file = path.join(t.dataDir, 'mail', `${email.id}.eml`)
    const parsed = await simpleParser(fs.readFileSync(file))
    expect(parsed.subject).toBe('New comment on Website redesign')
    expect(addresses(parsed.to)).toEqual([ws.contact.email])
    expect(parsed.messageId).toBe(`<${email.id}@coeffection>`)
    expect(parsed.text).toContain('Ada commented on Website redesign.')
    expect(parsed.text).toContain(ACTION_URL)
    expect(parsed.text).not.toMatch(/<[a-z]/i)
    expect(htmlOf(parsed)).toContain(`href="${ACTION_URL}"`)
    expect(htmlOf(parsed)).toContain('1 Main St, Springfield')

    const headers = await signInStaff(t.app, ws.admin.email)
    const res = await t.app.inject({ url: `/api/v1/emails/${email.id}`, headers })
    expect(res.statusCode).toBe(200)
    const detail = res.json() as { status: string; links: string[]; text: string; html: string; sentAt: string | null }
    expect(detail.status).toBe('sent')
    expect(detail.sentAt).toBe(t.clock().toISOString())
    expect(detail.links).toContain(ACTION_URL)
    expect(detail.text).toBe(email.text_body)

    // Another workspace cannot read it.
    const other = await createWorkspace(t.deps)
    const foreign = await t.app.inject({ url: `/api/v1/emails/${email.id}`, headers: await signInStaff(t.app, other.admin.email) })
    expect(foreign.statusCode).toBe(404)
  })
})
