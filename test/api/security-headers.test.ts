// Security headers on every kind of response: JSON API responses (portal and staff, errors and not-found
// alike) get the API set — nothing may load or frame them; pages get helmet's document set; HSTS only on https.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_HEADERS, securityHeaders } from '../../src/server/http/security-headers.js'
import { buildTestApp, type TestApp } from '../helpers/app.js'
import { testDatabases } from '../helpers/databases.js'
import { createWorkspace, signInStaff, type WorkspaceFixture } from '../factories.js'
import { share, signInClient } from '../helpers/portal.js'

const expectApiHeaders = (headers: Record<string, unknown>) => {
  expect(headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'")
  expect(headers['x-content-type-options']).toBe('nosniff')
  expect(headers['x-frame-options']).toBe('DENY')
  expect(headers['referrer-policy']).toBe('no-referrer')
  expect(headers['cross-origin-resource-policy']).toBe('same-origin')
  expect(headers['x-powered-by']).toBeUndefined()
}
const expectPageHeaders = (headers: Record<string, unknown>) => {
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
  let secure: TestApp
  let ws: WorkspaceFixture
  beforeAll(async () => {
    t = await buildTestApp(db)
    secure = await buildTestApp(db, { env: { BASE_URL: 'https://portal.example' } })
    ws = await createWorkspace(t.deps)
  })
  afterAll(async () => {
    await t.close()
    await secure.close()
  })

  it('JSON API responses carry the API set: portal, staff, 401 and 404 alike', async () => {
    const staff = await signInStaff(t.app, ws.admin.email)
    const cookie = await signInClient(t, (await share(t, staff, ws.company.id, ws.contact.id)).token)
    const responses = await Promise.all([
      t.app.inject({ url: '/api/portal/home', headers: { cookie } }),
      t.app.inject({ url: '/api/v1/companies', headers: staff }),
      t.app.inject({ url: '/api/portal/home' }),
      t.app.inject({ url: '/api/v1/no-such-thing', headers: staff }),
    ])
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 401, 404])
    for (const res of responses) expectApiHeaders(res.headers)
  })

  it('pages carry the document set: the link page, the API docs, a page that does not exist', async () => {
    const responses = await Promise.all([t.app.inject({ url: '/portal/l/not-a-token' }), t.app.inject({ url: '/api/docs/' }), t.app.inject({ url: '/no/such/page' })])
    expect(responses.map((r) => r.statusCode)).toEqual([expect.any(Number), 200, 404])
    expect(responses[0]!.headers['content-type']).toMatch(/^text\/html/)
    for (const res of responses) expectPageHeaders(res.headers)
  })

  it('adds HSTS to both sets only under an https BASE_URL', async () => {
    expect((await t.app.inject({ url: '/api/portal/home' })).headers['strict-transport-security']).toBeUndefined()
    for (const url of ['/api/portal/home', '/portal/l/not-a-token']) {
      const res = await secure.app.inject({ url })
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/)
    }
    expect(Object.keys(API_HEADERS)).not.toContain('strict-transport-security')
  })
})
