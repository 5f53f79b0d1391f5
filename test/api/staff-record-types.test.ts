import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabases } from '../helpers/databases.js'
import { brokenJson, buildStaffWorld, expectFieldError, expectNotFound, expectNothingWritten, expectStatus, missingId, type Res, type StaffWorld } from '../helpers/staff.js'

type Stage = { id: string; name: string; color: string; position: number }
type Field = { id: string; key: string; label: string; kind: string; options: string[]; position: number }
type RecordType = { id: string; key: string; singular: string; plural: string; hasPipeline: boolean; stages: Stage[]; fields: Field[] }

describe.each(testDatabases)('staff record types on $name', (db) => {
  let w: StaffWorld
  beforeAll(async () => {
    w = await buildStaffWorld(db)
  })
  afterAll(() => w.t.close())

  const post = (url: string, payload: unknown, headers = w.admin) => w.inject({ method: 'POST', url: `/api/v1/record-types${url}`, headers, payload: payload as object })
  const patch = (url: string, payload: unknown, headers = w.admin) => w.inject({ method: 'PATCH', url: `/api/v1/record-types${url}`, headers, payload: payload as object })
  const del = (url: string, headers = w.admin) => w.inject({ method: 'DELETE', url: `/api/v1/record-types${url}`, headers })
  const typeOf = (res: Res): RecordType => res.json()
  const list = async (headers = w.admin): Promise<RecordType[]> => (await w.inject({ url: '/api/v1/record-types', headers })).json()

  it('lists the workspace types with ordered stages and fields, to admins and members alike', async () => {
    const asAdmin = await list()
    expect(asAdmin.map((t) => t.key)).toEqual(['projects', 'contracts'])
    const projects = asAdmin[0]!
    expect(projects).toMatchObject({ id: w.ws.projects.id, singular: 'Project', plural: 'Projects', hasPipeline: true })
    expect(projects.stages.map((s) => s.name)).toEqual(['Planned', 'Doing', 'Done'])
    expect(projects.fields.map((f) => f.key)).toEqual(['due_date', 'budget', 'priority', 'website', 'notes', 'done_flag', 'lead', 'hours'])
    expect(projects.fields.find((f) => f.key === 'priority')!.options).toEqual(['Low', 'High'])
    expect(await list(w.member)).toEqual(asAdmin)
    const ids = asAdmin.map((t) => t.id)
    expect(ids).not.toContain(w.other.projects.id)
  })

  it('creates a type, renames it, and builds its pipeline: add, rename, reorder and delete stages', async () => {
    const created = await post('', { key: 'deals', singular: 'Deal', plural: 'Deals', hasPipeline: true })
    expectStatus(created, 201)
    const deals = typeOf(created)
    expect(deals).toMatchObject({ key: 'deals', singular: 'Deal', plural: 'Deals', hasPipeline: true, stages: [], fields: [] })
    expect((await list()).map((t) => t.key)).toEqual(['projects', 'contracts', 'deals'])

    const renamed = await patch(`/${deals.id}`, { singular: 'Opportunity', plural: 'Opportunities' })
    expectStatus(renamed, 200)
    expect(typeOf(renamed)).toMatchObject({ key: 'deals', singular: 'Opportunity', plural: 'Opportunities' })

    for (const [name, color] of [
      ['Lead', '#111111'],
      ['Proposal', '#222222'],
      ['Won', '#333333'],
    ]) {
      expectStatus(await post(`/${deals.id}/stages`, { name, color }), 200)
    }
    let stages = (await list()).find((t) => t.id === deals.id)!.stages
    expect(stages.map((s) => [s.name, s.position])).toEqual([
      ['Lead', 0],
      ['Proposal', 1],
      ['Won', 2],
    ])

    const won = stages[2]!
    const moved = await patch(`/${deals.id}/stages/${won.id}`, { position: 0, name: 'Closed won', color: '#00aa00' })
    expectStatus(moved, 200)
    stages = typeOf(moved).stages
    expect(stages.map((s) => [s.name, s.position])).toEqual([
      ['Closed won', 0],
      ['Lead', 1],
      ['Proposal', 2],
    ])
    expect(stages[0]!.color).toBe('#00aa00')

    const toEndRes = await patch(`/${deals.id}/stages/${won.id}`, { position: 99 })
    expectStatus(toEndRes, 200)
    const toEnd = typeOf(toEndRes).stages
    expect(toEnd.map((s) => s.name)).toEqual(['Lead', 'Proposal', 'Closed won'])

    const afterDelete = await del(`/${deals.id}/stages/${stages[1]!.id}`)
    expectStatus(afterDelete, 200)
    expect(typeOf(afterDelete).stages.map((s) => s.name)).toEqual(['Proposal', 'Closed won'])
    expect(await w.t.deps.db.selectFrom('stages').select('id').where('id', '=', stages[1]!.id).execute()).toEqual([])
  })

  it('adds fields of each kind, reorders them, edits labels and options, and deletes a field with its values', async () => {
    const type = typeOf(await post('', { key: 'tickets', singular: 'Ticket', plural: 'Tickets', hasPipeline: false }))
    expect(type.hasPipeline).toBe(false)
    for (const [key, kind] of [
      ['summary', 'text'],
      ['severity', 'select'],
      ['opened', 'date'],
    ] as const) {
      const res = await post(`/${type.id}/fields`, { key, label: key.toUpperCase(), kind, ...(kind === 'select' ? { options: ['Low', 'High'] } : {}) })
      expectStatus(res, 200)
    }
    let fields = typeOf(await patch(`/${type.id}`, { singular: 'Ticket' })).fields
    expect(fields.map((f) => [f.key, f.kind, f.position])).toEqual([
      ['summary', 'text', 0],
      ['severity', 'select', 1],
      ['opened', 'date', 2],
    ])
    expect(fields[0]!.options).toEqual([])
    expect(fields[1]!.options).toEqual(['Low', 'High'])

    const opened = fields[2]!
    fields = typeOf(await patch(`/${type.id}/fields/${opened.id}`, { position: 0, label: 'Opened on' })).fields
    expect(fields.map((f) => [f.key, f.position])).toEqual([
      ['opened', 0],
      ['summary', 1],
      ['severity', 2],
    ])
    expect(fields[0]!.label).toBe('Opened on')

    const severity = fields[2]!
    fields = typeOf(await patch(`/${type.id}/fields/${severity.id}`, { options: ['Low', 'Medium', 'High'], position: 1 })).fields
    expect(fields.map((f) => f.key)).toEqual(['opened', 'severity', 'summary'])
    expect(fields[1]!.options).toEqual(['Low', 'Medium', 'High'])

    // A value stored under a field goes with it.
    const record = await w.inject({
      method: 'POST',
      url: '/api/v1/records',
      headers: w.admin,
      payload: { typeId: type.id, companyId: w.ws.company.id, name: 'Broken login', values: { severity: 'Medium', summary: 'Cannot sign in' } },
    })
    expectStatus(record, 201)
    expect(record.json().values).toEqual({ severity: 'Medium', summary: 'Cannot sign in' })
    const deleted = await del(`/${type.id}/fields/${severity.id}`)
    expectStatus(deleted, 200)
    expect(typeOf(deleted).fields.map((f) => f.key)).toEqual(['opened', 'summary'])
    expect(await w.t.deps.db.selectFrom('record_values').select('field_id').where('field_id', '=', severity.id).execute()).toEqual([])
    const after = await w.inject({ url: `/api/v1/records/${record.json().id}`, headers: w.admin })
    expect(after.json().values).toEqual({ summary: 'Cannot sign in' })
  })

  it('accepts a patch that only moves, or changes nothing', async () => {
    const { id, fieldIds, stageIds } = w.ws.projects
    const before = (await list()).find((t) => t.id === id)!
    const empty = await patch(`/${id}`, {})
    expectStatus(empty, 200)
    expect(typeOf(empty)).toEqual(before)
    expectStatus(await patch(`/${id}/stages/${stageIds[0]}`, {}), 200)
    const moved = await patch(`/${id}/fields/${fieldIds.hours}`, { position: 0 })
    expectStatus(moved, 200)
    expect(typeOf(moved).fields.map((f) => f.key)).toEqual(['hours', 'due_date', 'budget', 'priority', 'website', 'notes', 'done_flag', 'lead'])
    const back = await patch(`/${id}/fields/${fieldIds.hours}`, { position: 7 })
    expect(typeOf(back)).toEqual(before)
  })

  it('keeps positions 0..n-1 after a delete, so a stage or field added next goes last', async () => {
    const type = typeOf(await post('', { key: 'phases', singular: 'Phase', plural: 'Phases', hasPipeline: true }))
    for (const name of ['One', 'Two', 'Three']) await post(`/${type.id}/stages`, { name, color: '#123456' })
    for (const key of ['alpha', 'beta', 'gamma']) await post(`/${type.id}/fields`, { key, label: key, kind: 'text' })
    const built = (await list()).find((t) => t.id === type.id)!
    await del(`/${type.id}/stages/${built.stages[1]!.id}`)
    await del(`/${type.id}/fields/${built.fields[0]!.id}`)
    expectStatus(await post(`/${type.id}/stages`, { name: 'Four', color: '#123456' }), 200)
    const after = typeOf(await post(`/${type.id}/fields`, { key: 'delta', label: 'delta', kind: 'text' }))
    expect(after.stages.map((s) => [s.name, s.position])).toEqual([
      ['One', 0],
      ['Three', 1],
      ['Four', 2],
    ])
    expect(after.fields.map((f) => [f.key, f.position])).toEqual([
      ['beta', 0],
      ['gamma', 1],
      ['delta', 2],
    ])
  })

  it('refuses to delete a stage that still has records (409), and the last stage of a pipeline', async () => {
    const [planned] = w.ws.projects.stageIds
    const res = await expectNothingWritten(w.t, () => del(`/${w.ws.projects.id}/stages/${planned}`))
    expectStatus(res, 409)
    expect(res.json().error.code).toBe('CONFLICT')
    expect(res.json().error.message).toBe('1 Project is in this stage; move it to another stage first')

    const solo = typeOf(await post('', { key: 'solo', singular: 'Solo', plural: 'Solos', hasPipeline: true }))
    const only = typeOf(await post(`/${solo.id}/stages`, { name: 'Only', color: '#123456' })).stages[0]!
    const last = await expectNothingWritten(w.t, () => del(`/${solo.id}/stages/${only.id}`))
    expectStatus(last, 409)
  })

  it('refuses stages on a type without a pipeline', async () => {
    const res = await expectNothingWritten(w.t, () => post(`/${w.ws.contracts.id}/stages`, { name: 'Signed', color: '#123456' }))
    expectStatus(res, 400)
    expect(res.json().error.code).toBe('VALIDATION')
  })

  describe('validates select options', () => {
    it('a select field needs at least one option', async () => {
      expectFieldError(await expectNothingWritten(w.t, () => post(`/${w.ws.projects.id}/fields`, { key: 'tier', label: 'Tier', kind: 'select' })), 'options')
      expectFieldError(await expectNothingWritten(w.t, () => post(`/${w.ws.projects.id}/fields`, { key: 'tier', label: 'Tier', kind: 'select', options: [] })), 'options')
    })

    it('options must not repeat, be blank, be too long or too many', async () => {
      expectFieldError(await expectNothingWritten(w.t, () => post(`/${w.ws.projects.id}/fields`, { key: 'tier', label: 'Tier', kind: 'select', options: ['A', 'A'] })), 'options')
      expectFieldError(await expectNothingWritten(w.t, () => post(`/${w.ws.projects.id}/fields`, { key: 'tier', label: 'Tier', kind: 'select', options: ['A', '  '] })), 'options.1')
      expectFieldError(
        await expectNothingWritten(w.t, () => post(`/${w.ws.projects.id}/fields`, { key: 'tier', label: 'Tier', kind: 'select', options: ['x'.repeat(101)] })),
        'options.0',
      )
      const many = Array.from({ length: 51 }, (_, i) => `Option ${i}`)
      expectFieldError(await expectNothingWritten(w.t, () => post(`/${w.ws.projects.id}/fields`, { key: 'tier', label: 'Tier', kind: 'select', options: many })), 'options')
      const priority = w.ws.projects.fieldIds.priority
      expectFieldError(await expectNothingWritten(w.t, () => patch(`/${w.ws.projects.id}/fields/${priority}`, { options: ['Low', 'Low'] })), 'options')
      expectFieldError(await expectNothingWritten(w.t, () => patch(`/${w.ws.projects.id}/fields/${priority}`, { options: [] })), 'options')
    })

    it('only select fields take options', async () => {
      expectFieldError(await expectNothingWritten(w.t, () => post(`/${w.ws.projects.id}/fields`, { key: 'memo', label: 'Memo', kind: 'text', options: ['A'] })), 'options')
      const notes = w.ws.projects.fieldIds.notes
      expectFieldError(await expectNothingWritten(w.t, () => patch(`/${w.ws.projects.id}/fields/${notes}`, { options: ['A'] })), 'options')
    })
  })

  describe('rejects bad input with a 400 naming the field, and writes nothing', () => {
    it('bad or taken keys', async () => {
      expectFieldError(await expectNothingWritten(w.t, () => post('', { key: 'Bad Key', singular: 'X', plural: 'Xs', hasPipeline: false })), 'key')
      expectFieldError(await expectNothingWritten(w.t, () => post('', { key: 'projects', singular: 'X', plural: 'Xs', hasPipeline: false })), 'key')
      expectFieldError(await expectNothingWritten(w.t, () => post(`/${w.ws.projects.id}/fields`, { key: 'budget', label: 'Again', kind: 'number' })), 'key')
      expectFieldError(await expectNothingWritten(w.t, () => post(`/${w.ws.projects.id}/fields`, { key: 'name', label: 'Name', kind: 'text' })), 'key')
      expectFieldError(await expectNothingWritten(w.t, () => post(`/${w.ws.projects.id}/fields`, { key: '1st', label: 'First', kind: 'text' })), 'key')
    })

    it('an unknown kind, a bad colour, a negative position, a missing flag', async () => {
      expectFieldError(await expectNothingWritten(w.t, () => post(`/${w.ws.projects.id}/fields`, { key: 'blob', label: 'Blob', kind: 'binary' })), 'kind')
      expectFieldError(await expectNothingWritten(w.t, () => post(`/${w.ws.projects.id}/stages`, { name: 'Review', color: 'red' })), 'color')
      expectFieldError(await expectNothingWritten(w.t, () => patch(`/${w.ws.projects.id}/stages/${w.ws.projects.stageIds[1]}`, { position: -1 })), 'position')
      expectFieldError(await expectNothingWritten(w.t, () => patch(`/${w.ws.projects.id}/fields/${w.ws.projects.fieldIds.budget}`, { position: 1.5 })), 'position')
      expectFieldError(await expectNothingWritten(w.t, () => post('', { key: 'flagless', singular: 'X', plural: 'Xs' })), 'hasPipeline')
    })

    it('unknown keys, including ones that are not editable', async () => {
      expectFieldError(await expectNothingWritten(w.t, () => post('', { key: 'x', singular: 'X', plural: 'Xs', hasPipeline: false, bogus: 1 })), 'bogus')
      expectFieldError(await expectNothingWritten(w.t, () => patch(`/${w.ws.projects.id}`, { key: 'renamed' })), 'key')
      expectFieldError(await expectNothingWritten(w.t, () => patch(`/${w.ws.projects.id}/fields/${w.ws.projects.fieldIds.budget}`, { kind: 'text' })), 'kind')
    })

    it('malformed ids in the path, and a body that is not JSON', async () => {
      expectFieldError(await expectNothingWritten(w.t, () => patch('/projects', { singular: 'X' })), 'id')
      expectFieldError(await expectNothingWritten(w.t, () => patch(`/${w.ws.projects.id}/stages/planned`, { name: 'X' })), 'childId')
      expectFieldError(await expectNothingWritten(w.t, () => del(`/nope/fields/${w.ws.projects.fieldIds.budget}`)), 'id')
      const res = await expectNothingWritten(w.t, () => w.inject({ method: 'POST', url: `/api/v1/record-types/${w.ws.projects.id}/fields`, ...brokenJson(w.admin) }))
      expectStatus(res, 400)
    })
  })

  it('forbids members to change types, stages or fields (403), and writes nothing', async () => {
    const { id, stageIds, fieldIds } = w.ws.projects
    const attempts: [string, () => Promise<Res>][] = [
      ['create type', () => post('', { key: 'mine', singular: 'Mine', plural: 'Mine', hasPipeline: false }, w.member)],
      ['rename type', () => patch(`/${id}`, { singular: 'Job' }, w.member)],
      ['add stage', () => post(`/${id}/stages`, { name: 'Review', color: '#123456' }, w.member)],
      ['edit stage', () => patch(`/${id}/stages/${stageIds[2]}`, { position: 0 }, w.member)],
      ['delete stage', () => del(`/${id}/stages/${stageIds[2]}`, w.member)],
      ['add field', () => post(`/${id}/fields`, { key: 'extra', label: 'Extra', kind: 'text' }, w.member)],
      ['edit field', () => patch(`/${id}/fields/${fieldIds.priority}`, { options: ['Only'] }, w.member)],
      ['delete field', () => del(`/${id}/fields/${fieldIds.notes}`, w.member)],
    ]
    for (const [what, attempt] of attempts) {
      const res = await expectNothingWritten(w.t, attempt)
      expect(res.statusCode, what).toBe(403)
      expect(res.json().error.code).toBe('FORBIDDEN')
    }
  })

  it('answers 404 for a type, stage or field of another workspace, exactly like a missing one, and writes nothing', async () => {
    const theirs = w.other.projects
    const missing = await patch(`/${missingId()}`, { singular: 'X' })
    expectNotFound(missing)
    const attempts: [string, () => Promise<Res>][] = [
      ['rename type', () => patch(`/${theirs.id}`, { singular: 'Job' })],
      ['add stage', () => post(`/${theirs.id}/stages`, { name: 'Review', color: '#123456' })],
      ['edit stage', () => patch(`/${theirs.id}/stages/${theirs.stageIds[0]}`, { name: 'Mine' })],
      ['delete stage', () => del(`/${theirs.id}/stages/${theirs.stageIds[2]}`)],
      ['add field', () => post(`/${theirs.id}/fields`, { key: 'extra', label: 'Extra', kind: 'text' })],
      ['edit field', () => patch(`/${theirs.id}/fields/${theirs.fieldIds.priority}`, { label: 'Mine' })],
      ['delete field', () => del(`/${theirs.id}/fields/${theirs.fieldIds.notes}`)],
      // Their stage or field reached through our own type.
      ['edit their stage via our type', () => patch(`/${w.ws.projects.id}/stages/${theirs.stageIds[0]}`, { name: 'Mine' })],
      ['delete their stage via our type', () => del(`/${w.ws.projects.id}/stages/${theirs.stageIds[2]}`)],
      ['edit their field via our type', () => patch(`/${w.ws.projects.id}/fields/${theirs.fieldIds.priority}`, { label: 'Mine' })],
      ['delete their field via our type', () => del(`/${w.ws.projects.id}/fields/${theirs.fieldIds.notes}`)],
      // A stage of one of our types, reached through another of our types.
      ['stage of another type', () => del(`/${w.ws.contracts.id}/stages/${w.ws.projects.stageIds[2]}`)],
    ]
    for (const [what, attempt] of attempts) {
      const res = await expectNothingWritten(w.t, attempt)
      expect(res.statusCode, `${what}: ${res.body}`).toBe(404)
      expect(res.json().error.code).toBe('NOT_FOUND')
    }
  })

  it('answers 401 without a session on every record-type route', async () => {
    const { id, stageIds, fieldIds } = w.ws.projects
    for (const [method, url, payload] of [
      ['GET', '/api/v1/record-types'],
      ['POST', '/api/v1/record-types', { key: 'anon', singular: 'A', plural: 'As', hasPipeline: false }],
      ['PATCH', `/api/v1/record-types/${id}`, { singular: 'A' }],
      ['POST', `/api/v1/record-types/${id}/stages`, { name: 'A', color: '#123456' }],
      ['PATCH', `/api/v1/record-types/${id}/stages/${stageIds[0]}`, { name: 'A' }],
      ['DELETE', `/api/v1/record-types/${id}/stages/${stageIds[2]}`],
      ['POST', `/api/v1/record-types/${id}/fields`, { key: 'anon', label: 'A', kind: 'text' }],
      ['PATCH', `/api/v1/record-types/${id}/fields/${fieldIds.notes}`, { label: 'A' }],
      ['DELETE', `/api/v1/record-types/${id}/fields/${fieldIds.notes}`],
    ] as const) {
      const res = await expectNothingWritten(w.t, () => w.inject({ method, url, headers: w.anonymous, ...(payload ? { payload } : {}) }))
      expect(res.statusCode, `${method} ${url}`).toBe(401)
    }
  })
})
