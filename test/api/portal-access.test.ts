// Issue 3, "What must be shown": the magic link and the portal session, on both databases, with the test clock.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { portalCookieName } from '../../src/server/portal/cookies.js'
import { createWorkspace } from '../factories.js'
import { snapshotTables } from '../helpers/app.js'
import { testDatabases } from '../helpers/databases.js'
import {
  buildPortalWorld,
  DAY,
  dumpDatabase,
  exchange,
  expectLinkInvalid,
  expectLinkWorks,
  expectNoRowChanged,
  HOUR,
  newContact,
  nextIp,
  openLink,
  portalMe,
  portalRows,
  reshare,
  revoke,
  SECOND,
  sessionCount,
  share,
  shareToNewContact,
  signInClient,
  signOut,
  staffSession,
  type InjectOptions,
  type PortalWorld,
} from '../helpers/portal.js'

describe.each(testDatabases)('portal magic link and session on $name', (db) => {
  let w: PortalWorld
  beforeAll(async () => {
    w = await buildPortalWorld(db)
  })
  afterAll(() => w.t.close())

  const expectSessionEnded = async (cookie: string) => {
    const res = await portalMe(w.t, cookie)
    expect(res.statusCode, res.body).toBe(401)
    expect(res.json().error.code).toBe('UNAUTHENTICATED')
    expect(res.json().error.message).toMatch(/link from your email/)
  }

  it('a plain GET or HEAD of the link sets no cookie, creates no session and changes no row', async () => {
    const { token, grantId } = await share(w.t, w.adminHeaders, w.ws.company.id, w.ws.contact.id, 30)
    const before = { ...(await snapshotTables(w.t.deps)), ...(await portalRows(w.t.deps)) }
    // The whole-database dump behind expectNoRowChanged sees the portal tables that snapshotTables does not list.
    expect(Object.keys(await dumpDatabase(w.t.deps))).toEqual(expect.arrayContaining(['portal_grants', 'portal_links', 'portal_sessions', 'portal_events', 'staff_sessions', 'emails']))

    const page = await expectNoRowChanged(w.t.deps, () => openLink(w.t, token))
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-type']).toMatch(/^text\/html/)
    expect(page.headers['set-cookie']).toBeUndefined()
    expect(page.body).toContain('<form method="post" action="/portal/session"')
    expect(page.body).toContain(`name="token" value="${token}"`)
    expect(page.body).toContain('Continue')

    const head = await expectNoRowChanged(w.t.deps, () => w.t.app.inject({ method: 'HEAD', url: `/portal/l/${token}`, headers: { 'x-forwarded-for': nextIp() } }))
    expect(head.statusCode).toBe(200)
    expect(head.headers['set-cookie']).toBeUndefined()
    expect(head.body).toBe('')

    // A scanner hammering the link: every hit succeeds, none writes.
    const hits = await expectNoRowChanged(w.t.deps, () => Promise.all(Array.from({ length: 10 }, () => openLink(w.t, token))))
    expect(hits.map((h) => h.statusCode)).toEqual(Array(10).fill(200))
    expect(hits.every((h) => h.headers['set-cookie'] === undefined)).toBe(true)

    expect({ ...(await snapshotTables(w.t.deps)), ...(await portalRows(w.t.deps)) }).toEqual(before)
    expect(await sessionCount(w.t.deps, grantId)).toBe(0)
    const link = await w.t.deps.db.selectFrom('portal_links').select(['last_used_at']).where('grant_id', '=', grantId).where('superseded_at', 'is', null).executeTakeFirstOrThrow()
    expect(link.last_used_at).toBeNull()
    // …and the link still opens the portal afterwards.
    await expectLinkWorks(w.t, token)
  })

  it('the exchange works five times in a row, each time with a new session', async () => {
    const { token, grantId, contact } = await shareToNewContact(w)
    const cookies: string[] = []
    for (let i = 0; i < 5; i++) cookies.push(await signInClient(w.t, token))
    expect(new Set(cookies).size).toBe(5)
    for (const cookie of cookies) {
      const me = await portalMe(w.t, cookie)
      expect(me.statusCode).toBe(200)
      expect(me.json()).toMatchObject({ company: { name: 'Acme Co' }, contact: { email: contact.email }, preview: false })
    }
    // Concurrent exchanges (a browser and a scanner at once) all succeed too.
    const parallel = await Promise.all(Array.from({ length: 5 }, () => exchange(w.t, token)))
    expect(parallel.map((p) => p.res.statusCode)).toEqual(Array(5).fill(303))
    expect(new Set([...cookies, ...parallel.map((p) => p.cookie)]).size).toBe(10)
    expect(await sessionCount(w.t.deps, grantId)).toBe(10)
  })

  it('an exchange always issues a new session id and discards the one the browser brought', async () => {
    const { token } = await shareToNewContact(w)
    const first = await signInClient(w.t, token)
    const second = await signInClient(w.t, token, { cookie: first })
    expect(second).not.toBe(first)
    expect((await portalMe(w.t, second)).statusCode).toBe(200)
    await expectSessionEnded(first)
  })

  it.each([30, 60, 90])('a %i-day link works one second before its expiry instant and stops at it', async (days) => {
    const { token } = await shareToNewContact(w, days)
    w.t.clock.advance(days * DAY - SECOND)
    const cookie = await expectLinkWorks(w.t, token)
    w.t.clock.advance(SECOND)
    await expectLinkInvalid(w.t, token)
    // The session opened a second ago ends with the link: never past its expiry.
    await expectSessionEnded(cookie)
  })

  it('a Never link still works after ten years', async () => {
    const { token } = await shareToNewContact(w, null)
    w.t.clock.advance(3650 * DAY)
    await expectLinkWorks(w.t, token)
    w.t.clock.advance(3650 * DAY)
    await expectLinkWorks(w.t, token)
  })

  it('an unused link still works after 10 minutes, and after 29 days of a 30-day link', async () => {
    const a = await shareToNewContact(w, 30)
    const b = await shareToNewContact(w, 30)
    w.t.clock.advance(10 * 60 * SECOND)
    await expectLinkWorks(w.t, a.token)
    w.t.clock.advance(29 * DAY - 10 * 60 * SECOND)
    await expectLinkWorks(w.t, b.token)
    await expectLinkWorks(w.t, a.token)
  })

  it('revoke makes the very next request of a live session fail and the link show the invalid page', async () => {
    const { token, grantId, contact } = await shareToNewContact(w)
    const s1 = await signInClient(w.t, token)
    const s2 = await signInClient(w.t, token)
    expect((await portalMe(w.t, s1)).statusCode).toBe(200)
    const admin = await w.admin()
    const res = await revoke(w.t, admin, grantId)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({ ok: true })
    await expectSessionEnded(s1)
    await expectSessionEnded(s2)
    await expectLinkInvalid(w.t, token)
    expect(await sessionCount(w.t.deps, grantId)).toBe(0)
    const info = (await w.t.app.inject({ url: `/api/v1/companies/${w.ws.company.id}/portal`, headers: admin })).json()
    expect(info.access.map((a: { contactId: string }) => a.contactId)).not.toContain(contact.id)
    // Revoked is final: it cannot be revoked or re-shared again, but a new share starts afresh.
    expect((await revoke(w.t, admin, grantId)).statusCode).toBe(404)
    expect((await w.t.app.inject({ method: 'POST', url: `/api/v1/portal/grants/${grantId}/reshare`, headers: admin, payload: { expiresInDays: 30 } })).statusCode).toBe(404)
    const again = await share(w.t, admin, w.ws.company.id, contact.id, 30)
    expect(again.grantId).not.toBe(grantId)
    await expectLinkWorks(w.t, again.token)
    await expectLinkInvalid(w.t, token)
  })

  it('a session of a revoked grant is refused even when its row survived (an exchange racing the revoke)', async () => {
    const { token, grantId } = await shareToNewContact(w)
    const cookie = await signInClient(w.t, token)
    expect((await portalMe(w.t, cookie)).statusCode).toBe(200)
    // Revoke deletes the grant's sessions; a session inserted by a concurrent exchange can outlive that delete.
    await w.t.deps.db.updateTable('portal_grants').set({ revoked_at: w.t.clock().toISOString() }).where('id', '=', grantId).execute()
    await expectSessionEnded(cookie)
  })

  it('requests that arrive together share one session lookup, and each still gets only its own session', async () => {
    const acme = await shareToNewContact(w)
    const globexContact = await newContact(w.t, w.ws, { companyId: w.ws.otherCompany.id })
    const globex = await share(w.t, await w.admin(), w.ws.otherCompany.id, globexContact.id, 30)
    const cookies = { acme: await signInClient(w.t, acme.token), globex: await signInClient(w.t, globex.token) }
    const order = Array.from({ length: 30 }, (_, i) => (['acme', 'globex', 'forged'] as const)[i % 3]!)
    w.t.queries.length = 0
    const responses = await Promise.all(order.map((who) => portalMe(w.t, who === 'forged' ? `${portalCookieName(w.t.deps.config)}=${'x'.repeat(43)}` : cookies[who])))
    const sessionQueries = w.t.queries.filter((q) => /from "portal_sessions"/.test(q))
    expect(sessionQueries.length).toBeGreaterThan(0)
    expect(sessionQueries.length).toBeLessThan(order.length / 3)
    responses.forEach((res, i) => {
      if (order[i] === 'forged') return expect(res.statusCode).toBe(401)
      expect(res.statusCode, res.body).toBe(200)
      expect(res.json().contact.email).toBe(order[i] === 'acme' ? acme.contact.email : globexContact.email)
    })
    // A revoke between two such bursts is in force for the second one.
    await revoke(w.t, await w.admin(), acme.grantId)
    const after = await Promise.all([portalMe(w.t, cookies.acme), portalMe(w.t, cookies.globex)])
    expect(after.map((r) => r.statusCode)).toEqual([401, 200])
  })

  it('staff of another workspace cannot revoke or re-share a grant', async () => {
    const { token, grantId } = await shareToNewContact(w)
    const session = await signInClient(w.t, token)
    const otherAdmin = await staffSession(w.t, w.other, w.other.admin.id)
    expect((await revoke(w.t, otherAdmin, grantId)).statusCode).toBe(404)
    expect((await w.t.app.inject({ method: 'POST', url: `/api/v1/portal/grants/${grantId}/reshare`, headers: otherAdmin, payload: { expiresInDays: 30 } })).statusCode).toBe(404)
    expect((await portalMe(w.t, session)).statusCode).toBe(200)
    await expectLinkWorks(w.t, token)
  })

  it('re-share makes the old link fail and the new one work, while the open session continues', async () => {
    const first = await shareToNewContact(w, 30)
    const session = await signInClient(w.t, first.token)
    w.t.clock.advance(HOUR)
    const admin = await w.admin()
    const second = await reshare(w.t, admin, first.grantId, 90)
    expect(second.res.json()).toEqual({ ok: true })
    expect(second.grantId).toBe(first.grantId)
    expect(second.token).not.toBe(first.token)
    expect(second.email.to_address).toBe(first.contact.email)
    expect(second.email.text_body).toContain('Earlier links no longer work')
    await expectLinkInvalid(w.t, first.token)
    await expectLinkWorks(w.t, second.token)
    expect((await portalMe(w.t, session)).statusCode).toBe(200)

    const info = (await w.t.app.inject({ url: `/api/v1/companies/${w.ws.company.id}/portal`, headers: admin })).json()
    const row = info.access.find((a: { grantId: string }) => a.grantId === first.grantId)
    expect(row.expiresAt).toBe(new Date(w.t.clock().getTime() + 90 * DAY).toISOString())

    // Sharing again from the dialog to a contact who already has access is a re-share too.
    const third = await share(w.t, admin, w.ws.company.id, first.contact.id, null)
    expect(third.grantId).toBe(first.grantId)
    await expectLinkInvalid(w.t, second.token)
    await expectLinkWorks(w.t, third.token)
    expect((await portalMe(w.t, session)).statusCode).toBe(200)
  })

  it('sign out ends only that session, clears site data and expires the cookie; the link brings the client back', async () => {
    const { token } = await shareToNewContact(w)
    const s1 = await signInClient(w.t, token)
    const s2 = await signInClient(w.t, token)

    // A cross-site sign-out is refused and ends nothing.
    const forged = await signOut(w.t, s1, { origin: 'https://evil.example' })
    expect(forged.statusCode).toBe(403)
    expect((await portalMe(w.t, s1)).statusCode).toBe(200)

    const out = await signOut(w.t, s1)
    expect(out.statusCode, out.body).toBe(200)
    expect(out.json()).toEqual({ ok: true })
    expect(out.headers['clear-site-data']).toMatch(/"cookies"/)
    expect(out.headers['clear-site-data']).toMatch(/"storage"/)
    const cleared = out.cookies.find((c) => c.name === 'portal_sid')!
    expect(cleared).toBeDefined()
    expect(cleared.value).toBe('')
    expect(cleared.path).toBe('/')
    const expired = cleared.maxAge === 0 || (cleared.expires !== undefined && cleared.expires.getTime() <= Date.now())
    expect(expired).toBe(true)

    await expectSessionEnded(s1)
    expect((await signOut(w.t, s1)).statusCode).toBe(401)
    expect((await portalMe(w.t, s2)).statusCode).toBe(200)
    const back = await expectLinkWorks(w.t, token)
    expect(back).not.toBe(s1)
  })

  describe('access follows the contact', () => {
    const cases: [string, (contactId: string) => InjectOptions][] = [
      ['deleting the contact', (id) => ({ method: 'DELETE', url: `/api/v1/contacts/${id}` })],
      ['clearing their email', (id) => ({ method: 'PATCH', url: `/api/v1/contacts/${id}`, payload: { email: null } })],
      ['changing their email', (id) => ({ method: 'PATCH', url: `/api/v1/contacts/${id}`, payload: { email: `moved-${randomUUID().slice(0, 6)}@elsewhere.example` } })],
      ['moving them to another company', (id) => ({ method: 'PATCH', url: `/api/v1/contacts/${id}`, payload: { companyId: w.ws.otherCompany.id } })],
    ]
    it.each(cases)('%s ends their access: sessions fail, the link is invalid', async (_label, request) => {
      const { token, grantId, contact } = await shareToNewContact(w)
      const s1 = await signInClient(w.t, token)
      const s2 = await signInClient(w.t, token)
      const admin = await w.admin()
      const res = await w.t.app.inject({ ...request(contact.id), headers: admin })
      expect(res.statusCode, res.body).toBe(200)
      await expectSessionEnded(s1)
      await expectSessionEnded(s2)
      await expectLinkInvalid(w.t, token)
      expect(await sessionCount(w.t.deps, grantId)).toBe(0)
      const grant = await w.t.deps.db.selectFrom('portal_grants').select('revoked_at').where('id', '=', grantId).executeTakeFirstOrThrow()
      expect(grant.revoked_at).not.toBeNull()
      const info = (await w.t.app.inject({ url: `/api/v1/companies/${w.ws.company.id}/portal`, headers: admin })).json()
      expect(info.access.map((a: { grantId: string }) => a.grantId)).not.toContain(grantId)
      expect(info.activity.some((e: { kind: string }) => e.kind === 'access_ended')).toBe(true)
    })

    it('renaming the contact, or a patch that changes nothing, keeps their access', async () => {
      const { token, contact } = await shareToNewContact(w)
      const session = await signInClient(w.t, token)
      const admin = await w.admin()
      const same = { email: contact.email, companyId: w.ws.company.id, name: 'Renamed Client' }
      expect((await w.t.app.inject({ method: 'PATCH', url: `/api/v1/contacts/${contact.id}`, headers: admin, payload: same })).statusCode).toBe(200)
      expect((await portalMe(w.t, session)).json().contact).toEqual({ name: 'Renamed Client', email: contact.email })
      await expectLinkWorks(w.t, token)
    })

    it('after a change of address, the contact can be shared to again at the new address', async () => {
      const { token, contact } = await shareToNewContact(w)
      const admin = await w.admin()
      const email = `new-${randomUUID().slice(0, 6)}@acme.example`
      expect((await w.t.app.inject({ method: 'PATCH', url: `/api/v1/contacts/${contact.id}`, headers: admin, payload: { email } })).statusCode).toBe(200)
      await expectLinkInvalid(w.t, token)
      const fresh = await share(w.t, admin, w.ws.company.id, contact.id, 30)
      expect(fresh.email.to_address).toBe(email)
      const cookie = await expectLinkWorks(w.t, fresh.token)
      expect((await portalMe(w.t, cookie)).json().contact.email).toBe(email)
    })
  })

  describe('who cannot be shared to', () => {
    const expectRejected = async (payload: object, field: string, message: RegExp, companyId = w.ws.company.id) => {
      const admin = await w.admin()
      const before = await snapshotTables(w.t.deps)
      const res = await expectNoRowChanged(w.t.deps, () => w.t.app.inject({ method: 'POST', url: `/api/v1/companies/${companyId}/portal/share`, headers: admin, payload }))
      expect(await snapshotTables(w.t.deps)).toEqual(before)
      expect(res.statusCode, res.body).toBe(400)
      expect(res.json().error.code).toBe('VALIDATION')
      expect(res.json().error.field).toBe(field)
      expect(res.json().error.message).toMatch(message)
    }

    it('a contact without an email: 400 on contactId with a message, nothing written', async () => {
      await expectRejected({ contactId: w.ws.contactWithoutEmail.id, expiresInDays: 30 }, 'contactId', /no email address/)
    })

    it('a contact of another workspace, or no contact at all: 400 on contactId, nothing written', async () => {
      await expectRejected({ contactId: w.other.contact.id, expiresInDays: 30 }, 'contactId', /contactId/)
      await expectRejected({ contactId: randomUUID(), expiresInDays: 30 }, 'contactId', /contactId/)
      await expectRejected({ contactId: 'not-an-id', expiresInDays: 30 }, 'contactId', /contactId/)
    })

    it('an expiry other than 30, 60, 90 days or Never: 400 on expiresInDays, nothing written', async () => {
      await expectRejected({ contactId: w.ws.contact.id, expiresInDays: 45 }, 'expiresInDays', /30, 60, 90/)
      await expectRejected({ contactId: w.ws.contact.id }, 'expiresInDays', /expiresInDays/)
    })

    it("another workspace's company is not found, and nothing is written", async () => {
      const admin = await w.admin()
      const res = await expectNoRowChanged(w.t.deps, () =>
        w.t.app.inject({ method: 'POST', url: `/api/v1/companies/${w.other.company.id}/portal/share`, headers: admin, payload: { contactId: w.other.contact.id, expiresInDays: 30 } }),
      )
      expect(res.statusCode).toBe(404)
    })
  })

  describe('rate limits on sending links', () => {
    it('the 6th share or re-share to one contact within an hour is refused with a clear message, and works again an hour later', async () => {
      const contact = await newContact(w.t, w.ws)
      const admin = await w.admin()
      const first = await share(w.t, admin, w.ws.company.id, contact.id, 30)
      await share(w.t, admin, w.ws.company.id, contact.id, 60)
      await share(w.t, admin, w.ws.company.id, contact.id, 90)
      await reshare(w.t, admin, first.grantId, 30)
      w.t.clock.advance(59 * 60 * SECOND)
      const fifth = await reshare(w.t, admin, first.grantId, 30)

      for (const request of [
        { url: `/api/v1/companies/${w.ws.company.id}/portal/share`, payload: { contactId: contact.id, expiresInDays: 30 } },
        { url: `/api/v1/portal/grants/${first.grantId}/reshare`, payload: { expiresInDays: 30 } },
      ]) {
        const res = await expectNoRowChanged(w.t.deps, () => w.t.app.inject({ method: 'POST', headers: admin, ...request }))
        expect(res.statusCode, res.body).toBe(429)
        expect(res.json().error.code).toBe('RATE_LIMITED')
        expect(res.json().error.message).toMatch(/5 links in the last hour/)
        expect(res.json().error.message).toMatch(/wait an hour/)
      }
      // Other contacts are not affected, and the last link sent still works.
      await shareToNewContact(w)
      await expectLinkWorks(w.t, fifth.token)

      w.t.clock.advance(HOUR)
      const again = await reshare(w.t, admin, first.grantId, 30)
      await expectLinkWorks(w.t, again.token)
    })

    it('a workspace can send at most 100 links an hour', async () => {
      const ws = await createWorkspace(w.t.deps)
      const admin = await staffSession(w.t, ws, ws.admin.id)
      // 99 links sent in the last hour (seeded directly, spread over five contacts' grants), then the 100th through the API.
      const now = w.t.clock().toISOString()
      const earlier = await Promise.all(Array.from({ length: 5 }, () => newContact(w.t, ws)))
      const grants = earlier.map((c) => ({ id: randomUUID(), workspace_id: ws.workspaceId, company_id: ws.company.id, contact_id: c.id, contact_email: c.email!, contact_company_id: ws.company.id, shared_by_user_id: ws.admin.id, uploads_folder: null, created_at: now, revoked_at: null }))
      await w.t.deps.db.insertInto('portal_grants').values(grants).execute()
      await w.t.deps.db
        .insertInto('portal_links')
        .values(Array.from({ length: 99 }, (_, i) => ({ id: randomUUID(), grant_id: grants[i % 5]!.id, workspace_id: ws.workspaceId, token_hash: randomUUID(), expires_at: null, created_at: now, sent_by_user_id: ws.admin.id, superseded_at: i < 95 ? now : null, last_used_at: null, reminder_sent_at: null })))
        .execute()
      const [hundredth, last] = [await newContact(w.t, ws), await newContact(w.t, ws)]
      await share(w.t, admin, ws.company.id, hundredth.id, 30)
      const res = await expectNoRowChanged(w.t.deps, () =>
        w.t.app.inject({ method: 'POST', url: `/api/v1/companies/${ws.company.id}/portal/share`, headers: admin, payload: { contactId: last.id, expiresInDays: 30 } }),
      )
      expect(res.statusCode).toBe(429)
      expect(res.json().error.code).toBe('RATE_LIMITED')
      expect(res.json().error.message).toMatch(/100 portal links in the last hour/)
      // Another workspace still can.
      await shareToNewContact(w)
      w.t.clock.advance(HOUR)
      await share(w.t, await staffSession(w.t, ws, ws.admin.id), ws.company.id, last.id, 30)
    })
  })
})

describe.each(testDatabases)('portal session limits on $name', (db) => {
  describe('defaults: 7 days idle, 30 days absolute, never past the link', () => {
    let w: PortalWorld
    beforeAll(async () => {
      w = await buildPortalWorld(db)
    })
    afterAll(() => w.t.close())

    const shareToken = async (expiresInDays: number | null) => (await shareToNewContact(w, expiresInDays)).token

    it('a session idle for 7 days ends; one used within the window stays alive', async () => {
      const token = await shareToken(null)
      const active = await signInClient(w.t, token)
      const idle = await signInClient(w.t, token)
      w.t.clock.advance(7 * DAY - SECOND)
      expect((await portalMe(w.t, active)).statusCode).toBe(200)
      w.t.clock.advance(SECOND)
      expect((await portalMe(w.t, idle)).statusCode).toBe(401)
      expect((await portalMe(w.t, active)).statusCode).toBe(200)
      w.t.clock.advance(6 * DAY)
      expect((await portalMe(w.t, active)).statusCode).toBe(200)
      // The link re-opens the portal at any time.
      await expectLinkWorks(w.t, token)
    })

    it('a session in constant use ends 30 days after it started', async () => {
      const token = await shareToken(90)
      const started = w.t.clock().getTime()
      const { cookie, res } = await exchange(w.t, token)
      expect(res.cookies.find((c) => c.name === 'portal_sid')!.expires!.getTime()).toBe(started + 30 * DAY)
      for (let day = 6; day < 30; day += 6) {
        w.t.clock.set(new Date(started + day * DAY))
        expect((await portalMe(w.t, cookie!)).statusCode).toBe(200)
      }
      w.t.clock.set(new Date(started + 30 * DAY - SECOND))
      expect((await portalMe(w.t, cookie!)).statusCode).toBe(200)
      w.t.clock.set(new Date(started + 30 * DAY))
      expect((await portalMe(w.t, cookie!)).statusCode).toBe(401)
      await expectLinkWorks(w.t, token)
    })

    it("a session never outlives its link's expiry", async () => {
      const sharedAt = w.t.clock().getTime()
      const token = await shareToken(30)
      w.t.clock.advance(29 * DAY)
      const { cookie, res } = await exchange(w.t, token)
      expect(res.cookies.find((c) => c.name === 'portal_sid')!.expires!.getTime()).toBe(sharedAt + 30 * DAY)
      const row = await w.t.deps.db.selectFrom('portal_sessions').select('expires_at').orderBy('created_at', 'desc').executeTakeFirstOrThrow()
      expect(row.expires_at).toBe(new Date(sharedAt + 30 * DAY).toISOString())
      w.t.clock.set(new Date(sharedAt + 30 * DAY - SECOND))
      expect((await portalMe(w.t, cookie!)).statusCode).toBe(200)
      w.t.clock.set(new Date(sharedAt + 30 * DAY))
      expect((await portalMe(w.t, cookie!)).statusCode).toBe(401)
    })
  })

  describe('configured: PORTAL_SESSION_IDLE_HOURS=12, PORTAL_SESSION_MAX_DAYS=1', () => {
    let w: PortalWorld
    beforeAll(async () => {
      w = await buildPortalWorld(db, { PORTAL_SESSION_IDLE_HOURS: '12', PORTAL_SESSION_MAX_DAYS: '1' })
    })
    afterAll(() => w.t.close())

    it('ends a session idle for 12 hours and any session after one day', async () => {
      const token = (await share(w.t, w.adminHeaders, w.ws.company.id, w.ws.contact.id, null)).token
      const start = w.t.clock().getTime()
      const active = await signInClient(w.t, token)
      const idle = await signInClient(w.t, token)
      w.t.clock.set(new Date(start + 12 * HOUR - SECOND))
      expect((await portalMe(w.t, active)).statusCode).toBe(200)
      w.t.clock.set(new Date(start + 12 * HOUR))
      expect((await portalMe(w.t, idle)).statusCode).toBe(401)
      w.t.clock.set(new Date(start + 23 * HOUR))
      expect((await portalMe(w.t, active)).statusCode).toBe(200)
      w.t.clock.set(new Date(start + 24 * HOUR - SECOND))
      expect((await portalMe(w.t, active)).statusCode).toBe(200)
      w.t.clock.set(new Date(start + 24 * HOUR))
      expect((await portalMe(w.t, active)).statusCode).toBe(401)
      await expectLinkWorks(w.t, token)
    })
  })
})
