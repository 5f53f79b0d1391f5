import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabases } from '../helpers/databases.js'
import { brokenJson, buildStaffWorld, expectFieldError, expectNotFound, expectNothingWritten, expectStatus, missingId, type StaffWorld } from '../helpers/staff.js'

describe.each(testDatabases)('staff companies on $name', (db) => {
  let w: StaffWorld
  beforeAll(async () => {
    w = await buildStaffWorld(db)
  })
  afterAll(() => w.t.close())

  it('creates, reads, lists, searches and updates a company', async () => {
    const created = await w.inject({ method: 'POST', url: '/api/v1/companies', headers: w.admin, payload: { name: '  Initech  ', domain: 'initech.example' } })
    expectStatus(created, 201)
    const company = created.json()
    expect(company).toMatchObject({ name: 'Initech', domain: 'initech.example', contactCount: 0, recordCount: 0 })

    const detail = await w.inject({ url: `/api/v1/companies/${company.id}`, headers: w.admin })
    expectStatus(detail, 200)
    expect(detail.json()).toEqual({ company, contacts: [], records: [] })

    const list = await w.inject({ url: '/api/v1/companies', headers: w.admin })
    expect(list.json().map((c: { name: string }) => c.name)).toEqual(['Acme Co', 'Globex', 'Initech'])

    const search = await w.inject({ url: '/api/v1/companies?q=INIT', headers: w.admin })
    expect(search.json().map((c: { id: string }) => c.id)).toEqual([company.id])
    const none = await w.inject({ url: '/api/v1/companies?q=nothing-like-this', headers: w.admin })
    expect(none.json()).toEqual([])

    const updated = await w.inject({ method: 'PATCH', url: `/api/v1/companies/${company.id}`, headers: w.admin, payload: { name: 'Initech Ltd', domain: null } })
    expectStatus(updated, 200)
    expect(updated.json()).toMatchObject({ id: company.id, name: 'Initech Ltd', domain: null })
    const row = await w.t.deps.db.selectFrom('companies').select(['name', 'domain', 'workspace_id']).where('id', '=', company.id).executeTakeFirstOrThrow()
    expect(row).toEqual({ name: 'Initech Ltd', domain: null, workspace_id: w.ws.workspaceId })
  })

  it('shows a company with its contacts, records and counts', async () => {
    const res = await w.inject({ url: `/api/v1/companies/${w.ws.company.id}`, headers: w.member })
    expectStatus(res, 200)
    const body = res.json()
    expect(body.company).toMatchObject({ id: w.ws.company.id, name: 'Acme Co', contactCount: 2, recordCount: 1 })
    expect(body.contacts.map((c: { id: string }) => c.id).sort()).toEqual([w.ws.contact.id, w.ws.contactWithoutEmail.id].sort())
    expect(body.records.map((r: { id: string }) => r.id)).toEqual([w.ws.record.id])
  })

  it('lists the company page contacts exactly as the contacts list reads them, by name (the database writes them as JSON)', async () => {
    const company = (await w.inject({ method: 'POST', url: '/api/v1/companies', headers: w.admin, payload: { name: 'People & "Quotes" Ltd' } })).json()
    // Each starts with its own capital, so that any collation orders them as binary comparison does.
    const names = ['Z Zoë', 'Q Quote " and backslash \\ and slash /', 'T Tab\tand newline\nin a name', 'S <script>alert(1)</script> 😀', 'C Control \u0001 char', 'W Twin', 'W Twin']
    for (const [i, name] of names.entries()) {
      const email = i === 0 ? null : `person${i}@people.example`
      expectStatus(await w.inject({ method: 'POST', url: '/api/v1/contacts', headers: w.admin, payload: { companyId: company.id, name, email } }), 201)
    }
    const page = await w.inject({ url: `/api/v1/companies/${company.id}`, headers: w.admin })
    expectStatus(page, 200)
    const contacts = page.json().contacts as { id: string; name: string; email: string | null }[]
    const listed = (await w.inject({ url: `/api/v1/contacts?companyId=${company.id}`, headers: w.admin })).json() as { id: string }[]
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id)
    expect([...contacts].sort(byId)).toEqual([...listed].sort(byId))
    expect(contacts.map((c) => c.name).sort()).toEqual([...names].sort())
    expect(contacts.find((c) => c.name === 'Z Zoë')).toMatchObject({ email: null, companyId: company.id, companyName: 'People & "Quotes" Ltd' })
    // By name, then id: the same order on every read and database.
    const ordered = [...contacts].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id.localeCompare(b.id)))
    expect(contacts.map((c) => c.id)).toEqual(ordered.map((c) => c.id))
    expect(page.json().company).toMatchObject({ contactCount: names.length })
    // Another company's page lists none of them.
    const other = (await w.inject({ url: `/api/v1/companies/${w.ws.company.id}`, headers: w.admin })).json().contacts as { id: string }[]
    expect(other.length).toBeGreaterThan(0)
    expect(other.some((c) => contacts.some((mine) => mine.id === c.id))).toBe(false)
  })

  it('matches a search term literally: % and _ are characters, not wildcards', async () => {
    const labs = (await w.inject({ method: 'POST', url: '/api/v1/companies', headers: w.admin, payload: { name: 'R&D_Labs 100%' } })).json()
    const search = async (q: string) => ((await w.inject({ url: `/api/v1/companies?q=${encodeURIComponent(q)}`, headers: w.admin })).json() as { id: string }[]).map((c) => c.id)
    expect(await search('d_labs 100%')).toEqual([labs.id])
    expect(await search('%')).toEqual([labs.id])
    expect(await search('_')).toEqual([labs.id])
    expect(await search('A_me')).toEqual([])
    expect(await search('Ac%')).toEqual([])
    expect(await search('\\')).toEqual([])
  })

  it('lets a member do CRM work: create and update companies', async () => {
    const created = await w.inject({ method: 'POST', url: '/api/v1/companies', headers: w.member, payload: { name: 'Member Co' } })
    expectStatus(created, 201)
    const updated = await w.inject({ method: 'PATCH', url: `/api/v1/companies/${created.json().id}`, headers: w.member, payload: { domain: 'member.example' } })
    expectStatus(updated, 200)
    expect(updated.json()).toMatchObject({ name: 'Member Co', domain: 'member.example' })
  })

  it('never lists or finds companies of another workspace', async () => {
    const list = await w.inject({ url: '/api/v1/companies', headers: w.admin })
    const ids = list.json().map((c: { id: string }) => c.id)
    expect(ids).toContain(w.ws.company.id)
    expect(ids).not.toContain(w.other.company.id)
    expect(ids).not.toContain(w.other.otherCompany.id)
    const search = await w.inject({ url: '/api/v1/companies?q=acme', headers: w.admin })
    expect(search.json().map((c: { id: string }) => c.id)).toEqual([w.ws.company.id])
  })

  it('answers 404 for a company of another workspace, exactly like a missing one, and writes nothing', async () => {
    const foreign = await w.inject({ url: `/api/v1/companies/${w.other.company.id}`, headers: w.admin })
    const missing = await w.inject({ url: `/api/v1/companies/${missingId()}`, headers: w.admin })
    expectNotFound(foreign)
    expect(foreign.json()).toEqual(missing.json())
    const patch = await expectNothingWritten(w.t, () =>
      w.inject({ method: 'PATCH', url: `/api/v1/companies/${w.other.company.id}`, headers: w.admin, payload: { name: 'Hijacked' } }),
    )
    expectNotFound(patch)
    const del = await expectNothingWritten(w.t, () => w.inject({ method: 'DELETE', url: `/api/v1/companies/${w.other.company.id}`, headers: w.admin }))
    expectNotFound(del)
  })

  describe('rejects bad input with a 400 naming the field, and writes nothing', () => {
    it('an empty or over-long name', async () => {
      expectFieldError(await expectNothingWritten(w.t, () => w.inject({ method: 'POST', url: '/api/v1/companies', headers: w.admin, payload: { name: '   ' } })), 'name')
      expectFieldError(await expectNothingWritten(w.t, () => w.inject({ method: 'POST', url: '/api/v1/companies', headers: w.admin, payload: { name: 'x'.repeat(201) } })), 'name')
      expectFieldError(await expectNothingWritten(w.t, () => w.inject({ method: 'POST', url: '/api/v1/companies', headers: w.admin, payload: { domain: 'a.example' } })), 'name')
      expectFieldError(
        await expectNothingWritten(w.t, () => w.inject({ method: 'PATCH', url: `/api/v1/companies/${w.ws.company.id}`, headers: w.admin, payload: { name: '' } })),
        'name',
      )
    })

    it('a field of the wrong type', async () => {
      const res = await expectNothingWritten(w.t, () => w.inject({ method: 'POST', url: '/api/v1/companies', headers: w.admin, payload: { name: 'X', domain: 42 } }))
      expectFieldError(res, 'domain')
    })

    it('an unknown body key or query parameter', async () => {
      expectFieldError(await expectNothingWritten(w.t, () => w.inject({ method: 'POST', url: '/api/v1/companies', headers: w.admin, payload: { name: 'x', bogus: 1 } })), 'bogus')
      expectFieldError(
        await expectNothingWritten(w.t, () => w.inject({ method: 'PATCH', url: `/api/v1/companies/${w.ws.company.id}`, headers: w.admin, payload: { workspaceId: w.other.workspaceId } })),
        'workspaceId',
      )
      expectFieldError(await w.inject({ url: '/api/v1/companies?bogus=1', headers: w.admin }), 'bogus')
    })

    it('a malformed id in the path', async () => {
      expectFieldError(await w.inject({ url: '/api/v1/companies/not-an-id', headers: w.admin }), 'id')
      expectFieldError(await expectNothingWritten(w.t, () => w.inject({ method: 'PATCH', url: '/api/v1/companies/1%20or%201=1', headers: w.admin, payload: { name: 'x' } })), 'id')
    })

    it('a body that is not JSON', async () => {
      const res = await expectNothingWritten(w.t, () => w.inject({ method: 'POST', url: '/api/v1/companies', ...brokenJson(w.admin) }))
      expectStatus(res, 400)
      expect(res.json().error.code).toBe('VALIDATION')
      const text = await expectNothingWritten(w.t, () =>
        w.inject({ method: 'POST', url: '/api/v1/companies', headers: { ...w.admin, 'content-type': 'text/plain' }, payload: 'name=x' }),
      )
      expect(text.statusCode).toBeGreaterThanOrEqual(400)
      expect(text.statusCode).toBeLessThan(500)
    })
  })

  it('answers 401 without a session on every company route', async () => {
    const id = w.ws.company.id
    for (const [method, url, payload] of [
      ['GET', '/api/v1/companies'],
      ['POST', '/api/v1/companies', { name: 'Anon' }],
      ['GET', `/api/v1/companies/${id}`],
      ['PATCH', `/api/v1/companies/${id}`, { name: 'Anon' }],
    ] as const) {
      const res = await expectNothingWritten(w.t, () => w.inject({ method, url, headers: w.anonymous, ...(payload ? { payload } : {}) }))
      expect(res.statusCode, `${method} ${url}`).toBe(401)
      expect(res.json().error.code).toBe('UNAUTHENTICATED')
    }
  })
})
