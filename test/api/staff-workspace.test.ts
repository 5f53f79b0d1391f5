import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabases } from '../helpers/databases.js'
import { brokenJson, buildStaffWorld, expectFieldError, expectNothingWritten, expectStatus, type StaffWorld } from '../helpers/staff.js'

describe.each(testDatabases)('staff workspace settings on $name', (db) => {
  let w: StaffWorld
  beforeAll(async () => {
    w = await buildStaffWorld(db)
  })
  afterAll(() => w.t.close())

  const patch = (payload: unknown, headers = w.admin) => w.inject({ method: 'PATCH', url: '/api/v1/workspace', headers, payload: payload as object })
  const read = (headers = w.admin) => w.inject({ url: '/api/v1/workspace', headers })

  it('shows the workspace to admins and members', async () => {
    const res = await read(w.member)
    expectStatus(res, 200)
    expect(res.json()).toMatchObject({
      id: w.ws.workspaceId,
      name: expect.stringMatching(/^Studio ws-/),
      slug: expect.stringMatching(/^ws-/),
      logoUrl: null,
      brandColor: '#4f46e5',
      postalAddress: '1 Main St, Springfield',
      senderName: expect.stringMatching(/^Studio ws-/),
    })
    expect((await read()).json()).toEqual(res.json())
  })

  it('lets an admin change the settings, and only their own workspace', async () => {
    const theirsBefore = (await read(w.otherAdmin)).json()
    const res = await patch({ name: 'Northwind Studio', brandColor: '#0F766E', postalAddress: '2 Harbour Rd, Portsmouth', senderName: 'Northwind', logoUrl: 'https://cdn.example/logo.png' })
    expectStatus(res, 200)
    expect(res.json()).toMatchObject({ name: 'Northwind Studio', brandColor: '#0F766E', postalAddress: '2 Harbour Rd, Portsmouth', senderName: 'Northwind', logoUrl: 'https://cdn.example/logo.png' })
    expect((await read(w.member)).json()).toEqual(res.json())
    const me = await w.inject({ url: '/api/v1/me', headers: w.member })
    expect(me.json().workspace).toMatchObject({ name: 'Northwind Studio', brandColor: '#0F766E', logoUrl: 'https://cdn.example/logo.png' })
    expect((await read(w.otherAdmin)).json()).toEqual(theirsBefore)

    const logo = `data:image/png;base64,${Buffer.from('png bytes').toString('base64')}`
    expect((await patch({ logoUrl: logo })).json().logoUrl).toBe(logo)
    expect((await patch({ logoUrl: null })).json().logoUrl).toBeNull()
  })

  it('accepts an empty patch as a no-op', async () => {
    const before = (await read()).json()
    const res = await patch({})
    expectStatus(res, 200)
    expect(res.json()).toEqual(before)
  })

  it('forbids a member to change settings (403), and writes nothing', async () => {
    for (const payload of [{ name: 'Members rule' }, { brandColor: '#000000' }, {}]) {
      const res = await expectNothingWritten(w.t, () => patch(payload, w.member))
      expectStatus(res, 403)
      expect(res.json().error.code).toBe('FORBIDDEN')
    }
  })

  describe('rejects bad input with a 400 naming the field, and writes nothing', () => {
    it('bad values', async () => {
      for (const [payload, field] of [
        [{ name: '' }, 'name'],
        [{ senderName: 'x'.repeat(201) }, 'senderName'],
        [{ brandColor: 'blue' }, 'brandColor'],
        [{ brandColor: '#12345' }, 'brandColor'],
        [{ logoUrl: 'javascript:alert(1)' }, 'logoUrl'],
        [{ logoUrl: 'http://cdn.example/logo.png' }, 'logoUrl'],
        [{ logoUrl: 'data:text/html;base64,PHNjcmlwdD4=' }, 'logoUrl'],
        [{ postalAddress: '   ' }, 'postalAddress'],
      ] as const) {
        expectFieldError(await expectNothingWritten(w.t, () => patch(payload)), field)
      }
    })

    it('unknown or read-only keys', async () => {
      expectFieldError(await expectNothingWritten(w.t, () => patch({ name: 'x', bogus: 1 })), 'bogus')
      expectFieldError(await expectNothingWritten(w.t, () => patch({ slug: 'taken' })), 'slug')
      expectFieldError(await expectNothingWritten(w.t, () => patch({ id: w.other.workspaceId })), 'id')
    })

    it('a body that is not JSON', async () => {
      const res = await expectNothingWritten(w.t, () => w.inject({ method: 'PATCH', url: '/api/v1/workspace', ...brokenJson(w.admin) }))
      expectStatus(res, 400)
      expect(res.json().error.code).toBe('VALIDATION')
    })
  })

  it('lists the staff of this workspace only', async () => {
    const res = await w.inject({ url: '/api/v1/users', headers: w.member })
    expectStatus(res, 200)
    const users = res.json() as { id: string; email: string; role: string }[]
    expect(users.map((u) => u.id).sort()).toEqual([w.ws.admin.id, w.ws.member.id].sort())
    expect(users.find((u) => u.id === w.ws.admin.id)!.role).toBe('admin')
    expect(JSON.stringify(users)).not.toMatch(/password|hash/i)
  })

  it('answers 401 without a session on the workspace, me and users routes', async () => {
    for (const [method, url, payload] of [
      ['GET', '/api/v1/workspace'],
      ['PATCH', '/api/v1/workspace', { name: 'Anon' }],
      ['GET', '/api/v1/me'],
      ['GET', '/api/v1/users'],
    ] as const) {
      const res = await expectNothingWritten(w.t, () => w.inject({ method, url, headers: w.anonymous, ...(payload ? { payload } : {}) }))
      expect(res.statusCode, `${method} ${url}`).toBe(401)
    }
  })
})
