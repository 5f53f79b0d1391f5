import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabases } from '../helpers/databases.js'
import { brokenJson, buildStaffWorld, expectFieldError, expectNotFound, expectNothingWritten, expectStatus, missingId, type Res, type StaffWorld } from '../helpers/staff.js'

describe.each(testDatabases)('staff records on $name', (db) => {
  let w: StaffWorld
  beforeAll(async () => {
    w = await buildStaffWorld(db)
  })
  afterAll(() => w.t.close())

  const create = (payload: Record<string, unknown>, headers = w.admin) =>
    w.inject({ method: 'POST', url: '/api/v1/records', headers, payload: { typeId: w.ws.projects.id, companyId: w.ws.company.id, name: 'A project', ...payload } })
  const update = (id: string, payload: unknown, headers = w.admin) => w.inject({ method: 'PATCH', url: `/api/v1/records/${id}`, headers, payload: payload as object })
  const get = (id: string, headers = w.admin) => w.inject({ url: `/api/v1/records/${id}`, headers })

  it('creates a record with sensible defaults and reads it back', async () => {
    const res = await create({ name: '  Brand refresh ' })
    expectStatus(res, 201)
    const record = res.json()
    expect(record).toEqual({
      id: expect.any(String),
      name: 'Brand refresh',
      typeId: w.ws.projects.id,
      companyId: w.ws.company.id,
      companyName: 'Acme Co',
      stageId: w.ws.projects.stageIds[0],
      status: 'on_track',
      ownerId: w.ws.admin.id,
      watcherIds: [],
      values: {},
      createdAt: w.t.clock().toISOString(),
      updatedAt: w.t.clock().toISOString(),
    })
    expect((await get(record.id)).json()).toEqual(record)
    const row = await w.t.deps.db.selectFrom('records').select(['workspace_id', 'name']).where('id', '=', record.id).executeTakeFirstOrThrow()
    expect(row).toEqual({ workspace_id: w.ws.workspaceId, name: 'Brand refresh' })
  })

  it('round-trips a value of every field kind', async () => {
    const values = {
      due_date: '2027-02-28',
      budget: 1_250_000,
      priority: 'High',
      website: 'https://acme.example/launch?ref=crm',
      notes: 'Line one\nLine two — with “quotes” & <tags>',
      done_flag: true,
      lead: w.ws.member.id,
      hours: 12.5,
    }
    const res = await create({ name: 'Every kind', values })
    expectStatus(res, 201)
    expect(res.json().values).toEqual(values)
    const read = (await get(res.json().id)).json()
    expect(read.values).toEqual(values)
    expect(typeof read.values.budget).toBe('number')
    expect(read.values.done_flag).toBe(true)

    // false and 0 are values, not absence; null clears a value.
    const changed = await update(read.id, { values: { done_flag: false, budget: 0, notes: null, due_date: '2028-02-29' } })
    expectStatus(changed, 200)
    expect(changed.json().values).toEqual({ ...values, done_flag: false, budget: 0, due_date: '2028-02-29', notes: undefined })
    expect('notes' in changed.json().values).toBe(false)
  })

  it('normalises a web address', async () => {
    const res = await create({ values: { website: 'HTTPS://Acme.Example' } })
    expectStatus(res, 201)
    expect(res.json().values.website).toBe('https://acme.example/')
  })

  it('updates name, stage, status, owner and watchers, keeping what was not sent', async () => {
    const record = (await create({ name: 'To change', values: { priority: 'Low', hours: 3 } })).json()
    w.t.clock.advance(60_000)
    const res = await update(record.id, {
      name: 'Changed',
      stageId: w.ws.projects.stageIds[2],
      status: 'at_risk',
      ownerId: w.ws.member.id,
      watcherIds: [w.ws.admin.id, w.ws.member.id, w.ws.admin.id],
      values: { hours: 4 },
    })
    expectStatus(res, 200)
    const body = res.json()
    expect(body).toMatchObject({ name: 'Changed', stageId: w.ws.projects.stageIds[2], status: 'at_risk', ownerId: w.ws.member.id, values: { priority: 'Low', hours: 4 } })
    expect(body.watcherIds.sort()).toEqual([w.ws.admin.id, w.ws.member.id].sort())
    expect(body.updatedAt).toBe(w.t.clock().toISOString())
    expect(body.createdAt).not.toBe(body.updatedAt)

    const cleared = await update(record.id, { ownerId: null, watcherIds: [] })
    expect(cleared.json()).toMatchObject({ ownerId: null, watcherIds: [], name: 'Changed', stageId: w.ws.projects.stageIds[2] })
  })

  it('moves a record to another company of the workspace', async () => {
    const record = (await create({ name: 'Moving' })).json()
    const res = await update(record.id, { companyId: w.ws.otherCompany.id })
    expectStatus(res, 200)
    expect(res.json()).toMatchObject({ companyId: w.ws.otherCompany.id, companyName: 'Globex' })
  })

  it('creates records of a type without a pipeline, with no stage', async () => {
    const res = await create({ typeId: w.ws.contracts.id, name: 'MSA 2027' })
    expectStatus(res, 201)
    expect(res.json()).toMatchObject({ typeId: w.ws.contracts.id, stageId: null })
  })

  it('lists records filtered by type and company, never another workspace', async () => {
    const contract = (await create({ typeId: w.ws.contracts.id, companyId: w.ws.otherCompany.id, name: 'Globex contract' })).json()
    const byType = (await w.inject({ url: `/api/v1/records?typeId=${w.ws.contracts.id}`, headers: w.admin })).json() as { id: string; typeId: string }[]
    expect(byType.map((r) => r.id)).toContain(contract.id)
    expect(byType.every((r) => r.typeId === w.ws.contracts.id)).toBe(true)
    const byCompany = (await w.inject({ url: `/api/v1/records?companyId=${w.ws.otherCompany.id}&typeId=${w.ws.contracts.id}`, headers: w.admin })).json()
    expect(byCompany.map((r: { id: string }) => r.id)).toEqual([contract.id])

    const all = (await w.inject({ url: '/api/v1/records', headers: w.admin })).json() as { id: string }[]
    expect(all.map((r) => r.id)).toContain(w.ws.record.id)
    expect(all.map((r) => r.id)).not.toContain(w.other.record.id)
    expect((await w.inject({ url: `/api/v1/records?companyId=${w.other.company.id}`, headers: w.admin })).json()).toEqual([])
    expect((await w.inject({ url: `/api/v1/records?typeId=${w.other.projects.id}`, headers: w.admin })).json()).toEqual([])
  })

  it('lists each record exactly as its own summary reads, newest first (the database writes the list as JSON)', async () => {
    const company = (await w.inject({ method: 'POST', url: '/api/v1/companies', headers: w.admin, payload: { name: 'Lists & "Quotes" Ltd' } })).json()
    const names = ['Plain', 'Quote " and backslash \\ and slash /', 'Tab\tand newline\nin a name', '<script>alert(1)</script> & ünïcødé 😀', 'Control \u0001 char']
    const made: { id: string }[] = []
    for (const name of names) {
      w.t.clock.advance(1000)
      const res = await create({ companyId: company.id, name })
      expectStatus(res, 201)
      made.push(res.json())
    }
    // Same updated time: the id breaks the tie, so the order is the same on every read and database.
    made.push((await create({ companyId: company.id, name: 'Twin one', ownerId: null })).json(), (await create({ companyId: company.id, typeId: w.ws.contracts.id, name: 'Twin two' })).json())

    const res = await w.inject({ url: `/api/v1/records?companyId=${company.id}`, headers: w.admin })
    expectStatus(res, 200)
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
    const list = res.json() as { id: string; name: string; ownerId: string | null; stageId: string | null; updatedAt: string }[]
    const summaryKeys = ['id', 'name', 'typeId', 'companyId', 'companyName', 'stageId', 'status', 'ownerId', 'updatedAt'] as const
    const own = await Promise.all(
      list.map(async (r) => {
        const detail = (await get(r.id)).json()
        return Object.fromEntries(summaryKeys.map((k) => [k, detail[k]]))
      }),
    )
    expect(list).toEqual(own)
    expect(list.map((r) => r.id).sort()).toEqual(made.map((r) => r.id).sort())
    const newestFirst = [...list].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.id.localeCompare(a.id))
    expect(list.map((r) => r.id)).toEqual(newestFirst.map((r) => r.id))
    expect(list.map((r) => r.name)).toEqual(expect.arrayContaining(names))
    expect(list.find((r) => r.name === 'Twin one')).toMatchObject({ ownerId: null })
    expect(list.find((r) => r.name === 'Twin two')).toMatchObject({ stageId: null })

    // The company page carries the very same list.
    const page = await w.inject({ url: `/api/v1/companies/${company.id}`, headers: w.admin })
    expectStatus(page, 200)
    expect(page.json()).toEqual({ company: expect.objectContaining({ id: company.id, name: 'Lists & "Quotes" Ltd', recordCount: made.length }), contacts: [], records: list })
    // A company without records lists none, as an empty array.
    const empty = (await w.inject({ method: 'POST', url: '/api/v1/companies', headers: w.admin, payload: { name: 'Empty Co' } })).json()
    expect((await w.inject({ url: `/api/v1/companies/${empty.id}`, headers: w.admin })).json().records).toEqual([])
    expect((await w.inject({ url: `/api/v1/records?companyId=${empty.id}`, headers: w.admin })).json()).toEqual([])
  })

  it('lets a member create and update records', async () => {
    const res = await create({ name: 'Member work' }, w.member)
    expectStatus(res, 201)
    expect(res.json().ownerId).toBe(w.ws.member.id)
    const moved = await update(res.json().id, { stageId: w.ws.projects.stageIds[1] }, w.member)
    expectStatus(moved, 200)
    expect(moved.json().stageId).toBe(w.ws.projects.stageIds[1])
  })

  describe('rejects bad input with a 400 naming the field, and writes nothing', () => {
    const rejected = async (act: () => Promise<Res>, field: string) => expectFieldError(await expectNothingWritten(w.t, act), field)

    it('a stage that is not in the type pipeline', async () => {
      // A stage of another pipeline of this workspace…
      const deals = await w.inject({ method: 'POST', url: '/api/v1/record-types', headers: w.admin, payload: { key: 'deals', singular: 'Deal', plural: 'Deals', hasPipeline: true } })
      const dealStage = (await w.inject({ method: 'POST', url: `/api/v1/record-types/${deals.json().id}/stages`, headers: w.admin, payload: { name: 'Won', color: '#00aa00' } })).json().stages[0].id
      await rejected(() => create({ stageId: dealStage }), 'stageId')
      await rejected(() => update(w.ws.record.id, { stageId: dealStage }), 'stageId')
      // …of another workspace, of a type without a pipeline, or of nothing at all.
      await rejected(() => create({ stageId: w.other.projects.stageIds[0] }), 'stageId')
      await rejected(() => update(w.ws.record.id, { stageId: w.other.projects.stageIds[1] }), 'stageId')
      await rejected(() => create({ typeId: w.ws.contracts.id, stageId: w.ws.projects.stageIds[0] }), 'stageId')
      await rejected(() => create({ stageId: missingId() }), 'stageId')
      // Clearing the stage of a pipeline record would silently move it to the first stage.
      await rejected(() => update(w.ws.record.id, { stageId: null }), 'stageId')
      const res = await expectNothingWritten(w.t, () => create({ stageId: w.other.projects.stageIds[0] }))
      expect(res.json().error.message).toMatch(/stageId is not a stage of the Project pipeline/)
    })

    it('a value of the wrong kind', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ due_date: 'tomorrow' }, 'values.due_date'],
        [{ due_date: '2027-02-30' }, 'values.due_date'],
        [{ due_date: 20270101 }, 'values.due_date'],
        [{ budget: 12.5 }, 'values.budget'],
        [{ budget: '1000' }, 'values.budget'],
        [{ budget: Number.MAX_SAFE_INTEGER + 2 }, 'values.budget'],
        [{ priority: 'Medium' }, 'values.priority'],
        [{ priority: 'low' }, 'values.priority'],
        [{ website: 'javascript:alert(1)' }, 'values.website'],
        [{ website: 'ftp://acme.example/file' }, 'values.website'],
        [{ website: 'acme.example' }, 'values.website'],
        [{ done_flag: 'yes' }, 'values.done_flag'],
        [{ done_flag: 1 }, 'values.done_flag'],
        [{ hours: 'ten' }, 'values.hours'],
        [{ notes: 42 }, 'values.notes'],
        [{ notes: 'x'.repeat(20_001) }, 'values.notes'],
        [{ lead: 'someone' }, 'values.lead'],
        [{ lead: true }, 'values.lead'],
        [{ due_date: { year: 2027 } }, 'values.due_date'],
        [{ priority: ['High'] }, 'values.priority'],
      ]
      for (const [values, field] of cases) {
        await rejected(() => create({ values }), field)
        await rejected(() => update(w.ws.record.id, { values }), field)
      }
      const res = await create({ values: { priority: 'Medium' } })
      expect(res.json().error.message).toBe('values.priority must be one of: Low, High')
    })

    it('a value for a field the type does not have', async () => {
      await rejected(() => create({ values: { nope: 1 } }), 'values.nope')
      await rejected(() => update(w.ws.record.id, { values: { nope: 1 } }), 'values.nope')
      // A field of another type, or of another workspace's type, is not a field of this one.
      await rejected(() => create({ typeId: w.ws.contracts.id, values: { budget: 100 } }), 'values.budget')
    })

    it('a user of another workspace as a user value, owner or watcher', async () => {
      await rejected(() => create({ values: { lead: w.other.admin.id } }), 'values.lead')
      await rejected(() => update(w.ws.record.id, { values: { lead: w.other.member.id } }), 'values.lead')
      await rejected(() => create({ values: { lead: missingId() } }), 'values.lead')
      await rejected(() => create({ ownerId: w.other.admin.id }), 'ownerId')
      await rejected(() => update(w.ws.record.id, { ownerId: w.other.admin.id }), 'ownerId')
      await rejected(() => create({ watcherIds: [w.ws.admin.id, w.other.admin.id] }), 'watcherIds')
      await rejected(() => update(w.ws.record.id, { watcherIds: [w.other.member.id] }), 'watcherIds')
      await rejected(() => update(w.ws.record.id, { watcherIds: ['not-an-id'] }), 'watcherIds.0')
    })

    it('a company or type of another workspace', async () => {
      await rejected(() => create({ companyId: w.other.company.id }), 'companyId')
      await rejected(() => update(w.ws.record.id, { companyId: w.other.company.id }), 'companyId')
      await rejected(() => create({ typeId: w.other.projects.id, companyId: w.ws.company.id }), 'typeId')
      await rejected(() => create({ typeId: w.other.projects.id, companyId: w.other.company.id, stageId: w.other.projects.stageIds[0] }), 'typeId')
    })

    it('missing, malformed or unknown top-level fields', async () => {
      await rejected(() => w.inject({ method: 'POST', url: '/api/v1/records', headers: w.admin, payload: { typeId: w.ws.projects.id, name: 'No company' } }), 'companyId')
      await rejected(() => create({ name: '' }), 'name')
      await rejected(() => create({ status: 'paused' }), 'status')
      await rejected(() => create({ typeId: 'projects' }), 'typeId')
      await rejected(() => create({ bogus: 1 }), 'bogus')
      await rejected(() => create({ workspaceId: w.other.workspaceId }), 'workspaceId')
      await rejected(() => update(w.ws.record.id, { typeId: w.ws.contracts.id }), 'typeId')
      await rejected(() => update(w.ws.record.id, { name: 'x', bogus: 1 }), 'bogus')
      await rejected(() => update(w.ws.record.id, { values: 'due_date=2027-01-01' }), 'values')
      expectFieldError(await w.inject({ url: '/api/v1/records?bogus=1', headers: w.admin }), 'bogus')
      expectFieldError(await w.inject({ url: '/api/v1/records?typeId=projects', headers: w.admin }), 'typeId')
    })

    it('a malformed id in the path, and a body that is not JSON', async () => {
      expectFieldError(await get('42'), 'id')
      await rejected(() => update(encodeURIComponent("' OR 1=1 --"), { name: 'x' }), 'id')
      const res = await expectNothingWritten(w.t, () => w.inject({ method: 'POST', url: '/api/v1/records', ...brokenJson(w.admin) }))
      expectStatus(res, 400)
      const patch = await expectNothingWritten(w.t, () => w.inject({ method: 'PATCH', url: `/api/v1/records/${w.ws.record.id}`, ...brokenJson(w.admin) }))
      expectStatus(patch, 400)
    })
  })

  it('answers 404 for a record of another workspace, exactly like a missing one, and writes nothing', async () => {
    const id = w.other.record.id
    const missing = await get(missingId())
    const foreign = await get(id)
    expectNotFound(foreign)
    expect(foreign.json()).toEqual(missing.json())
    expectNotFound(await expectNothingWritten(w.t, () => update(id, { name: 'Mine now' })))
    expectNotFound(await expectNothingWritten(w.t, () => update(id, { values: { nope: 1 } })))
    expectNotFound(await expectNothingWritten(w.t, () => update(id, { stageId: w.other.projects.stageIds[1] }, w.member)))
    expectNotFound(await expectNothingWritten(w.t, () => w.inject({ method: 'DELETE', url: `/api/v1/records/${id}`, headers: w.admin })))
    // And the other way round: their admin cannot reach ours.
    expectNotFound(await get(w.ws.record.id, w.otherAdmin))
  })

  it('answers 401 without a session on every record route', async () => {
    const id = w.ws.record.id
    for (const [method, url, payload] of [
      ['GET', '/api/v1/records'],
      ['POST', '/api/v1/records', { typeId: w.ws.projects.id, companyId: w.ws.company.id, name: 'Anon' }],
      ['GET', `/api/v1/records/${id}`],
      ['PATCH', `/api/v1/records/${id}`, { name: 'Anon' }],
    ] as const) {
      const res = await expectNothingWritten(w.t, () => w.inject({ method, url, headers: w.anonymous, ...(payload ? { payload } : {}) }))
      expect(res.statusCode, `${method} ${url}`).toBe(401)
    }
  })
})
