import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabases } from '../helpers/databases.js'
import { brokenJson, buildStaffWorld, expectFieldError, expectNotFound, expectNothingWritten, expectStatus, missingId, type StaffWorld } from '../helpers/staff.js'

describe.each(testDatabases)('staff comments on $name', (db) => {
  let w: StaffWorld
  beforeAll(async () => {
    w = await buildStaffWorld(db)
    await w.inject({ method: 'POST', url: `/api/v1/records/${w.other.record.id}/comments`, headers: w.otherAdmin, payload: { body: 'Their private thread' } })
  })
  afterAll(() => w.t.close())

  const post = (recordId: string, payload: unknown, headers = w.admin) => w.inject({ method: 'POST', url: `/api/v1/records/${recordId}/comments`, headers, payload: payload as object })
  const thread = (recordId: string, headers = w.admin) => w.inject({ url: `/api/v1/records/${recordId}/comments`, headers })

  it('posts comments and lists the thread oldest first, with who wrote what', async () => {
    const first = await post(w.ws.record.id, { body: '  Kick-off is on Monday  ' })
    expectStatus(first, 201)
    expect(first.json()).toEqual({ id: expect.any(String), body: 'Kick-off is on Monday', authorName: expect.stringMatching(/^admin ws-/), side: 'team', createdAt: w.t.clock().toISOString() })

    // A client's comment (as the portal writes it) sits in the same thread.
    w.t.clock.advance(1000)
    await w.t.deps.db
      .insertInto('comments')
      .values({ id: randomUUID(), workspace_id: w.ws.workspaceId, record_id: w.ws.record.id, author_user_id: null, author_contact_id: w.ws.contact.id, body: 'Works for us', created_at: w.t.clock().toISOString() })
      .execute()
    w.t.clock.advance(1000)
    const reply = await post(w.ws.record.id, { body: '<b>Great</b> — see you then' }, w.member)
    expectStatus(reply, 201)
    expect(reply.json()).toMatchObject({ body: '<b>Great</b> — see you then', authorName: expect.stringMatching(/^member ws-/), side: 'team' })

    const list = await thread(w.ws.record.id)
    expectStatus(list, 200)
    expect(list.json().map((c: { body: string; side: string; authorName: string }) => [c.body, c.side, c.authorName])).toEqual([
      ['Kick-off is on Monday', 'team', first.json().authorName],
      ['Works for us', 'client', 'Bea Buyer'],
      ['<b>Great</b> — see you then', 'team', reply.json().authorName],
    ])
    expect(JSON.stringify(list.json())).not.toContain('Their private thread')
  })

  it('starts with an empty thread on a new record', async () => {
    const record = await w.inject({ method: 'POST', url: '/api/v1/records', headers: w.admin, payload: { typeId: w.ws.contracts.id, companyId: w.ws.company.id, name: 'Quiet' } })
    const res = await thread(record.json().id)
    expectStatus(res, 200)
    expect(res.json()).toEqual([])
  })

  describe('rejects bad input with a 400 naming the field, and writes nothing', () => {
    it('an empty or over-long body', async () => {
      expectFieldError(await expectNothingWritten(w.t, () => post(w.ws.record.id, { body: '   ' })), 'body')
      expectFieldError(await expectNothingWritten(w.t, () => post(w.ws.record.id, { body: 'x'.repeat(10_001) })), 'body')
      expectFieldError(await expectNothingWritten(w.t, () => post(w.ws.record.id, {})), 'body')
      const res = await post(w.ws.record.id, { body: '' })
      expect(res.json().error.message).toBe('body cannot be empty')
    })

    it('an unknown key, including an attempt to pick the author', async () => {
      expectFieldError(await expectNothingWritten(w.t, () => post(w.ws.record.id, { body: 'x', bogus: 1 })), 'bogus')
      expectFieldError(await expectNothingWritten(w.t, () => post(w.ws.record.id, { body: 'x', authorUserId: w.ws.member.id })), 'authorUserId')
    })

    it('a malformed record id, and a body that is not JSON', async () => {
      expectFieldError(await thread('one'), 'id')
      expectFieldError(await expectNothingWritten(w.t, () => post('one', { body: 'x' })), 'id')
      const res = await expectNothingWritten(w.t, () => w.inject({ method: 'POST', url: `/api/v1/records/${w.ws.record.id}/comments`, ...brokenJson(w.admin) }))
      expectStatus(res, 400)
      expect(res.json().error.code).toBe('VALIDATION')
    })
  })

  it('answers 404 for the thread of a record of another workspace, exactly like a missing one, and writes nothing', async () => {
    const missing = await thread(missingId())
    const foreign = await thread(w.other.record.id)
    expectNotFound(foreign)
    expect(foreign.json()).toEqual(missing.json())
    expect(foreign.body).not.toContain('Their private thread')
    expectNotFound(await expectNothingWritten(w.t, () => post(w.other.record.id, { body: 'Hello from outside' })))
    expectNotFound(await expectNothingWritten(w.t, () => post(w.other.record.id, { body: 'Hello from outside' }, w.member)))
  })

  it('answers 401 without a session on every comment route', async () => {
    expectStatus(await thread(w.ws.record.id, w.anonymous), 401)
    expectStatus(await expectNothingWritten(w.t, () => post(w.ws.record.id, { body: 'anon' }, w.anonymous)), 401)
  })
})
