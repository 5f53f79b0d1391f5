// Issue 3, token hygiene: what a link token and a session id look like, where they may (not) appear,
// the cookie, the separation of portal and staff sessions, and the invalid-link page.
import { createHash } from 'node:crypto'
import { Writable } from 'node:stream'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/server/app.js'
import { testDatabases } from '../helpers/databases.js'
import {
  buildPortalWorld,
  DAY,
  exchange,
  expectLinkWorks,
  newContact,
  nextIp,
  openLink,
  portalMe,
  reshare,
  revoke,
  sessionCount,
  share,
  shareToNewContact,
  signInClient,
  signOut,
  whereStored,
  type PortalWorld,
  type Res,
} from '../helpers/portal.js'

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/
const is256BitBase64url = (value: string) => TOKEN_SHAPE.test(value) && Buffer.from(value, 'base64url').length === 32 && Buffer.from(value, 'base64url').toString('base64url') === value
/** Everything a client of the API receives: status, headers and body. */
const wire = (res: Res) => JSON.stringify({ status: res.statusCode, headers: res.headers, body: res.body })

describe.each(testDatabases)('portal token hygiene on $name', (db) => {
  let w: PortalWorld
  beforeAll(async () => {
    w = await buildPortalWorld(db)
  })
  afterAll(() => w.t.close())

  it('link tokens and session ids are 256-bit base64url values, new every time', async () => {
    const a = await shareToNewContact(w)
    const b = await shareToNewContact(w)
    expect(is256BitBase64url(a.token)).toBe(true)
    expect(is256BitBase64url(b.token)).toBe(true)
    expect(a.token).not.toBe(b.token)
    const s1 = await exchange(w.t, a.token)
    const s2 = await exchange(w.t, a.token)
    expect(is256BitBase64url(s1.sessionId!)).toBe(true)
    expect(is256BitBase64url(s2.sessionId!)).toBe(true)
    expect(s1.sessionId).not.toBe(s2.sessionId)
    expect(s1.sessionId).not.toBe(a.token)
  })

  it('tokens of the wrong shape are refused without a lookup that could match', async () => {
    const { token } = await shareToNewContact(w)
    for (const bad of [token.slice(0, 42), `${token}A`, `${token.slice(0, 42)}=`, `${token.slice(0, 42)}+`, token.replace(/^./, '%')]) {
      expect((await openLink(w.t, encodeURIComponent(bad))).statusCode).toBe(410)
      expect((await exchange(w.t, bad)).res.statusCode).toBe(410)
    }
    expect((await openLink(w.t, 'x'.repeat(100))).statusCode).toBe(410)
    expect((await exchange(w.t, 'x'.repeat(200))).res.statusCode).toBe(410)
  })

  it('no raw link token or session id is stored: only SHA-256 hashes (the outbox email body carries the link it sends)', async () => {
    const first = await shareToNewContact(w)
    const second = await reshare(w.t, await w.admin(), first.grantId, 60)
    const sessions = [await exchange(w.t, second.token), await exchange(w.t, second.token)]
    await portalMe(w.t, sessions[0]!.cookie!)
    await signOut(w.t, sessions[1]!.cookie!)
    await w.t.worker.drain()

    for (const token of [first.token, second.token]) {
      // The only stored copy is the message being delivered; no table that authenticates holds it.
      expect(await whereStored(w.t.deps, token)).toEqual(['emails.html_body', 'emails.text_body'])
    }
    for (const s of sessions) expect(await whereStored(w.t.deps, s.sessionId!)).toEqual([])
    const hashes = (await w.t.deps.db.selectFrom('portal_links').select('token_hash').where('grant_id', '=', first.grantId).execute()).map((r) => r.token_hash)
    expect(hashes.sort()).toEqual([first.token, second.token].map((t) => createHash('sha256').update(t).digest('hex')).sort())
    const live = await w.t.deps.db.selectFrom('portal_sessions').select('id_hash').where('grant_id', '=', first.grantId).execute()
    expect(live).toEqual([{ id_hash: createHash('sha256').update(sessions[0]!.sessionId!).digest('hex') }])
  })

  it('the logs never contain a link token or a session id', async () => {
    const lines: string[] = []
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk))
        done()
      },
    })
    const logged = await buildApp(w.t.deps, { logger: pino({ level: 'trace' }, stream) })
    try {
      const contact = await newContact(w.t, w.ws)
      const admin = await w.admin()
      const before = new Set((await w.t.deps.db.selectFrom('emails').select('id').execute()).map((r) => r.id))
      const shared = await logged.inject({ method: 'POST', url: `/api/v1/companies/${w.ws.company.id}/portal/share`, headers: admin, payload: { contactId: contact.id, expiresInDays: 30 } })
      expect(shared.statusCode).toBe(200)
      const email = (await w.t.deps.db.selectFrom('emails').selectAll().execute()).find((e) => !before.has(e.id))!
      const token = email.text_body.match(/\/portal\/l\/([A-Za-z0-9_-]{43})/)![1]!
      const ip = { 'x-forwarded-for': nextIp() }
      expect((await logged.inject({ url: `/portal/l/${token}`, headers: ip })).statusCode).toBe(200)
      expect((await logged.inject({ method: 'HEAD', url: `/portal/l/${token}`, headers: ip })).statusCode).toBe(200)
      const ex = await logged.inject({ method: 'POST', url: '/portal/session', headers: { ...ip, origin: w.origin, 'content-type': 'application/x-www-form-urlencoded' }, payload: `token=${token}` })
      expect(ex.statusCode).toBe(303)
      const sid = ex.cookies.find((c) => c.name === 'portal_sid')!.value
      expect((await logged.inject({ url: '/api/portal/me', headers: { cookie: `portal_sid=${sid}` } })).statusCode).toBe(200)
      expect((await logged.inject({ url: '/api/portal/nope', headers: { cookie: `portal_sid=${sid}` } })).statusCode).toBe(404)
      expect((await logged.inject({ method: 'POST', url: '/api/portal/sign-out', headers: { cookie: `portal_sid=${sid}`, origin: w.origin } })).statusCode).toBe(200)
      expect((await logged.inject({ url: `/portal/l/${token.slice(1)}Z`, headers: ip })).statusCode).toBe(410)
      await revoke(w.t, admin, (await w.t.deps.db.selectFrom('portal_grants').select('id').where('contact_id', '=', contact.id).executeTakeFirstOrThrow()).id)
      expect((await logged.inject({ url: `/portal/l/${token}`, headers: ip })).statusCode).toBe(410)

      const log = lines.join('')
      // The request log is on and covers the link routes, so the search below means something.
      const linkLines = lines.filter((l) => l.includes('/portal/l/'))
      expect(linkLines.length).toBeGreaterThanOrEqual(4)
      expect(lines.some((l) => l.includes('/portal/session'))).toBe(true)
      expect(log).not.toContain(token)
      expect(log).not.toContain(token.slice(1))
      expect(log).not.toContain(sid)
    } finally {
      await logged.close()
    }
  })

  it('no API response contains a link token', async () => {
    const contact = await newContact(w.t, w.ws)
    const admin = await w.admin()
    const { res: shared, token, grantId, email } = await share(w.t, admin, w.ws.company.id, contact.id, 30)
    expect(shared.json().access.some((a: { contactId: string }) => a.contactId === contact.id)).toBe(true)
    const { res: reshared, token: token2 } = await reshare(w.t, admin, grantId, 30)
    const tokens = [token, token2]
    const ex = await exchange(w.t, token2)
    const responses: [string, Res][] = [
      ['share', shared],
      ['reshare', reshared],
      ['access list', await w.t.app.inject({ url: `/api/v1/companies/${w.ws.company.id}/portal`, headers: admin })],
      ['company', await w.t.app.inject({ url: `/api/v1/companies/${w.ws.company.id}`, headers: admin })],
      ['contact', await w.t.app.inject({ url: `/api/v1/contacts/${contact.id}`, headers: admin })],
      ['outbox summaries', await w.t.app.inject({ url: '/api/v1/emails', headers: admin })],
      ['portal settings', await w.t.app.inject({ url: '/api/v1/portal/settings', headers: admin })],
      ['exchange', ex.res],
      ['portal me', await portalMe(w.t, ex.cookie!)],
      ['sign out', await signOut(w.t, ex.cookie!)],
      ['revoke', await revoke(w.t, admin, grantId)],
    ]
    for (const [name, res] of responses) {
      expect(res.statusCode, `${name}: ${res.body}`).toBeLessThan(400)
      for (const t of tokens) expect(wire(res), name).not.toContain(t)
    }
    expect(ex.res.headers.location).toBe('/portal')
    // The outbox summaries list the email without its body; only the staff-only detail shows the message itself.
    expect((responses[5]![1].json() as { id: string }[]).some((e) => e.id === email.id)).toBe(true)
  })

  it('the session cookie is HttpOnly, SameSite=Lax, Path=/, host-only, and not Secure over plain http', async () => {
    const { token } = await shareToNewContact(w)
    const { res } = await exchange(w.t, token)
    const cookie = res.cookies.find((c) => c.name === 'portal_sid')!
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' })
    expect(cookie.domain).toBeUndefined()
    expect(cookie.secure).toBeFalsy()
    const raw = String(res.headers['set-cookie'])
    expect(raw).toMatch(/HttpOnly/)
    expect(raw).toMatch(/SameSite=Lax/)
    expect(raw).not.toMatch(/Domain=/i)
    expect(raw.length).toBeLessThan(4096)
  })

  it('a portal session cannot call any /api/v1 staff route', async () => {
    const { token } = await shareToNewContact(w)
    const cookie = await signInClient(w.t, token)
    const headers = { cookie, origin: w.origin }
    const routes = [
      { method: 'GET', url: '/api/v1/me' },
      { method: 'GET', url: '/api/v1/companies' },
      { method: 'GET', url: `/api/v1/companies/${w.ws.company.id}` },
      { method: 'GET', url: '/api/v1/contacts' },
      { method: 'GET', url: `/api/v1/records/${w.ws.record.id}` },
      { method: 'GET', url: '/api/v1/emails' },
      { method: 'GET', url: '/api/v1/portal/settings' },
      { method: 'GET', url: `/api/v1/companies/${w.ws.company.id}/portal` },
      { method: 'POST', url: `/api/v1/companies/${w.ws.company.id}/portal/share`, payload: { contactId: w.ws.contact.id, expiresInDays: 30 } },
      { method: 'PATCH', url: `/api/v1/portal/settings/${w.ws.projects.id}`, payload: { shareable: false } },
      { method: 'PATCH', url: `/api/v1/contacts/${w.ws.contact.id}`, payload: { name: 'Hacked' } },
      { method: 'POST', url: '/api/v1/companies', payload: { name: 'Injected' } },
    ] as const
    for (const route of routes) {
      const res = await w.t.app.inject({ ...route, headers })
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401)
    }
    // …even with the portal id presented under the staff cookie's name.
    const sid = cookie.split('=')[1]!
    expect((await w.t.app.inject({ url: '/api/v1/me', headers: { cookie: `coeffection_staff=${sid}` } })).statusCode).toBe(401)
    expect((await w.t.app.inject({ url: `/api/v1/contacts/${w.ws.contact.id}`, headers: w.adminHeaders })).json().name).not.toBe('Hacked')
  })

  it('a staff session is not a portal session', async () => {
    const staffCookie = w.adminHeaders.cookie!
    const staffSid = staffCookie.split('=')[1]!
    expect((await w.t.app.inject({ url: '/api/v1/me', headers: w.adminHeaders })).statusCode).toBe(200)
    expect((await portalMe(w.t, staffCookie)).statusCode).toBe(401)
    expect((await portalMe(w.t, `portal_sid=${staffSid}`)).statusCode).toBe(401)
    expect((await signOut(w.t, `portal_sid=${staffSid}`)).statusCode).toBe(401)
    expect((await w.t.app.inject({ url: '/api/v1/me', headers: w.adminHeaders })).statusCode).toBe(200)
  })

  it('a forged Origin, a cross-site fetch or a missing Origin on POST /portal/session is refused with 403 and starts no session', async () => {
    const { token, grantId } = await shareToNewContact(w)
    for (const headers of [{ origin: 'https://evil.example' }, { origin: 'http://localhost:3000.evil.example' }, { 'sec-fetch-site': 'cross-site' }, { origin: '' }]) {
      const res = await w.t.app.inject({
        method: 'POST',
        url: '/portal/session',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: w.origin, 'x-forwarded-for': nextIp(), ...headers },
        payload: `token=${token}`,
      })
      expect(res.statusCode, JSON.stringify(headers)).toBe(403)
      expect(res.headers['set-cookie']).toBeUndefined()
    }
    expect(await sessionCount(w.t.deps, grantId)).toBe(0)
    await expectLinkWorks(w.t, token)
  })

  it('the invalid-link page is byte-identical for an unknown, an expired, a superseded and a revoked link', async () => {
    const admin = await w.admin()
    const expired = await shareToNewContact(w, 30)
    const superseded = await shareToNewContact(w, null)
    await reshare(w.t, admin, superseded.grantId, null)
    const revoked = await shareToNewContact(w, null)
    expect((await revoke(w.t, admin, revoked.grantId)).statusCode).toBe(200)
    w.t.clock.advance(30 * DAY)
    const unknown = Buffer.alloc(32, 7).toString('base64url')

    const cases = { unknown, expired: expired.token, superseded: superseded.token, revoked: revoked.token }
    const pages = await Promise.all(Object.values(cases).map((t) => openLink(w.t, t)))
    const posts = await Promise.all(Object.values(cases).map((t) => exchange(w.t, t)))
    const shape = (r: Res) => ({ status: r.statusCode, type: r.headers['content-type'], cache: r.headers['cache-control'], referrer: r.headers['referrer-policy'], length: r.headers['content-length'], body: r.body })
    for (const r of [...pages, ...posts.map((p) => p.res)]) expect(shape(r)).toEqual(shape(pages[0]!))
    expect(pages[0]!.statusCode).toBe(410)
    expect(pages[0]!.body).toContain('This link is no longer valid')
    expect(pages[0]!.body).toMatch(/Ask your contact at .+ to share the portal with you again/)
    for (const t of Object.values(cases)) expect(pages[0]!.body).not.toContain(t)
    for (const p of posts) expect(p.cookie).toBeUndefined()
  })

  it('the link page and the exchange send cache-control: no-store and referrer-policy: no-referrer', async () => {
    const { token } = await shareToNewContact(w)
    const responses: [string, Res][] = [
      ['page', await openLink(w.t, token)],
      ['head', await w.t.app.inject({ method: 'HEAD', url: `/portal/l/${token}`, headers: { 'x-forwarded-for': nextIp() } })],
      ['invalid page', await openLink(w.t, Buffer.alloc(32).toString('base64url'))],
      ['exchange', (await exchange(w.t, token)).res],
      ['failed exchange', (await exchange(w.t, Buffer.alloc(32).toString('base64url'))).res],
    ]
    for (const [name, res] of responses) {
      expect(res.headers['cache-control'], name).toBe('no-store')
      expect(res.headers['referrer-policy'], name).toBe('no-referrer')
    }
    expect(responses[0]![1].body).toContain('<meta name="referrer" content="no-referrer">')
    expect(responses[3]![1].statusCode).toBe(303)
  })

  it('link URLs are built from BASE_URL, never from the Host or X-Forwarded-Host header', async () => {
    const contact = await newContact(w.t, w.ws)
    const admin = await w.admin()
    const evil = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' }
    const shared = await share(w.t, admin, w.ws.company.id, contact.id, 30, evil)
    const reshared = await w.t.app.inject({ method: 'POST', url: `/api/v1/portal/grants/${shared.grantId}/reshare`, headers: { ...admin, ...evil }, payload: { expiresInDays: 60 } })
    expect(reshared.statusCode).toBe(200)
    const emails = await w.t.deps.db.selectFrom('emails').selectAll().where('to_address', '=', contact.email!).execute()
    expect(emails).toHaveLength(2)
    for (const e of emails) {
      expect(e.text_body).toMatch(/http:\/\/localhost:3000\/portal\/l\/[A-Za-z0-9_-]{43}/)
      expect(e.html_body).toMatch(/href="http:\/\/localhost:3000\/portal\/l\/[A-Za-z0-9_-]{43}"/)
      expect(e.text_body + e.html_body).not.toContain('evil.example')
    }
  })

  it('the link endpoint is rate-limited per IP with a clear message', async () => {
    const { token } = await shareToNewContact(w)
    const ip = { 'x-forwarded-for': '198.51.100.254' }
    for (let i = 0; i < 30; i++) expect((await openLink(w.t, token, ip)).statusCode).toBe(200)
    const limited = await openLink(w.t, token, ip)
    expect(limited.statusCode).toBe(429)
    expect(limited.json().error.message).toMatch(/Too many requests.*wait/)
    expect((await openLink(w.t, token)).statusCode).toBe(200) // another address is not affected
  })
})

describe.each(testDatabases)('portal cookie under an https BASE_URL on $name', (db) => {
  let w: PortalWorld
  beforeAll(async () => {
    w = await buildPortalWorld(db, { BASE_URL: 'https://portal.example.com' })
  })
  afterAll(() => w.t.close())

  it('is __Host-portal_sid with Secure, HttpOnly, SameSite=Lax, Path=/ and no Domain; links use the https BASE_URL', async () => {
    expect(w.origin).toBe('https://portal.example.com')
    const { token, email } = await share(w.t, w.adminHeaders, w.ws.company.id, w.ws.contact.id, 30)
    expect(email.text_body).toContain(`https://portal.example.com/portal/l/${token}`)
    expect(email.text_body).not.toContain('http://localhost')

    const { res, cookie } = await exchange(w.t, token)
    expect(res.statusCode).toBe(303)
    const set = res.cookies.find((c) => c.name === '__Host-portal_sid')!
    expect(set).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax', path: '/' })
    expect(set.domain).toBeUndefined()
    expect(res.cookies.find((c) => c.name === 'portal_sid')).toBeUndefined()
    const raw = String(res.headers['set-cookie'])
    expect(raw).toMatch(/^__Host-portal_sid=[A-Za-z0-9_-]{43};/)
    expect(raw).toMatch(/; Secure/)
    expect(raw).not.toMatch(/Domain=/i)

    expect((await portalMe(w.t, cookie!)).statusCode).toBe(200)
    // The plain name is not read under https.
    expect((await portalMe(w.t, `portal_sid=${set.value}`)).statusCode).toBe(401)

    // An exchange from the http origin is cross-origin here.
    const http = await exchange(w.t, token, { origin: 'http://portal.example.com' })
    expect(http.res.statusCode).toBe(403)

    const out = await signOut(w.t, cookie!)
    expect(out.statusCode).toBe(200)
    const cleared = out.cookies.find((c) => c.name === '__Host-portal_sid')!
    expect(cleared).toMatchObject({ value: '', secure: true, path: '/' })
    expect((await portalMe(w.t, cookie!)).statusCode).toBe(401)
  })
})
