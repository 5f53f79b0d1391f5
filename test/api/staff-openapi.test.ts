import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabases } from '../helpers/databases.js'
import { buildStaffWorld, expectNothingWritten, expectStatus, type StaffWorld } from '../helpers/staff.js'

type OpenApi = { openapi: string; info: { title: string }; paths: Record<string, Record<string, { tags?: string[]; requestBody?: unknown; parameters?: unknown[] }>> }
const PUBLIC = new Set(['post /api/v1/auth/sign-in', 'post /api/v1/auth/sign-out'])

describe.each(testDatabases)('OpenAPI document and health checks on $name', (db) => {
  let w: StaffWorld
  let doc: OpenApi
  beforeAll(async () => {
    w = await buildStaffWorld(db)
    doc = (await w.inject({ url: '/api/docs/json' })).json()
  })
  afterAll(() => w.t.close())

  it('serves an OpenAPI 3 document of the staff API', async () => {
    const res = await w.inject({ url: '/api/docs/json' })
    expectStatus(res, 200)
    expect(doc.openapi).toMatch(/^3\./)
    expect(doc.info.title).toBe('Coeffection API')
    const paths = Object.keys(doc.paths)
    for (const p of [
      '/api/v1/auth/sign-in',
      '/api/v1/me',
      '/api/v1/workspace',
      '/api/v1/users',
      '/api/v1/companies',
      '/api/v1/companies/{id}',
      '/api/v1/contacts',
      '/api/v1/contacts/{id}',
      '/api/v1/record-types',
      '/api/v1/record-types/{id}',
      '/api/v1/record-types/{id}/stages',
      '/api/v1/record-types/{id}/stages/{childId}',
      '/api/v1/record-types/{id}/fields',
      '/api/v1/record-types/{id}/fields/{childId}',
      '/api/v1/records',
      '/api/v1/records/{id}',
      '/api/v1/records/{id}/files',
      '/api/v1/records/{id}/comments',
      '/api/v1/files/{id}',
      '/api/v1/files/{id}/download',
      '/api/v1/emails',
      '/api/v1/emails/{id}',
    ]) {
      expect(paths, p).toContain(p)
    }
    // Schemas come from the zod contracts: a body, its required fields, and the path id.
    const createCompany = doc.paths['/api/v1/companies']!.post!
    expect(JSON.stringify(createCompany.requestBody)).toContain('"name"')
    expect(doc.paths['/api/v1/records/{id}']!.get!.parameters).toContainEqual(expect.objectContaining({ name: 'id', in: 'path' }))
    expect(doc.paths['/api/v1/records/{id}/files']!.post).toMatchObject({ tags: ['files'] })
  })

  it('serves the docs UI', async () => {
    const res = await w.inject({ url: '/api/docs/' })
    expectStatus(res, 200)
    expect(res.headers['content-type']).toMatch(/text\/html/)
  })

  it('answers /healthz and /readyz', async () => {
    const health = await w.inject({ url: '/healthz' })
    expectStatus(health, 200)
    expect(health.json()).toEqual({ ok: true })
    const ready = await w.inject({ url: '/readyz' })
    expectStatus(ready, 200)
    expect(ready.json()).toEqual({ ok: true })
  })

  it('answers 401 without a session on every documented /api/v1 route except sign-in and sign-out, and writes nothing', async () => {
    let checked = 0
    for (const [template, operations] of Object.entries(doc.paths)) {
      if (!template.startsWith('/api/v1/')) continue
      for (const method of Object.keys(operations)) {
        if (PUBLIC.has(`${method} ${template}`)) continue
        const url = template.replace(/\{[^}]+\}/g, () => randomUUID())
        const res = await expectNothingWritten(w.t, () =>
          w.inject({ method: method.toUpperCase() as 'GET', url, headers: w.anonymous, ...(['post', 'patch', 'put'].includes(method) ? { payload: {} } : {}) }),
        )
        expect(res.statusCode, `${method.toUpperCase()} ${template}`).toBe(401)
        expect(res.json().error.code).toBe('UNAUTHENTICATED')
        checked++
      }
    }
    expect(checked).toBeGreaterThanOrEqual(25)
  })

  it('answers 401 to a forged or expired session cookie', async () => {
    const forged = await w.inject({ url: '/api/v1/me', headers: { cookie: `coeffection_staff=${'A'.repeat(43)}` } })
    expectStatus(forged, 401)
    const headers = w.member
    const now = w.t.clock.now
    w.t.clock.advance(15 * 86_400_000)
    try {
      expectStatus(await w.inject({ url: '/api/v1/me', headers }), 401)
    } finally {
      w.t.clock.set(now)
    }
    expectStatus(await w.inject({ url: '/api/v1/me', headers }), 200)
  })

  it('keeps sign-out public: it ends the session if there is one and clears the cookie either way', async () => {
    const res = await w.inject({ method: 'POST', url: '/api/v1/auth/sign-out', headers: w.anonymous })
    expectStatus(res, 200)
    expect(res.cookies.find((c) => c.name === 'coeffection_staff')?.value).toBe('')
  })
})
