// Issue 3: Admin → Settings → Portal, the Share dialog's "They will see", access list and activity log,
// and the expiry reminder to the staff member who shared a link.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sendExpiryReminders } from '../../src/server/portal/access/access.service.js'
import { createWorkspace, type WorkspaceFixture } from '../factories.js'
import { testDatabases } from '../helpers/databases.js'
import {
  buildPortalWorld,
  DAY,
  exchange,
  expectNoRowChanged,
  newContact,
  reshare,
  revoke,
  share,
  signInClient,
  signOut,
  staffSession,
  type PortalWorld,
} from '../helpers/portal.js'

interface TypeSettings {
  typeId: string
  key: string
  shareable: boolean
  showStatus: boolean
  showFiles: boolean
  showComments: boolean
  allowUploads: boolean
  emailOnStaffReply: boolean
  fields: { id: string; key: string; visible: boolean }[]
}

describe.each(testDatabases)('portal settings and the share dialog on $name', (db) => {
  let w: PortalWorld
  beforeAll(async () => {
    w = await buildPortalWorld(db)
  })
  afterAll(() => w.t.close())

  /** A workspace of its own, so settings changes of one test cannot leak into another. */
  const fresh = async () => {
    const ws = await createWorkspace(w.t.deps)
    return { ws, admin: await staffSession(w.t, ws, ws.admin.id), member: await staffSession(w.t, ws, ws.member.id) }
  }
  const getSettings = async (headers: Record<string, string>): Promise<TypeSettings[]> => {
    const res = await w.t.app.inject({ url: '/api/v1/portal/settings', headers })
    expect(res.statusCode, res.body).toBe(200)
    return res.json()
  }
  const patch = (headers: Record<string, string>, typeId: string, payload: object) => w.t.app.inject({ method: 'PATCH', url: `/api/v1/portal/settings/${typeId}`, headers, payload })
  const shareInfo = async (headers: Record<string, string>, ws: WorkspaceFixture) => {
    const res = await w.t.app.inject({ url: `/api/v1/companies/${ws.company.id}/portal`, headers })
    expect(res.statusCode, res.body).toBe(200)
    return res.json()
  }

  it('defaults: Projects shareable with every field off, files and comments on, uploads and staff-reply email off; other types off', async () => {
    const { ws, member } = await fresh()
    const settings = await expectNoRowChanged(w.t.deps, () => getSettings(member))
    const projects = settings.find((s) => s.typeId === ws.projects.id)!
    expect(projects).toMatchObject({ key: 'projects', shareable: true, showStatus: false, showFiles: true, showComments: true, allowUploads: false, emailOnStaffReply: false })
    expect(projects.fields.map((f) => f.key).sort()).toEqual(Object.keys(ws.projects.fieldIds).sort())
    expect(projects.fields.every((f) => f.visible === false)).toBe(true)
    const contracts = settings.find((s) => s.typeId === ws.contracts.id)!
    expect(contracts).toMatchObject({ key: 'contracts', shareable: false, showStatus: false, allowUploads: false, emailOnStaffReply: false })
    expect(settings).toHaveLength(2)
  })

  it('a member can read the settings but not change them (403, nothing written)', async () => {
    const { ws, admin, member } = await fresh()
    for (const [typeId, body] of [
      [ws.projects.id, { shareable: false }],
      [ws.projects.id, { visibleFieldIds: [ws.projects.fieldIds.budget] }],
      [ws.contracts.id, { shareable: true, showStatus: true }],
    ] as const) {
      const res = await expectNoRowChanged(w.t.deps, () => patch(member, typeId, body))
      expect(res.statusCode, res.body).toBe(403)
      expect(res.json().error.code).toBe('FORBIDDEN')
      expect(res.json().error.message).toMatch(/admin/i)
    }
    expect((await getSettings(member)).find((s) => s.typeId === ws.projects.id)!.shareable).toBe(true)
    // The admin's change, by contrast, is visible to the member at once.
    expect((await patch(admin, ws.projects.id, { showStatus: true })).statusCode).toBe(200)
    expect((await getSettings(member)).find((s) => s.typeId === ws.projects.id)!.showStatus).toBe(true)
  })

  it('an admin switches flags and fields; a partial change keeps the rest', async () => {
    const { ws, admin } = await fresh()
    const { due_date, budget } = ws.projects.fieldIds as Record<'due_date' | 'budget', string>
    const res = await patch(admin, ws.projects.id, { showStatus: true, showFiles: false, allowUploads: true, emailOnStaffReply: true, visibleFieldIds: [budget, due_date, budget] })
    expect(res.statusCode, res.body).toBe(200)
    const after = res.json() as TypeSettings
    expect(after).toMatchObject({ shareable: true, showStatus: true, showFiles: false, showComments: true, allowUploads: true, emailOnStaffReply: true })
    expect(after.fields.filter((f) => f.visible).map((f) => f.key)).toEqual(['due_date', 'budget'])

    const partial = (await patch(admin, ws.projects.id, { showComments: false })).json() as TypeSettings
    expect(partial).toMatchObject({ showStatus: true, showFiles: false, showComments: false, allowUploads: true, emailOnStaffReply: true })
    expect(partial.fields.filter((f) => f.visible).map((f) => f.key)).toEqual(['due_date', 'budget'])

    const cleared = (await patch(admin, ws.projects.id, { visibleFieldIds: [] })).json() as TypeSettings
    expect(cleared.fields.some((f) => f.visible)).toBe(false)
    expect(await getSettings(admin)).toContainEqual(cleared)
  })

  it('an unknown field, a field of another type or workspace, or an unknown key is refused with 400; an unknown type with 404; nothing written', async () => {
    const { ws, admin } = await fresh()
    const otherField = w.ws.projects.fieldIds.due_date!
    for (const [typeId, body, field] of [
      [ws.projects.id, { visibleFieldIds: [randomUUID()] }, 'visibleFieldIds'],
      [ws.projects.id, { visibleFieldIds: [ws.projects.fieldIds.due_date, otherField] }, 'visibleFieldIds'],
      [ws.contracts.id, { visibleFieldIds: [ws.projects.fieldIds.due_date] }, 'visibleFieldIds'],
      [ws.projects.id, { visibleFieldIds: ['due_date'] }, 'visibleFieldIds.0'],
      [ws.projects.id, { shareable: 'yes' }, 'shareable'],
      [ws.projects.id, { showPrices: true }, 'showPrices'],
    ] as const) {
      const res = await expectNoRowChanged(w.t.deps, () => patch(admin, typeId, body))
      expect(res.statusCode, res.body).toBe(400)
      expect(res.json().error.field).toBe(field)
      expect(res.json().error.message).toContain(field.split('.')[0])
    }
    for (const typeId of [randomUUID(), w.ws.projects.id]) {
      const res = await expectNoRowChanged(w.t.deps, () => patch(admin, typeId, { shareable: false }))
      expect(res.statusCode).toBe(404)
    }
  })

  it('"They will see" reflects a settings change at once', async () => {
    const { ws, admin, member } = await fresh()
    const projects = (fields: string[], recordCount = 1) => ({ typeId: ws.projects.id, plural: 'Projects', fields, recordCount })
    expect((await shareInfo(member, ws)).theyWillSee).toEqual([projects(['Name', 'Stage', 'Files', 'Comments'])])

    await patch(admin, ws.projects.id, { showStatus: true, showComments: false, visibleFieldIds: [ws.projects.fieldIds.budget!, ws.projects.fieldIds.due_date!] })
    expect((await shareInfo(member, ws)).theyWillSee).toEqual([projects(['Name', 'Stage', 'Status', 'due_date', 'budget', 'Files'])])

    await patch(admin, ws.contracts.id, { shareable: true, showFiles: false })
    expect((await shareInfo(member, ws)).theyWillSee).toEqual([projects(['Name', 'Stage', 'Status', 'due_date', 'budget', 'Files']), { typeId: ws.contracts.id, plural: 'Contracts', fields: ['Name', 'Comments'], recordCount: 0 }])

    await patch(admin, ws.projects.id, { shareable: false })
    expect((await shareInfo(member, ws)).theyWillSee).toEqual([{ typeId: ws.contracts.id, plural: 'Contracts', fields: ['Name', 'Comments'], recordCount: 0 }])
    // It counts only this company's records.
    const otherInfo = await w.t.app.inject({ url: `/api/v1/companies/${ws.otherCompany.id}/portal`, headers: member })
    expect(otherInfo.json().theyWillSee).toEqual([{ typeId: ws.contracts.id, plural: 'Contracts', fields: ['Name', 'Comments'], recordCount: 0 }])
    await patch(admin, ws.projects.id, { shareable: true })
    expect((await w.t.app.inject({ url: `/api/v1/companies/${ws.otherCompany.id}/portal`, headers: member })).json().theyWillSee[0]).toMatchObject({ typeId: ws.projects.id, recordCount: 0 })
  })

  it('the access list shows each contact with access: sent, expires, last used, open sessions', async () => {
    const { ws, admin } = await fresh()
    const contact = await newContact(w.t, ws, { name: 'Ada Access' })
    const sentAt = w.t.clock()
    const { grantId, token } = await share(w.t, admin, ws.company.id, contact.id, 60)
    const row = () => shareInfo(admin, ws).then((i) => i.access.find((a: { grantId: string }) => a.grantId === grantId))
    expect(await row()).toEqual({
      grantId,
      contactId: contact.id,
      contactName: 'Ada Access',
      contactEmail: contact.email,
      sharedBy: expect.stringMatching(/^admin ws-/),
      sentAt: sentAt.toISOString(),
      expiresAt: new Date(sentAt.getTime() + 60 * DAY).toISOString(),
      lastUsedAt: null,
      openSessions: 0,
      uploadsFolder: null,
    })
    w.t.clock.advance(60_000)
    const s1 = await signInClient(w.t, token)
    await signInClient(w.t, token)
    expect(await row()).toMatchObject({ lastUsedAt: w.t.clock().toISOString(), openSessions: 2 })
    await signOut(w.t, s1)
    expect(await row()).toMatchObject({ openSessions: 1 })
    // Only this company's grants are listed, and never another workspace's.
    expect((await shareInfo(admin, ws)).access).toHaveLength(1)
    expect((await w.t.app.inject({ url: `/api/v1/companies/${w.ws.company.id}/portal`, headers: admin })).statusCode).toBe(404)
  })

  it('the activity log lists shared, link opened, re-shared, signed out and revoked, with IP and user agent', async () => {
    const { ws, admin } = await fresh()
    const contact = await newContact(w.t, ws, { name: 'Lou Logged' })
    const staffUa = { 'user-agent': 'StaffBrowser/1.0', 'x-forwarded-for': '203.0.113.251' }
    const clientUa = { 'user-agent': 'ClientPhone/2.0', 'x-forwarded-for': '203.0.113.252' }
    const step = () => w.t.clock.advance(60_000)

    const { grantId, token } = await share(w.t, admin, ws.company.id, contact.id, 30, staffUa)
    step()
    const { cookie } = await exchange(w.t, token, clientUa)
    step()
    const again = await w.t.app.inject({ method: 'POST', url: `/api/v1/portal/grants/${grantId}/reshare`, headers: { ...admin, ...staffUa }, payload: { expiresInDays: 90 } })
    expect(again.statusCode).toBe(200)
    step()
    expect((await signOut(w.t, cookie!, clientUa)).statusCode).toBe(200)
    step()
    expect((await w.t.app.inject({ method: 'POST', url: `/api/v1/portal/grants/${grantId}/revoke`, headers: { ...admin, ...staffUa } })).statusCode).toBe(200)

    const activity = (await shareInfo(admin, ws)).activity as { kind: string; label: string; contactName: string; actorName: string | null; ip: string; userAgent: string; at: string }[]
    const staff = { ip: '203.0.113.251', userAgent: 'StaffBrowser/1.0', actorName: expect.stringMatching(/^admin /) }
    const client = { ip: '203.0.113.252', userAgent: 'ClientPhone/2.0', actorName: null }
    expect(activity.map(({ kind, label, contactName, actorName, ip, userAgent }) => ({ kind, label, contactName, actorName, ip, userAgent }))).toEqual([
      { kind: 'revoked', label: 'Access revoked', contactName: 'Lou Logged', ...staff },
      { kind: 'signed_out', label: 'Signed out', contactName: 'Lou Logged', ...client },
      { kind: 'reshared', label: 'Link re-shared', contactName: 'Lou Logged', ...staff },
      { kind: 'link_opened', label: 'Link opened', contactName: 'Lou Logged', ...client },
      { kind: 'shared', label: 'Portal shared', contactName: 'Lou Logged', ...staff },
    ])
    expect(new Set(activity.map((a) => a.at)).size).toBe(5)
    // Merely fetching the link page is not an "opened" event: it changes nothing.
    expect(activity.filter((a) => a.kind === 'link_opened')).toHaveLength(1)
  })
})

describe.each(testDatabases)('portal link expiry reminders on $name', (db) => {
  let w: PortalWorld
  beforeAll(async () => {
    w = await buildPortalWorld(db)
  })
  afterAll(() => w.t.close())

  it('emails the sharer once, a week before a link expires, with a one-click re-share; never for Never links', async () => {
    const ws = await createWorkspace(w.t.deps)
    const admin = await staffSession(w.t, ws, ws.admin.id)
    const member = await staffSession(w.t, ws, ws.member.id)
    const start = w.t.clock().getTime()
    const thirty = await share(w.t, admin, ws.company.id, ws.contact.id, 30)
    const never = await share(w.t, admin, ws.company.id, (await newContact(w.t, ws)).id, null)
    const ninety = await share(w.t, admin, ws.company.id, (await newContact(w.t, ws)).id, 90)
    const byMember = await share(w.t, admin, ws.company.id, (await newContact(w.t, ws)).id, 30)
    await reshare(w.t, member, byMember.grantId, 30) // the member sent the current link
    const revoked = await share(w.t, admin, ws.company.id, (await newContact(w.t, ws)).id, 30)
    expect((await revoke(w.t, admin, revoked.grantId)).statusCode).toBe(200)

    const reminders = () => w.t.deps.db.selectFrom('emails').selectAll().where('workspace_id', '=', ws.workspaceId).where('idempotency_key', 'like', 'link-reminder:%').orderBy('to_address').execute()
    const at = async (days: number) => {
      w.t.clock.set(new Date(start + days * DAY))
      await sendExpiryReminders(w.t.deps)
      return reminders()
    }

    expect(await at(22)).toEqual([])
    const due = await at(24)
    expect(due.map((e) => e.to_address)).toEqual([ws.admin.email, ws.member.email].sort())
    const toAdmin = due.find((e) => e.to_address === ws.admin.email)!
    expect(toAdmin.subject).toMatch(/Bea Buyer's Acme Co portal link expires in a week/)
    expect(toAdmin.text_body).toContain(`http://localhost:3000/app/companies/${ws.company.id}?reshare=${thirty.grantId}`)
    expect(toAdmin.html_body).toContain(`href="http://localhost:3000/app/companies/${ws.company.id}?reshare=${thirty.grantId}"`)
    expect(toAdmin.text_body).not.toContain('/portal/l/') // a reminder never carries the client's link
    expect(due.find((e) => e.to_address === ws.member.email)!.text_body).toContain(`?reshare=${byMember.grantId}`)

    // Never twice for the same link, however often the job runs.
    expect(await at(24)).toHaveLength(2)
    expect(await at(25)).toHaveLength(2)
    expect(await at(31)).toHaveLength(2)

    // The 90-day link's turn comes a week before its own expiry.
    expect(await at(82)).toHaveLength(2)
    const later = await at(84)
    expect(later).toHaveLength(3)
    expect(later.filter((e) => e.text_body.includes(`?reshare=${ninety.grantId}`))).toHaveLength(1)

    // A Never link is never reminded about, not even years later.
    expect(await at(3650)).toHaveLength(3)
    expect((await reminders()).some((e) => e.text_body.includes(never.grantId))).toBe(false)
    expect((await reminders()).some((e) => e.text_body.includes(revoked.grantId))).toBe(false)
  })

  it('a re-shared link gets its own reminder; the superseded one gets none', async () => {
    const ws = await createWorkspace(w.t.deps)
    const admin = await staffSession(w.t, ws, ws.admin.id)
    const start = w.t.clock().getTime()
    const first = await share(w.t, admin, ws.company.id, ws.contact.id, 30)
    w.t.clock.set(new Date(start + 20 * DAY))
    await reshare(w.t, await staffSession(w.t, ws, ws.admin.id), first.grantId, 30)
    const reminders = () => w.t.deps.db.selectFrom('emails').selectAll().where('workspace_id', '=', ws.workspaceId).where('idempotency_key', 'like', 'link-reminder:%').execute()
    w.t.clock.set(new Date(start + 24 * DAY))
    await sendExpiryReminders(w.t.deps)
    expect(await reminders()).toEqual([])
    w.t.clock.set(new Date(start + 44 * DAY))
    await sendExpiryReminders(w.t.deps)
    const sent = await reminders()
    expect(sent).toHaveLength(1)
    expect(sent[0]!.to_address).toBe(ws.admin.email)
  })
})
