// Security headers (checklist: CSP, framing, sniffing, referrer, HSTS on https) on every kind of response:
// portal and staff API, errors, pages and the download's stricter override.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { securityHeaders } from '../../src/server/http/security-headers.js'
import { buildTestApp, type TestApp } from '../helpers/app.js'
import { testDatabases } from '../helpers/databases.js'
import { createWorkspace, signInStaff, type WorkspaceFixture } from '../factories.js'
import { share, signInClient } from '../helpers/portal.js'

const expectHardened = (headers: Record<string, unknown>) => {
  expect(headers['content-security-policy']).toMatch(/default-src 'self'/)
  expect(headers['content-security-policy']).toMatch(/frame-ancestors 'self'/)
  expect(headers['content-security-policy']).toMatch(/object-src 'none'/)
  expect(headers['x-content-type-options']).toBe('nosniff')
  expect(headers['x-frame-options']).toBe('SAMEORIGIN')
  expect(headers['referrer-policy']).toBe('no-referrer')
  expect(headers['cross-origin-opener-policy']).toBe('same-origin')
  expect(headers['x-powered-by']).toBeUndefined()
}

describe('securityHeaders', () => {
  it('sends HSTS and upgrade-insecure-requests only when asked (an https BASE_URL)', () => {
    const plain = securityHeaders({ hsts: false, contentSecurityPolicy: { directives: { 'upgrade-insecure-requests': null } } })
    expect(plain['strict-transport-security']).toBeUndefined()
    expect(plain['content-security-policy']).not.toContain('upgrade-insecure-requests')
    const secure = securityHeaders({ hsts: true })
    expect(secure['strict-transport-security']).toMatch(/max-age=\d+/)
    expect(secure['content-security-policy']).toContain('upgrade-insecure-requests')
  })
})

describe.each(testDatabases)('security headers on $name', (db) => {
  let t: TestApp
  let ws: WorkspaceFixture
  beforeAll(async () => {
    t = await buildTestApp(db)
    ws = await createWorkspace(t.deps)
  })
  afterAll(() => t.close())

  it('are on portal, staff, error and not-found responses alike', async () => {
    const staff = await signInStaff(t.app, ws.admin.email)
    const cookie = await signInClient(t, (await share(t, staff, ws.company.id, ws.contact.id)).token)
    const responses = await Promise.all([
      t.app.inject({ url: '/api/portal/home', headers: { cookie } }),
      t.app.inject({ url: '/api/v1/companies', headers: staff }),
      t.app.inject({ url: '/api/portal/home' }),
      t.app.inject({ url: '/no/such/page' }),
      t.app.inject({ url: '/portal/l/not-a-token' }),
    ])
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 401, 404, expect.any(Number)])
    for (const res of responses) expectHardened(res.headers)
  })

})
