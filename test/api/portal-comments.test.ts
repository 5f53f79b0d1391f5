// Issue 5: the client's side of a record's comment thread. Plain text up to 10,000 characters, stored
// and returned exactly as typed (never HTML-escaped, never interpreted); only on records the client can
// see whose type shows comments; never from a staff Preview; no edit, no delete; a per-session rate
// limit. Every rejected request stores nothing.
import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createWorkspace } from '../factories.js'
import { testDatabases } from '../helpers/databases.js'
import { buildNotifyWorld, clientComment, countRows, newClient, newTenant, patchPortalSettings, patchRecord, staffComment, type Client, type NotifyWorld, type Tenant } from '../helpers/notify.js'
import { revoke, type Res } from '../helpers/portal.js'

describe.each(testDatabases)('portal comments on $name', (db) => {
  let w: NotifyWorld
  let tenant: Tenant
  let client: Client
  beforeAll(async () => {
    w = await buildNotifyWorld(db)
  })
  afterAll(() => w.close())
  beforeEach(async () => {
    tenant = await newTenant(w)
    client = await newClient(w, tenant, { name: 'Bea Buyer' })
  })
  // The team emails of the comments posted here are tested in notifications-recipients; send them off.
  afterEach(() => w.deliver())

  const recordId = () => tenant.ws.record.id
  const staffThread = async (id = recordId()) => {
    const res = await w.t.app.inject({ url: `/api/v1/records/${id}/comments`, headers: tenant.admin })
    expect(res.statusCode, res.body).toBe(200)
    return res.json() as { id: string; body: string; authorName: string; side: string; createdAt: string }[]
  }
  const portalDetail = async (c: Client = client, id = recordId()) => {
    const res = await w.t.app.inject({ url: `/api/portal/records/${id}`, headers: { cookie: c.cookie } })
    expect(res.statusCode, res.body).toBe(200)
    return res.json() as { comments?: { id: string; body: string; authorName: string; side: string }[]; canComment: boolean }
  }
  const post = (payload: unknown, id = recordId(), headers: Record<string, string> = {}) =>
    w.t.app.inject({ method: 'POST', url: `/api/portal/records/${id}/comments`, headers: { cookie: client.cookie, origin: w.origin, ...headers }, payload: payload as object })
  /** Everything a stored comment would touch: comments, their team emails and jobs, the activity log. */
  const counts = async () => ({ comments: await countRows(w, 'comments'), emails: await countRows(w, 'emails'), jobs: await countRows(w, 'jobs'), events: await countRows(w, 'portal_events') })
  const expectNothingStored = async (act: () => Promise<Res>): Promise<Res> => {
    const before = await counts()
    const res = await act()
    expect(await counts()).toEqual(before)
    return res
  }
  const expectBodyError = (res: Res, field = 'body') => {
    expect(res.statusCode, res.body).toBe(400)
    expect(res.json().error).toMatchObject({ code: 'VALIDATION', field })
  }
  const newRecord = async (typeId: string, companyId: string, name: string) => {
    const res = await w.t.app.inject({ method: 'POST', url: '/api/v1/records', headers: tenant.admin, payload: { typeId, companyId, name } })
    expect(res.statusCode, res.body).toBe(201)
    return res.json().id as string
  }

  it('a client posts a comment: 201, and it shows in the staff thread and the portal, with who wrote it', async () => {
    const body = 'Looks great!\nCan we add a FAQ page?'
    const res = await post({ body })
    expect(res.statusCode, res.body).toBe(201)
    const created = res.json()
    expect(created).toEqual({ id: expect.any(String), body, authorName: 'Bea Buyer', side: 'client', createdAt: w.t.clock().toISOString() })
    expect(await w.t.deps.db.selectFrom('comments').select(['record_id', 'author_user_id', 'author_contact_id', 'body']).where('id', '=', created.id).executeTakeFirst()).toEqual({
      record_id: recordId(),
      author_user_id: null,
      author_contact_id: client.contactId,
      body,
    })
    const events = await w.t.deps.db.selectFrom('portal_events').select(['kind', 'detail']).where('grant_id', '=', client.grantId).where('kind', '=', 'commented').execute()
    expect(events).toEqual([{ kind: 'commented', detail: 'Website redesign' }])

    expect(await staffThread()).toEqual([created])
    w.t.clock.advance(1_000)
    const reply = (await staffComment(w, tenant.member, recordId(), 'Yes — adding it this week')).json()

    const detail = await portalDetail()
    expect(detail.canComment).toBe(true)
    expect(detail.comments).toEqual([
      { id: created.id, body, authorName: 'Bea Buyer', side: 'client', createdAt: created.createdAt },
      { id: reply.id, body: 'Yes — adding it this week', authorName: reply.authorName, side: 'team', createdAt: reply.createdAt },
    ])
    // A colleague of the same company reads the same thread.
    expect((await w.deliver()).map((m) => m.subject)).toEqual(['Bea Buyer (Acme Co) commented on Website redesign'])
    const colleague = await newClient(w, tenant)
    expect((await portalDetail(colleague)).comments?.map((c) => c.id)).toEqual([created.id, reply.id])
  })

  it('rejects an empty, whitespace-only, over-long or malformed comment with 400, and stores nothing', async () => {
    for (const body of ['', '   ', ' \n\t \n ', 'x'.repeat(10_001)]) expectBodyError(await expectNothingStored(() => post({ body })))
    expect((await post({ body: '' })).json().error.message).toBe('body cannot be empty')
    expect((await post({ body: 'y'.repeat(10_001) })).json().error.message).toBe('body must be at most 10,000 characters')
    expectBodyError(await expectNothingStored(() => post({})))
    expectBodyError(await expectNothingStored(() => post({ body: 42 })))
    expectBodyError(await expectNothingStored(() => post({ body: 'Hi', authorName: 'The CEO' })), 'authorName')
    expectBodyError(await expectNothingStored(() => post({ body: 'Hi', recordId: randomUUID() })), 'recordId')
    const broken = await expectNothingStored(() =>
      w.t.app.inject({ method: 'POST', url: `/api/portal/records/${recordId()}/comments`, headers: { cookie: client.cookie, origin: w.origin, 'content-type': 'application/json' }, payload: '{"body": "x",' }),
    )
    expect(broken.statusCode).toBe(400)
    expect(await staffThread()).toEqual([])

    // Exactly 10,000 characters is fine, and kept whole.
    const longest = `${'z'.repeat(9_999)}!`
    const ok = await post({ body: longest })
    expect(ok.statusCode, ok.body).toBe(201)
    expect(ok.json().body).toBe(longest)
    expect((await staffThread()).map((c) => c.body.length)).toEqual([10_000])
  })

  it('keeps script and HTML as plain text: stored and returned exactly as typed, never escaped twice', async () => {
    const bodies = [
      '<script>alert("pwned")</script>',
      `<b>bold</b> <img src=x onerror=alert(1)> &amp; &lt;i&gt; 'single' "double"`,
      'Line one\nLine two\n\nhttps://example.com/?a=1&b=2 <https://evil.example>',
    ]
    for (const [i, body] of bodies.entries()) {
      w.t.clock.advance(1_000)
      const res = await post({ body })
      expect(res.statusCode, res.body).toBe(201)
      expect(res.headers['content-type']).toMatch(/^application\/json/)
      expect(res.json().body).toBe(body)
      const stored = await w.t.deps.db.selectFrom('comments').select('body').where('id', '=', res.json().id).executeTakeFirstOrThrow()
      expect(stored.body, `comment ${i}`).toBe(body)
    }
    expect((await staffThread()).map((c) => c.body)).toEqual(bodies)
    expect((await portalDetail()).comments?.map((c) => c.body)).toEqual(bodies)
  })

  it('a comment on a record the client cannot see, or whose type hides comments, is "not found", and nothing is stored', async () => {
    const other = await createWorkspace(w.t.deps)
    const globexRecord = await newRecord(tenant.ws.projects.id, tenant.ws.otherCompany.id, 'Globex rollout')
    const contract = await newRecord(tenant.ws.contracts.id, tenant.ws.company.id, 'MSA') // Contracts are not shared
    const missing = await expectNothingStored(() => post({ body: 'Hello?' }, randomUUID()))
    expect(missing.statusCode).toBe(404)
    for (const id of [globexRecord, contract, other.record.id]) {
      const res = await expectNothingStored(() => post({ body: 'Hello?' }, id))
      expect(res.statusCode, id).toBe(404)
      expect(res.json()).toEqual(missing.json())
    }
    expect((await post({ body: 'Hello?' }, 'not-an-id')).statusCode).toBe(400)
    // Nor can the client read those threads.
    for (const id of [globexRecord, contract, other.record.id]) expect((await w.t.app.inject({ url: `/api/portal/records/${id}`, headers: { cookie: client.cookie } })).statusCode).toBe(404)
    expect(await staffThread(globexRecord)).toEqual([])
    expect(await staffThread(contract)).toEqual([])

    // Show comments off: the thread and the composer disappear, and posting is "not found".
    expect((await post({ body: 'Before' })).statusCode).toBe(201)
    await patchPortalSettings(w, tenant, tenant.ws.projects.id, { showComments: false })
    const hidden = await expectNothingStored(() => post({ body: 'After' }))
    expect(hidden.statusCode).toBe(404)
    expect(hidden.json()).toEqual(missing.json())
    const detail = await portalDetail()
    expect(detail.comments).toBeUndefined()
    expect(detail.canComment).toBe(false)
    expect((await staffThread()).map((c) => c.body)).toEqual(['Before'])
  })

  it('a staff Preview shows the thread without a composer: posting from it is 403 and stores nothing', async () => {
    expect((await post({ body: 'From the client' })).statusCode).toBe(201)
    const preview = (path: string, method: 'GET' | 'POST' = 'GET') =>
      w.t.app.inject({ method, url: `/api/portal-preview/${tenant.ws.company.id}${path}`, headers: tenant.admin, ...(method === 'POST' ? { payload: { body: 'Staff typing in Preview' } } : {}) })
    const view = await preview(`/records/${recordId()}`)
    expect(view.statusCode, view.body).toBe(200)
    expect(view.json().canComment).toBe(false)
    expect(view.json().comments.map((c: { body: string }) => c.body)).toEqual(['From the client'])

    const res = await expectNothingStored(() => preview(`/records/${recordId()}/comments`, 'POST'))
    expect(res.statusCode).toBe(403)
    expect((await staffThread()).map((c) => c.body)).toEqual(['From the client'])
  })

  it('clients cannot edit or delete any comment: those URLs do not exist, and nothing changes', async () => {
    const mine = (await post({ body: 'Mine' })).json()
    const theirs = (await staffComment(w, tenant.admin, recordId(), 'Theirs')).json()
    const rows = () => w.t.deps.db.selectFrom('comments').selectAll().where('record_id', '=', recordId()).orderBy('id').execute()
    const before = await rows()
    const headers = { cookie: client.cookie, origin: w.origin }
    for (const id of [mine.id, theirs.id]) {
      for (const url of [`/api/portal/records/${recordId()}/comments/${id}`, `/api/portal/comments/${id}`]) {
        for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
          const res = await w.t.app.inject({ method, url, headers, ...(method === 'DELETE' ? {} : { payload: { body: 'Edited' } }) })
          expect([404, 405], `${method} ${url}`).toContain(res.statusCode)
        }
      }
    }
    for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
      const res = await w.t.app.inject({ method, url: `/api/portal/records/${recordId()}/comments`, headers, ...(method === 'DELETE' ? {} : { payload: { body: 'Replaced' } }) })
      expect([404, 405], method).toContain(res.statusCode)
    }
    expect(await rows()).toEqual(before)
  })

  it('no session, a cross-site request or revoked access: rejected, and nothing stored', async () => {
    const anonymous = await expectNothingStored(() => w.t.app.inject({ method: 'POST', url: `/api/portal/records/${recordId()}/comments`, headers: { origin: w.origin }, payload: { body: 'Hi' } }))
    expect(anonymous.statusCode).toBe(401)
    const crossSite = await expectNothingStored(() => post({ body: 'Hi' }, recordId(), { origin: 'https://evil.example' }))
    expect(crossSite.statusCode).toBe(403)
    const fetchMeta = await expectNothingStored(() => post({ body: 'Hi' }, recordId(), { 'sec-fetch-site': 'cross-site' }))
    expect(fetchMeta.statusCode).toBe(403)
    expect((await revoke(w.t, tenant.admin, client.grantId)).statusCode).toBe(200)
    const revoked = await expectNothingStored(() => post({ body: 'Still here?' }))
    expect(revoked.statusCode).toBe(401)
    expect(await staffThread()).toEqual([])
  })

  it('rate-limits each session: the 21st comment within a minute is 429 and not stored; another session still posts', async () => {
    await patchRecord(w, tenant, recordId(), { ownerId: null }) // nobody to email: this test is about the limit
    for (let i = 1; i <= 20; i++) expect((await post({ body: `Comment ${i}` })).statusCode, `comment ${i}`).toBe(201)
    const limited = await expectNothingStored(() => post({ body: 'Comment 21' }))
    expect(limited.statusCode).toBe(429)
    expect(await staffThread()).toHaveLength(20)
    const colleague = await newClient(w, tenant)
    expect((await clientComment(w, colleague, recordId(), 'From my own session')).statusCode).toBe(201)
    expect(await staffThread()).toHaveLength(21)
    expect(await w.deliver()).toEqual([])
  })
})
