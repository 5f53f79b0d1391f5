// Issue 5: what a notification email carries and how it travels. Several changes within the window go
// out as one email; a hidden field's value never appears in any email; From, Reply-To and the CAN-SPAM
// footer come from the workspace; the previews of Settings → Notifications; SMTP down → retried with
// backoff and delivered exactly once; running a notification job again never sends twice.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { enqueueJob, backoffMs } from '../../src/server/jobs/outbox.js'
import { sendRecordUpdates } from '../../src/server/modules/notifications/notifications.service.js'
import { testDatabases } from '../helpers/databases.js'
import {
  addresses,
  BATCH_MS,
  buildNotifyWorld,
  clientComment,
  everything,
  htmlOf,
  messageTo,
  newClient,
  newTenant,
  optIn,
  patchPortalSettings,
  patchRecord,
  patchWorkspace,
  postConfirm,
  recipients,
  staffComment,
  subscribedClient,
  textOf,
  unsubscribeLinkOf,
  type NotifyWorld,
  type ParsedMail,
  type Tenant,
} from '../helpers/notify.js'
import { reshare } from '../helpers/portal.js'

describe.each(testDatabases)('notification content and delivery on $name', (db) => {
  let w: NotifyWorld
  let tenant: Tenant
  beforeAll(async () => {
    w = await buildNotifyWorld(db)
  })
  afterAll(() => w.close())
  beforeEach(async () => {
    tenant = await newTenant(w)
    w.smtp.setFailing(false)
  })

  const stageIds = () => tenant.ws.projects.stageIds
  const jobsOf = (kind: string) => w.t.deps.db.selectFrom('jobs').selectAll().where('kind', '=', kind).where('workspace_id', '=', tenant.ws.workspaceId).execute()
  const emailsTo = (to: string) => w.t.deps.db.selectFrom('emails').selectAll().where('to_address', '=', to).execute()

  it('several changes within the window go out as one email with the final stage; nothing before the window passes', async () => {
    await patchPortalSettings(w, tenant, tenant.ws.projects.id, { showStatus: true })
    const client = await subscribedClient(w, tenant)
    const start = w.t.clock().getTime()
    await patchRecord(w, tenant, tenant.ws.record.id, { stageId: stageIds()[1] })
    w.t.clock.advance(30_000)
    await patchRecord(w, tenant, tenant.ws.record.id, { stageId: stageIds()[2] })
    w.t.clock.advance(30_000)
    await patchRecord(w, tenant, tenant.ws.record.id, { status: 'at_risk' })

    // One job for the record, due when the window that opened with the first change closes.
    const jobs = await jobsOf('notify.record-updates')
    expect(jobs).toHaveLength(1)
    expect(new Date(jobs[0]!.run_at).getTime()).toBe(start + BATCH_MS)
    expect(await w.deliver()).toEqual([])
    w.t.clock.set(new Date(start + BATCH_MS - 1))
    expect(await w.deliver()).toEqual([])

    w.t.clock.advance(1)
    const messages = await w.deliver()
    expect(messages).toHaveLength(1)
    const m = messageTo(messages, client.email)
    expect(m.subject).toBe('Website redesign: Moved to Done')
    const text = textOf(m)
    expect(text).toContain('• Moved to Done\n\n• Status is now At risk')
    expect(text).not.toContain('Doing')
    expect(htmlOf(m)).toContain('• Status is now At risk')
    expect(await w.afterWindow()).toEqual([])

    // A change after the window opens a new batch: one more email.
    await patchRecord(w, tenant, tenant.ws.record.id, { stageId: stageIds()[0] })
    const next = await w.afterWindow()
    expect(recipients(next)).toEqual([client.email])
    expect(next[0]!.subject).toBe('Website redesign: Moved to Planned')
    expect(textOf(next[0]!)).not.toContain('Status is now')
  })

  it("a hidden field's value never appears in any email nor in the portal's comment responses", async () => {
    const sentinel = `SENTINEL-${randomUUID()}`
    const { fieldIds } = tenant.ws.projects
    await patchPortalSettings(w, tenant, tenant.ws.projects.id, { showStatus: true, emailOnStaffReply: true, visibleFieldIds: [fieldIds.website!] })
    await patchRecord(w, tenant, tenant.ws.record.id, { values: { notes: sentinel, website: 'https://acme.example/visible' }, watcherIds: [tenant.ws.member.id] })
    const staffView = await w.t.app.inject({ url: `/api/v1/records/${tenant.ws.record.id}`, headers: tenant.admin })
    expect(staffView.json().values.notes).toBe(sentinel) // stored, and staff see it

    const all: ParsedMail[] = []
    const client = await newClient(w, tenant)
    const { token, message: confirmation } = await optIn(w, client)
    all.push(confirmation)
    expect((await postConfirm(w, token)).statusCode).toBe(200)

    const comment = await clientComment(w, client, tenant.ws.record.id, 'What is the status of the notes?')
    expect(comment.statusCode, comment.body).toBe(201)
    expect(comment.body).not.toContain(sentinel)
    all.push(...(await w.deliver()))
    w.t.clock.advance(1_000)
    await staffComment(w, tenant.member, tenant.ws.record.id, 'All on track')
    all.push(...(await w.deliver()))
    await patchRecord(w, tenant, tenant.ws.record.id, { stageId: stageIds()[1], status: 'at_risk', values: { notes: `${sentinel} (edited)` } })
    all.push(...(await w.afterWindow()))
    all.push(...(await w.deliver()))
    const fresh = await reshare(w.t, tenant.admin, client.grantId)
    expect(fresh.res.statusCode).toBe(200)
    all.push(...(await w.deliver()))

    // Confirmation, two team emails (owner and watcher), the staff reply, the update, the magic link.
    const nameOf = async (id: string) => (await w.t.deps.db.selectFrom('users').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name
    expect(all.map((m) => m.subject).sort()).toEqual(
      [
        'Confirm your Acme Co portal updates',
        `${client.name} (Acme Co) commented on Website redesign`,
        `${client.name} (Acme Co) commented on Website redesign`,
        `${await nameOf(tenant.ws.member.id)} replied on Website redesign`,
        'Website redesign: Moved to Doing',
        `${await nameOf(tenant.ws.admin.id)} shared the Acme Co portal with you`,
      ].sort(),
    )
    for (const m of all) {
      expect(everything(m)).not.toContain(sentinel)
      expect(everything(m)).not.toContain('SENTINEL')
    }

    // The portal's own views of the thread: the visible field comes through, the hidden one never.
    const detail = await w.t.app.inject({ url: `/api/portal/records/${tenant.ws.record.id}`, headers: { cookie: client.cookie } })
    expect(detail.statusCode).toBe(200)
    expect(detail.json().comments.map((c: { body: string }) => c.body)).toEqual(['What is the status of the notes?', 'All on track'])
    expect(detail.body).toContain('https://acme.example/visible')
    expect(detail.body).not.toContain('SENTINEL')
    const home = await w.t.app.inject({ url: '/api/portal/home', headers: { cookie: client.cookie } })
    expect(home.body).not.toContain('SENTINEL')
  })

  it("From, Reply-To and the footer (name, postal address, reason) come from the workspace; every notification carries the unsubscribe link in its body", async () => {
    const settings = {
      name: `Studio North ${randomUUID().slice(0, 4)}`,
      senderName: 'Studio North Team',
      replyTo: 'hello@studionorth.example',
      emailFooter: 'Studio North Ltd · Registered in Springfield no. 1234',
      postalAddress: '1 Main St\nSpringfield, IL 62701',
    }
    const ws = (await patchWorkspace(w, tenant, settings)).json()
    expect(ws).toMatchObject(settings)
    await patchPortalSettings(w, tenant, tenant.ws.projects.id, { emailOnStaffReply: true })
    const footerLine = `${settings.name} · 1 Main St, Springfield, IL 62701`

    const client = await newClient(w, tenant)
    const { token, message: confirmation } = await optIn(w, client)
    expect((await postConfirm(w, token)).statusCode).toBe(200)
    await patchRecord(w, tenant, tenant.ws.record.id, { stageId: stageIds()[1] })
    const [update] = await w.afterWindow()
    await staffComment(w, tenant.admin, tenant.ws.record.id, 'Here is the plan')
    const [reply] = await w.deliver()

    const reasons: [ParsedMail, string][] = [
      [confirmation, `You receive this one email because someone asked for Acme Co portal updates at this address.`],
      [update!, `You receive this email because you asked ${settings.name} to email you about Acme Co status changes.`],
      [reply!, `You receive this email because you asked ${settings.name} to email you about replies to Acme Co comments.`],
    ]
    for (const [m, reason] of reasons) {
      expect(addresses(m.to)).toEqual([client.email])
      expect(addresses(m.from)).toEqual([w.t.deps.config.mailFrom])
      expect(m.from!.value[0]!.name).toBe(settings.senderName)
      expect(addresses(m.replyTo)).toEqual([settings.replyTo])
      const text = textOf(m)
      const html = htmlOf(m)
      expect(text.split('\n')[0]).toBe(settings.name) // the brand on top
      expect(html).toContain(settings.name)
      for (const part of [text, html]) {
        expect(part).toContain(settings.emailFooter)
        expect(part).toContain(reason)
        expect(part).toContain(footerLine)
      }
      // The footer follows the message.
      expect(text.indexOf(reason)).toBeGreaterThan(text.indexOf('\n--\n'))
    }
    for (const [m, list] of [[update!, 'status'], [reply!, 'replies']] as const) {
      const { url } = unsubscribeLinkOf(w, m, list) // header, and the same link in the text and HTML bodies
      expect(textOf(m)).toContain(`Unsubscribe or change your email preferences: ${url}`)
      expect(htmlOf(m)).toContain(`<a href="${url}" style="color:#555">Unsubscribe or change your email preferences</a>`)
    }

    // A workspace without a Reply-To sends none; a new sender name is used at once.
    await patchWorkspace(w, tenant, { replyTo: null, senderName: 'Studio North Updates' })
    await patchRecord(w, tenant, tenant.ws.record.id, { stageId: stageIds()[2] })
    const [later] = await w.afterWindow()
    expect(later!.replyTo).toBeUndefined()
    expect(later!.from!.value[0]!.name).toBe('Studio North Updates')
  })

  it("GET /api/v1/notifications/previews renders every client email with the workspace's name and footer", async () => {
    const settings = { name: `Previewed ${randomUUID().slice(0, 4)}`, emailFooter: 'Preview footer line', postalAddress: 'PO Box 7, Springfield, IL 62701' }
    await patchWorkspace(w, tenant, settings)
    const res = await w.t.app.inject({ url: '/api/v1/notifications/previews', headers: tenant.admin })
    expect(res.statusCode, res.body).toBe(200)
    const previews = res.json() as { kind: string; label: string; subject: string; text: string; html: string }[]
    expect(previews.map((p) => [p.kind, p.label])).toEqual([
      ['portal-link', 'Magic link'],
      ['confirm', 'Confirm subscription'],
      ['record-update', 'Status change'],
      ['staff-reply', 'Staff reply'],
    ])
    for (const p of previews) {
      expect(p.subject).not.toBe('')
      expect(p.html).toMatch(/^<!doctype html>/)
      expect(p.text).not.toMatch(/<\/?[a-z][^>]*>/i)
      for (const part of [p.text, p.html]) {
        expect(part).toContain(settings.name)
        expect(part).toContain(settings.emailFooter)
        expect(part).toContain(`${settings.name} · ${settings.postalAddress}`)
      }
    }
    for (const kind of ['record-update', 'staff-reply']) {
      const p = previews.find((x) => x.kind === kind)!
      expect(p.text).toContain(`Unsubscribe or change your email preferences: ${w.origin}/portal/unsubscribe/`)
    }
    expect(previews.find((p) => p.kind === 'record-update')!.text).toContain('• Moved to Build')

    // Always the current settings.
    await patchWorkspace(w, tenant, { emailFooter: 'A newer footer' })
    const again = (await w.t.app.inject({ url: '/api/v1/notifications/previews', headers: tenant.admin })).json() as { text: string }[]
    for (const p of again) expect(p.text).toContain('A newer footer')
    // Staff only.
    expect((await w.t.app.inject({ url: '/api/v1/notifications/previews' })).statusCode).toBe(401)
    // Nothing was sent by previewing.
    expect(await w.deliver()).toEqual([])
  })

  it('SMTP down: the notification is retried with backoff and delivered exactly once when the server is back', async () => {
    const client = await subscribedClient(w, tenant)
    await patchRecord(w, tenant, tenant.ws.record.id, { stageId: stageIds()[1] })
    w.smtp.setFailing(true)
    expect(await w.afterWindow()).toEqual([])
    const [queued] = await emailsTo(client.email).then((rows) => rows.filter((r) => r.subject.startsWith('Website redesign')))
    expect(queued).toMatchObject({ status: 'queued', attempts: 1, sent_at: null })
    expect(queued!.last_error).toMatch(/451/)
    const jobOf = () => w.t.deps.db.selectFrom('jobs').selectAll().where('idempotency_key', '=', `email:${queued!.id}`).executeTakeFirstOrThrow()
    const failedAt = w.t.clock().getTime()
    expect(await jobOf()).toMatchObject({ status: 'pending', attempts: 1 })
    expect(new Date((await jobOf()).run_at).getTime()).toBe(failedAt + backoffMs(1))

    // Still down at the first retry: a longer backoff.
    w.t.clock.advance(backoffMs(1))
    expect(await w.deliver()).toEqual([])
    expect(await jobOf()).toMatchObject({ status: 'pending', attempts: 2 })

    w.smtp.setFailing(false)
    w.t.clock.advance(backoffMs(2) - 1)
    expect(await w.deliver()).toEqual([]) // not due yet
    w.t.clock.advance(1)
    const delivered = await w.deliver()
    expect(recipients(delivered)).toEqual([client.email])
    expect(delivered[0]!.messageId).toBe(`<${queued!.id}@coeffection>`)
    expect(delivered[0]!.subject).toBe('Website redesign: Moved to Doing')

    w.t.clock.advance(86_400_000)
    expect(await w.deliver()).toEqual([])
    expect(await jobOf()).toMatchObject({ status: 'done', attempts: 3 })
    const [sent, ...others] = (await emailsTo(client.email)).filter((r) => r.subject.startsWith('Website redesign'))
    expect(others).toEqual([])
    expect(sent).toMatchObject({ status: 'sent', attempts: 3, last_error: null })
  })

  it('running a notification job again — re-enqueued, re-claimed or concurrently — never sends twice', async () => {
    await patchPortalSettings(w, tenant, tenant.ws.projects.id, { emailOnStaffReply: true })
    const a = await subscribedClient(w, tenant)
    const b = await subscribedClient(w, tenant)
    const now = () => w.t.clock()

    // Staff reply: one email each.
    const comment = (await staffComment(w, tenant.admin, tenant.ws.record.id, 'Once only')).json()
    expect(recipients(await w.deliver())).toEqual([a.email, b.email].sort())
    const payload = { workspaceId: tenant.ws.workspaceId, commentId: comment.id as string }
    // The same enqueue again is a no-op; a second job without the key and a re-claimed done job send nothing.
    await enqueueJob(w.t.deps.db, now(), { kind: 'notify.staff-reply', payload, workspaceId: tenant.ws.workspaceId, idempotencyKey: `staff-reply:${comment.id}` })
    expect(await jobsOf('notify.staff-reply')).toHaveLength(1)
    await enqueueJob(w.t.deps.db, now(), { kind: 'notify.staff-reply', payload, workspaceId: tenant.ws.workspaceId })
    await w.t.deps.db.updateTable('jobs').set({ status: 'pending', run_at: now().toISOString() }).where('workspace_id', '=', tenant.ws.workspaceId).execute()
    expect(await w.deliver()).toEqual([]) // every job of the workspace ran again: email.send included
    expect(await w.deliver()).toEqual([])

    // Record updates: the job run twice at once, then a leftover duplicate job.
    await patchRecord(w, tenant, tenant.ws.record.id, { stageId: stageIds()[1] })
    w.t.clock.advance(BATCH_MS)
    const job = { recordId: tenant.ws.record.id, workspaceId: tenant.ws.workspaceId }
    await Promise.all([sendRecordUpdates(w.t.deps, job), sendRecordUpdates(w.t.deps, job)])
    await enqueueJob(w.t.deps.db, now(), { kind: 'notify.record-updates', payload: job, workspaceId: tenant.ws.workspaceId })
    const updates = await w.deliver()
    expect(recipients(updates)).toEqual([a.email, b.email].sort())
    for (const m of updates) expect(m.subject).toBe('Website redesign: Moved to Doing')
    await w.t.deps.db.updateTable('jobs').set({ status: 'pending', run_at: now().toISOString() }).where('workspace_id', '=', tenant.ws.workspaceId).execute()
    expect(await w.afterWindow()).toEqual([])
    expect((await emailsTo(a.email)).filter((e) => e.status === 'sent')).toHaveLength(4) // magic link, confirmation, reply, update
  })
})
