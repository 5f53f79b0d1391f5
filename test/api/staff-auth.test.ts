import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, ORIGIN, type TestApp } from '../helpers/app.js'
import { testDatabases } from '../helpers/databases.js'
import { createWorkspace, PASSWORD, signInStaff, type WorkspaceFixture } from '../factories.js'

describe.each(testDatabases)('staff sign-in on $name', (db) => {
  let t: TestApp
  let ws: WorkspaceFixture
  beforeAll(async () => {
    t = await buildTestApp(db)
    ws = await createWorkspace(t.deps)
  })
  afterAll(() => t.close())

  it('signs in with the right password and sets an HttpOnly, SameSite=Lax session cookie', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', headers: ORIGIN, payload: { email: ws.admin.email, password: PASSWORD } })
    expect(res.statusCode).toBe(200)
    const cookie = res.cookies.find((c) => c.name === 'coeffection_staff')!
    expect(cookie.httpOnly).toBe(true)
    expect(cookie.sameSite).toBe('Lax')
    const me = await t.app.inject({ url: '/api/v1/me', headers: { cookie: `${cookie.name}=${cookie.value}` } })
    expect(me.json().user.email).toBe(ws.admin.email)
  })

  it('stores only a hash of the session id', async () => {
    const headers = await signInStaff(t.app, ws.member.email)
    const raw = headers.cookie!.split('=')[1]!
    const rows = await t.deps.db.selectFrom('staff_sessions').selectAll().execute()
    expect(JSON.stringify(rows)).not.toContain(raw)
  })

  it('refuses a wrong password with the same message as an unknown email', async () => {
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', headers: ORIGIN, payload: { email: ws.admin.email, password: 'nope' } })
    const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', headers: ORIGIN, payload: { email: 'nobody@example.com', password: 'nope' } })
    expect(wrong.statusCode).toBe(401)
    expect(unknown.statusCode).toBe(401)
    expect(wrong.json()).toEqual(unknown.json())
  })

  it('sign out ends the session', async () => {
    const headers = await signInStaff(t.app, ws.admin.email)
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-out', headers })).statusCode).toBe(200)
    expect((await t.app.inject({ url: '/api/v1/me', headers })).statusCode).toBe(401)
  })

  it('rejects a write from a foreign Origin or a cross-site fetch (invariant 6)', async () => {
    const headers = await signInStaff(t.app, ws.admin.email)
    const foreign = await t.app.inject({ method: 'POST', url: '/api/v1/companies', headers: { ...headers, origin: 'https://evil.example' }, payload: { name: 'X' } })
    expect(foreign.statusCode).toBe(403)
    const crossSite = await t.app.inject({ method: 'POST', url: '/api/v1/companies', headers: { ...headers, 'sec-fetch-site': 'cross-site' }, payload: { name: 'X' } })
    expect(crossSite.statusCode).toBe(403)
    const { origin: _o, ...noOrigin } = headers
    const missing = await t.app.inject({ method: 'POST', url: '/api/v1/companies', headers: noOrigin, payload: { name: 'X' } })
    expect(missing.statusCode).toBe(403)
    const companies = await t.deps.db.selectFrom('companies').select('name').where('name', '=', 'X').execute()
    expect(companies).toHaveLength(0)
  })
})
