// Issue 5: who receives what, over a real SMTP server. A client's comment → the record's owner and
// watchers; a staff reply → confirmed subscribers who want replies, only when the type's "Email client on
// staff reply" is on; a stage or status change → confirmed subscribers who want status changes (a status
// only when the type shows it). Never a pending or unsubscribed subscriber, never a contact of another
// company, never a client whose access was revoked, never a client about their own comment.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { testDatabases } from '../helpers/databases.js'
import {
  addresses,
  buildNotifyWorld,
  clientComment,
  htmlOf,
  messageTo,
  newClient,
  newTenant,
  oneClickUnsubscribe,
  optIn,
  patchPortalSettings,
  patchRecord,
  putPreferences,
  recipients,
  rawHeader,
  staffComment,
  subscribedClient,
  subscriptionOf,
  textOf,
  unsubscribeLinkOf,
  type Client,
  type NotifyWorld,
  type Tenant,
} from '../helpers/notify.js'
import { revoke } from '../helpers/portal.js'

describe.each(testDatabases)('notification recipients on $name', (db) => {
  let w: NotifyWorld
  let tenant: Tenant
  beforeAll(async () => {
    w = await buildNotifyWorld(db)
  })
  afterAll(() => w.close())
  beforeEach(async () => {
    tenant = await newTenant(w)
  })

  const recordUrl = () => `${w.origin}/portal/records/${tenant.ws.record.id}`
  const moveTo = (stage: number) => patchRecord(w, tenant, tenant.ws.record.id, { stageId: tenant.ws.projects.stageIds[stage] })
  const staffName = async (userId: string) => (await w.t.deps.db.selectFrom('users').select('name').where('id', '=', userId).executeTakeFirstOrThrow()).name
  const workspaceRow = () => w.t.deps.db.selectFrom('workspaces').selectAll().where('id', '=', tenant.ws.workspaceId).executeTakeFirstOrThrow()
  const globexRecord = async () => {
    const res = await w.t.app.inject({ method: 'POST', url: '/api/v1/records', headers: tenant.admin, payload: { typeId: tenant.ws.projects.id, companyId: tenant.ws.otherCompany.id, name: 'Globex rollout' } })
    expect(res.statusCode, res.body).toBe(201)
    return res.json().id as string
  }
  /** Every kind of client at once: who wants what, who has not confirmed, who left, who belongs elsewhere. */
  const audience = async () => {
    const all = await subscribedClient(w, tenant, { name: 'Ann All' })
    const replies = await subscribedClient(w, tenant, { name: 'Rita Replies', topics: { statusChanges: false, commentReplies: true } })
    const status = await subscribedClient(w, tenant, { name: 'Stan Status', topics: { statusChanges: true, commentReplies: false } })
    const pending = await newClient(w, tenant, { name: 'Pete Pending' })
    await optIn(w, pending)
    const unsubscribed = await subscribedClient(w, tenant, { name: 'Una Unsubscribed' })
    expect((await putPreferences(w, unsubscribed, { statusChanges: false, commentReplies: false })).statusCode).toBe(200)
    const globex = await subscribedClient(w, tenant, { companyId: tenant.ws.otherCompany.id, name: 'Gus Globex' })
    expect(await w.deliver()).toEqual([])
    return { all, replies, status, pending, unsubscribed, globex }
  }

  it("a client's comment emails the record's owner and watchers once each — never the author, never another client", async () => {
    await patchPortalSettings(w, tenant, tenant.ws.projects.id, { emailOnStaffReply: true })
    await patchRecord(w, tenant, tenant.ws.record.id, { watcherIds: [tenant.ws.member.id, tenant.ws.admin.id] }) // the owner also watches
    const { all: author, replies: colleague, globex } = await audience()
    const body = 'Can we move the launch?\n<script>alert(1)</script> & "thanks"'

    const res = await clientComment(w, author, tenant.ws.record.id, body)
    expect(res.statusCode, res.body).toBe(201)
    const messages = await w.deliver()
    expect(recipients(messages)).toEqual([tenant.ws.admin.email, tenant.ws.member.email].sort())
    for (const m of messages) {
      expect(addresses(m.from)).toEqual([w.t.deps.config.mailFrom])
      expect(m.subject).toBe(`${author.name} (Acme Co) commented on Website redesign`)
      const text = textOf(m)
      const html = htmlOf(m)
      expect(text).toContain(body)
      // Escaped exactly once in the HTML part, never interpreted.
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;thanks&quot;')
      expect(html).not.toMatch(/<script|&amp;lt;|&amp;amp;/i)
      for (const part of [text, html]) {
        expect(part).toContain(`${w.origin}/app/records/${tenant.ws.record.id}`)
        expect(part).toContain('You receive this email because you own or watch this record.')
      }
    }
    // Nothing for the author, their colleague or Globex — now or after the batching window.
    expect(await w.afterWindow()).toEqual([])
    expect(recipients(messages)).not.toContain(author.email)
    expect(recipients(messages)).not.toContain(colleague.email)
    expect(recipients(messages)).not.toContain(globex.email)

    // Only the owner and watchers: a new owner with nobody watching is the only one to hear.
    await patchRecord(w, tenant, tenant.ws.record.id, { ownerId: tenant.ws.member.id, watcherIds: [] })
    expect((await clientComment(w, colleague, tenant.ws.record.id, 'Second thought')).statusCode).toBe(201)
    const next = await w.deliver()
    expect(recipients(next)).toEqual([tenant.ws.member.email])
    expect(next[0]!.subject).toBe(`${colleague.name} (Acme Co) commented on Website redesign`)
  })

  it('a staff reply emails nobody while "Email client on staff reply" is off (the default)', async () => {
    await audience()
    await staffComment(w, tenant.member, tenant.ws.record.id, 'Sent you the timeline')
    expect(await w.deliver()).toEqual([])
    expect(await w.afterWindow()).toEqual([])
    const job = await w.t.deps.db.selectFrom('jobs').select('status').where('kind', '=', 'notify.staff-reply').where('workspace_id', '=', tenant.ws.workspaceId).execute()
    expect(job).toEqual([{ status: 'done' }]) // it ran, and decided to send nothing
  })

  it('with the toggle on, a staff reply emails each confirmed subscriber who wants replies, of that company only', async () => {
    const settings = await patchPortalSettings(w, tenant, tenant.ws.projects.id, { emailOnStaffReply: true })
    expect(settings.json().emailOnStaffReply).toBe(true)
    const { all, replies, globex } = await audience()
    const reply = 'Thanks — the new timeline is attached.\nSee you Monday.'
    await staffComment(w, tenant.member, tenant.ws.record.id, reply)

    const messages = await w.deliver()
    expect(recipients(messages)).toEqual([all.email, replies.email].sort())
    const author = await staffName(tenant.ws.member.id)
    const ws = await workspaceRow()
    for (const m of messages) {
      expect(m.subject).toBe(`${author} replied on Website redesign`)
      expect(addresses(m.from)).toEqual([w.t.deps.config.mailFrom])
      expect(m.from!.value[0]!.name).toBe(ws.sender_name)
      unsubscribeLinkOf(w, m, 'replies')
      for (const part of [textOf(m), htmlOf(m)]) {
        expect(part).toContain(`${author} (${ws.name}) wrote on “Website redesign”:`)
        expect(part).toContain(recordUrl())
        expect(part).toContain(`You receive this email because you asked ${ws.name} to email you about replies to Acme Co comments.`)
      }
      expect(textOf(m)).toContain(reply)
      expect(htmlOf(m)).toContain('Thanks — the new timeline is attached.<br>See you Monday.')
    }
    expect(await w.afterWindow()).toEqual([])

    // A reply on a Globex record reaches Globex's subscriber only.
    const globexRecordId = await globexRecord()
    await staffComment(w, tenant.admin, globexRecordId, 'Rollout starts Tuesday')
    const globexMessages = await w.deliver()
    expect(recipients(globexMessages)).toEqual([globex.email])
    expect(textOf(globexMessages[0]!)).toContain(`${w.origin}/portal/records/${globexRecordId}`)
  })

  it('no staff-reply email when the type hides comments or is not shared, even with the toggle on', async () => {
    await patchPortalSettings(w, tenant, tenant.ws.projects.id, { emailOnStaffReply: true, showComments: false })
    const client = await subscribedClient(w, tenant)
    await staffComment(w, tenant.admin, tenant.ws.record.id, 'Hidden thread')
    expect(await w.deliver()).toEqual([])

    await patchPortalSettings(w, tenant, tenant.ws.projects.id, { showComments: true, shareable: false })
    await staffComment(w, tenant.admin, tenant.ws.record.id, 'Unshared type')
    expect(await w.deliver()).toEqual([])

    // Contracts are not shared at all.
    const contract = await w.t.app.inject({ method: 'POST', url: '/api/v1/records', headers: tenant.admin, payload: { typeId: tenant.ws.contracts.id, companyId: tenant.ws.company.id, name: 'MSA' } })
    await patchPortalSettings(w, tenant, tenant.ws.contracts.id, { emailOnStaffReply: true })
    await staffComment(w, tenant.admin, contract.json().id, 'Contract note')
    expect(await w.deliver()).toEqual([])

    // The same reply does go out once the type is shared again: the silence above was the settings.
    await patchPortalSettings(w, tenant, tenant.ws.projects.id, { shareable: true })
    await staffComment(w, tenant.admin, tenant.ws.record.id, 'Visible again')
    expect(recipients(await w.deliver())).toEqual([client.email])
  })

  it('a stage change emails each confirmed subscriber who wants status changes — not pending, unsubscribed or another company', async () => {
    const { all, status } = await audience()
    await moveTo(1)
    expect(await w.deliver()).toEqual([]) // batched: nothing before the window passes

    const messages = await w.afterWindow()
    expect(recipients(messages)).toEqual([all.email, status.email].sort())
    const ws = await workspaceRow()
    for (const m of messages) {
      expect(m.subject).toBe('Website redesign: Moved to Doing')
      expect(m.from!.value[0]!.name).toBe(ws.sender_name)
      unsubscribeLinkOf(w, m, 'status')
      const text = textOf(m)
      expect(text).toContain('There is news on project “Website redesign” for Acme Co:')
      expect(text).toContain('• Moved to Doing')
      expect(text).not.toContain('Status is now') // the type does not show status
      expect(text).toContain(`Open Website redesign: ${recordUrl()}`)
      expect(htmlOf(m)).toContain(`href="${recordUrl()}"`)
      for (const part of [text, htmlOf(m)]) expect(part).toContain(`You receive this email because you asked ${ws.name} to email you about Acme Co status changes.`)
    }
  })

  it('a status change is sent only when the type shows status; a status-only change of a hidden status sends nothing', async () => {
    const client = await subscribedClient(w, tenant)
    await patchRecord(w, tenant, tenant.ws.record.id, { status: 'at_risk' })
    expect(await w.afterWindow()).toEqual([])
    // That change is settled: it is not carried into a later email either.
    await patchPortalSettings(w, tenant, tenant.ws.projects.id, { showStatus: true })
    await moveTo(2)
    const [stageOnly, ...none] = await w.afterWindow()
    expect(none).toEqual([])
    expect(textOf(stageOnly!)).toContain('• Moved to Done')
    expect(textOf(stageOnly!)).not.toContain('Status is now')

    await patchRecord(w, tenant, tenant.ws.record.id, { status: 'off_track' })
    const messages = await w.afterWindow()
    expect(recipients(messages)).toEqual([client.email])
    expect(messages[0]!.subject).toBe('Website redesign: Status is now Off track')
    expect(textOf(messages[0]!)).toContain('• Status is now Off track')
    expect(textOf(messages[0]!)).not.toContain('Moved to')
    unsubscribeLinkOf(w, messages[0]!, 'status')

    // A change that is neither stage nor status (here: the name) sends nothing.
    await patchRecord(w, tenant, tenant.ws.record.id, { name: 'Website redesign v2' })
    expect(await w.afterWindow()).toEqual([])
  })

  it('two confirmed contacts of one company each get their own email with their own unsubscribe link', async () => {
    const a = await subscribedClient(w, tenant, { name: 'Ada' })
    const b = await subscribedClient(w, tenant, { name: 'Bob' })
    await moveTo(1)
    const messages = await w.afterWindow()
    expect(recipients(messages)).toEqual([a.email, b.email].sort())
    const linkA = unsubscribeLinkOf(w, messageTo(messages, a.email), 'status')
    const linkB = unsubscribeLinkOf(w, messageTo(messages, b.email), 'status')
    expect(linkA.token).not.toBe(linkB.token)
    // One recipient per message: nobody sees the other's address or link.
    for (const m of messages) expect(addresses(m.to)).toHaveLength(1)
    expect(textOf(messageTo(messages, a.email))).not.toContain(linkB.url)
    expect(rawHeader(messageTo(messages, a.email), 'cc')).toBeUndefined()

    // Ada's link stops Ada's emails, not Bob's.
    expect((await oneClickUnsubscribe(w, linkA.token)).statusCode).toBe(200)
    expect((await subscriptionOf(w, a))?.status).toBe('unsubscribed')
    expect((await subscriptionOf(w, b))?.status).toBe('confirmed')
    await moveTo(2)
    expect(recipients(await w.afterWindow())).toEqual([b.email])
  })

  it('a client whose access was revoked gets no more emails', async () => {
    const kept = await subscribedClient(w, tenant)
    const revoked: Client = await subscribedClient(w, tenant)
    await patchPortalSettings(w, tenant, tenant.ws.projects.id, { emailOnStaffReply: true })
    await moveTo(1)
    expect(recipients(await w.afterWindow())).toEqual([kept.email, revoked.email].sort())

    const res = await revoke(w.t, tenant.admin, revoked.grantId)
    expect(res.statusCode, res.body).toBe(200)
    await moveTo(2)
    expect(recipients(await w.afterWindow())).toEqual([kept.email])
    await staffComment(w, tenant.admin, tenant.ws.record.id, 'After the revoke')
    expect(recipients(await w.deliver())).toEqual([kept.email])
  })
})
