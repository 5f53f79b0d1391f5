import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabases } from '../helpers/databases.js'
import { brokenJson, buildStaffWorld, expectFieldError, expectNotFound, expectNothingWritten, expectStatus, missingId, type StaffWorld } from '../helpers/staff.js'

describe.each(testDatabases)('staff contacts on $name', (db) => {
  let w: StaffWorld
  beforeAll(async () => {
    w = await buildStaffWorld(db)
  })
  afterAll(() => w.t.close())

  const create = (payload: unknown, headers = w.admin) => w.inject({ method: 'POST', url: '/api/v1/contacts', headers, payload: payload as object })

  it('creates, reads, lists, searches, updates and deletes a contact', async () => {
    const created = await create({ companyId: w.ws.otherCompany.id, name: 'Gil Globex', email: '  Gil@Globex.EXAMPLE ' })
    expectStatus(created, 201)
    const contact = created.json()
    expect(contact).toEqual({ id: expect.any(String), companyId: w.ws.otherCompany.id, companyName: 'Globex', name: 'Gil Globex', email: 'gil@globex.example' })

    const read = await w.inject({ url: `/api/v1/contacts/${contact.id}`, headers: w.admin })
    expect(read.json()).toEqual(contact)

    const byCompany = await w.inject({ url: `/api/v1/contacts?companyId=${w.ws.otherCompany.id}`, headers: w.admin })
    expect(byCompany.json()).toEqual([contact])
    const byName = await w.inject({ url: '/api/v1/contacts?q=gil', headers: w.admin })
    expect(byName.json().map((c: { id: string }) => c.id)).toEqual([contact.id])
    const byEmail = await w.inject({ url: '/api/v1/contacts?q=GLOBEX.example', headers: w.admin })
    expect(byEmail.json().map((c: { id: string }) => c.id)).toEqual([contact.id])
    const wildcard = await w.inject({ url: `/api/v1/contacts?q=${encodeURIComponent('g%l')}`, headers: w.admin })
    expect(wildcard.json()).toEqual([])

    const moved = await w.inject({ method: 'PATCH', url: `/api/v1/contacts/${contact.id}`, headers: w.admin, payload: { companyId: w.ws.company.id, email: null, name: 'Gil G.' } })
    expectStatus(moved, 200)
    expect(moved.json()).toEqual({ ...contact, companyId: w.ws.company.id, companyName: 'Acme Co', name: 'Gil G.', email: null })
    const company = await w.inject({ url: `/api/v1/companies/${w.ws.company.id}`, headers: w.admin })
    expect(company.json().contacts.map((c: { id: string }) => c.id)).toContain(contact.id)

    const deleted = await w.inject({ method: 'DELETE', url: `/api/v1/contacts/${contact.id}`, headers: w.admin })
    expectStatus(deleted, 200)
    expect(deleted.json()).toEqual({ ok: true })
    expectNotFound(await w.inject({ url: `/api/v1/contacts/${contact.id}`, headers: w.admin }))
    expect(await w.t.deps.db.selectFrom('contacts').select('id').where('id', '=', contact.id).execute()).toEqual([])
  })

  it('accepts an empty patch as a no-op', async () => {
    const before = (await w.inject({ url: `/api/v1/contacts/${w.ws.contact.id}`, headers: w.admin })).json()
    const res = await w.inject({ method: 'PATCH', url: `/api/v1/contacts/${w.ws.contact.id}`, headers: w.admin, payload: {} })
    expectStatus(res, 200)
    expect(res.json()).toEqual(before)
  })

  it('deleting a contact keeps the comments they wrote, without an author', async () => {
    const contact = (await create({ companyId: w.ws.company.id, name: 'Writer', email: 'writer@acme.example' })).json()
    const commentId = randomUUID()
    await w.t.deps.db
      .insertInto('comments')
      .values({ id: commentId, workspace_id: w.ws.workspaceId, record_id: w.ws.record.id, author_user_id: null, author_contact_id: contact.id, body: 'From the client', created_at: w.t.clock().toISOString() })
      .execute()
    expectStatus(await w.inject({ method: 'DELETE', url: `/api/v1/contacts/${contact.id}`, headers: w.admin }), 200)
    const row = await w.t.deps.db.selectFrom('comments').select(['body', 'author_contact_id']).where('id', '=', commentId).executeTakeFirstOrThrow()
    expect(row).toEqual({ body: 'From the client', author_contact_id: null })
  })

  it('lets a member create and edit contacts', async () => {
    const created = await create({ companyId: w.ws.company.id, name: 'Met By Member' }, w.member)
    expectStatus(created, 201)
    expect(created.json().email).toBeNull()
    const updated = await w.inject({ method: 'PATCH', url: `/api/v1/contacts/${created.json().id}`, headers: w.member, payload: { email: 'met@acme.example' } })
    expect(updated.json().email).toBe('met@acme.example')
  })

  describe('rejects bad input with a 400 naming the field, and writes nothing', () => {
    it('a malformed email', async () => {
      for (const email of ['not-an-email', 'a@', '@acme.example', 'two words@acme.example']) {
        expectFieldError(await expectNothingWritten(w.t, () => create({ companyId: w.ws.company.id, name: 'Bad Email', email })), 'email')
      }
      const patch = await expectNothingWritten(w.t, () => w.inject({ method: 'PATCH', url: `/api/v1/contacts/${w.ws.contact.id}`, headers: w.admin, payload: { email: 'nope' } }))
      expectFieldError(patch, 'email')
      expect(patch.json().error.message).toMatch(/valid email/)
    })

    it('a missing name or company', async () => {
      expectFieldError(await expectNothingWritten(w.t, () => create({ companyId: w.ws.company.id })), 'name')
      expectFieldError(await expectNothingWritten(w.t, () => create({ name: 'No Company' })), 'companyId')
      expectFieldError(await expectNothingWritten(w.t, () => create({ companyId: 'acme', name: 'Bad Id' })), 'companyId')
    })

    it('a company of another workspace', async () => {
      expectFieldError(await expectNothingWritten(w.t, () => create({ companyId: w.other.company.id, name: 'Spy' })), 'companyId')
      const patch = await expectNothingWritten(w.t, () => w.inject({ method: 'PATCH', url: `/api/v1/contacts/${w.ws.contact.id}`, headers: w.admin, payload: { companyId: w.other.company.id } }))
      expectFieldError(patch, 'companyId')
    })

    it('an unknown body key or query parameter', async () => {
      expectFieldError(await expectNothingWritten(w.t, () => create({ companyId: w.ws.company.id, name: 'x', bogus: 1 })), 'bogus')
      expectFieldError(await w.inject({ url: '/api/v1/contacts?bogus=1', headers: w.admin }), 'bogus')
      expectFieldError(await w.inject({ url: '/api/v1/contacts?companyId=acme', headers: w.admin }), 'companyId')
    })

    it('a malformed id in the path, and a body that is not JSON', async () => {
      expectFieldError(await w.inject({ url: '/api/v1/contacts/123', headers: w.admin }), 'id')
      expectFieldError(await expectNothingWritten(w.t, () => w.inject({ method: 'DELETE', url: '/api/v1/contacts/123', headers: w.admin })), 'id')
      const res = await expectNothingWritten(w.t, () => w.inject({ method: 'POST', url: '/api/v1/contacts', ...brokenJson(w.admin) }))
      expectStatus(res, 400)
      expect(res.json().error.code).toBe('VALIDATION')
    })
  })

  it('answers 404 for a contact of another workspace on every verb, exactly like a missing one, and writes nothing', async () => {
    const id = w.other.contact.id
    const missing = await w.inject({ url: `/api/v1/contacts/${missingId()}`, headers: w.admin })
    const get = await w.inject({ url: `/api/v1/contacts/${id}`, headers: w.admin })
    expectNotFound(get)
    expect(get.json()).toEqual(missing.json())
    expectNotFound(await expectNothingWritten(w.t, () => w.inject({ method: 'PATCH', url: `/api/v1/contacts/${id}`, headers: w.admin, payload: { name: 'Mine now' } })))
    expectNotFound(await expectNothingWritten(w.t, () => w.inject({ method: 'DELETE', url: `/api/v1/contacts/${id}`, headers: w.admin })))
    expectNotFound(await expectNothingWritten(w.t, () => w.inject({ method: 'DELETE', url: `/api/v1/contacts/${id}`, headers: w.member })))
  })

  it('never lists contacts of another workspace, whatever the filter', async () => {
    const all = (await w.inject({ url: '/api/v1/contacts', headers: w.admin })).json() as { id: string }[]
    expect(all.map((c) => c.id)).toContain(w.ws.contact.id)
    expect(all.map((c) => c.id)).not.toContain(w.other.contact.id)
    expect((await w.inject({ url: `/api/v1/contacts?companyId=${w.other.company.id}`, headers: w.admin })).json()).toEqual([])
    const search = (await w.inject({ url: '/api/v1/contacts?q=buyer', headers: w.admin })).json() as { id: string }[]
    expect(search.map((c) => c.id)).toEqual([w.ws.contact.id])
  })

  it('answers 401 without a session on every contact route', async () => {
    const id = w.ws.contact.id
    for (const [method, url, payload] of [
      ['GET', '/api/v1/contacts'],
      ['POST', '/api/v1/contacts', { companyId: w.ws.company.id, name: 'Anon' }],
      ['GET', `/api/v1/contacts/${id}`],
      ['PATCH', `/api/v1/contacts/${id}`, { name: 'Anon' }],
      ['DELETE', `/api/v1/contacts/${id}`],
    ] as const) {
      const res = await expectNothingWritten(w.t, () => w.inject({ method, url, headers: w.anonymous, ...(payload ? { payload } : {}) }))
      expect(res.statusCode, `${method} ${url}`).toBe(401)
    }
  })
})
