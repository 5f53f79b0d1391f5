// The portal access matrix (checklist C2, C9; invariants 1 and 3): every portal endpoint that takes an id
// × {own, another company's, another workspace's, an unshared type's, a type with Show files off,
// nonexistent, malformed} for a client and for a staff Preview, with the expected 200/404/400 — never
// 403, never 500, and every "not found" byte-identical. Plus: no principal → 401 everywhere, Preview
// writes nothing, and settings changes apply at once to sessions that are already open.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PortalHome, PortalRecordDetail } from '../../src/shared/contracts/portal.js'
import { createWorkspace, type WorkspaceFixture } from '../factories.js'
import { testDatabases } from '../helpers/databases.js'
import { dumpDatabase, expectNoRowChanged } from '../helpers/portal.js'
import {
  buildPortalTestApp,
  clientCookie,
  endpointRequest,
  PortalData,
  patchPortalSettings,
  portalEndpoints,
  portalGet,
  previewGet,
  staffHeaders,
  type PortalEndpoint,
  type PortalTestApp,
  type Res,
} from '../helpers/portal-data.js'

type Case = 'own' | 'another company' | 'another workspace' | 'unshared type' | 'Show files off' | 'nonexistent' | 'malformed'
/** [case, expected status of /records/:id, expected status of /files/:id/download] */
const MATRIX: [Case, number, number][] = [
  ['own', 200, 200],
  ['another company', 404, 404],
  ['another workspace', 404, 404],
  ['unshared type', 404, 404],
  ['Show files off', 200, 404], // the record is shared; its files are not
  ['nonexistent', 404, 404],
  ['malformed', 400, 400],
]

describe.each(testDatabases)('portal isolation on $name', (db) => {
  let t: PortalTestApp
  let ws: WorkspaceFixture
  let other: WorkspaceFixture
  let client: string
  let staff: Record<string, string>
  let otherStaff: Record<string, string>
  const records = {} as Record<Case, string>
  const files = {} as Record<Case, string>
  const bytes = Buffer.from('%PDF-1.4 the own file')
  let notFoundBody: string

  beforeAll(async () => {
    t = await buildPortalTestApp(db)
    ws = await createWorkspace(t.deps)
    other = await createWorkspace(t.deps)
    const d = new PortalData(t.deps.clock().toISOString())
    const w = ws.workspaceId
    records.own = ws.record.id
    files.own = d.file(w, ws.record.id, { name: 'own.pdf', data: bytes, userId: ws.admin.id })
    d.comment(w, ws.record.id, { body: 'Own comment', userId: ws.admin.id })

    records['another company'] = d.record(w, { typeId: ws.projects.id, companyId: ws.otherCompany.id, name: 'Globex secret project', stageId: ws.projects.stageIds[0]! })
    files['another company'] = d.file(w, records['another company'], { name: 'globex-secret.pdf' })

    records['another workspace'] = other.record.id
    files['another workspace'] = d.file(other.workspaceId, other.record.id, { name: 'other-tenant.pdf' })

    records['unshared type'] = d.record(w, { typeId: ws.contracts.id, companyId: ws.company.id, name: 'Acme master contract' })
    files['unshared type'] = d.file(w, records['unshared type'], { name: 'contract.pdf' })

    const deliverables = d.type(w, { key: 'deliverables', singular: 'Deliverable', plural: 'Deliverables', hasPipeline: false, position: 5 })
    d.settings(w, deliverables, { shareable: true, showStatus: false, showFiles: false, showComments: true })
    records['Show files off'] = d.record(w, { typeId: deliverables, companyId: ws.company.id, name: 'Launch video' })
    files['Show files off'] = d.file(w, records['Show files off'], { name: 'raw-footage.mov' })

    records.nonexistent = randomUUID()
    files.nonexistent = randomUUID()
    records.malformed = 'not-a-uuid'
    files.malformed = 'not-a-uuid'
    await d.flush(t.deps)

    staff = await staffHeaders(t, w, ws.admin.id)
    otherStaff = await staffHeaders(t, other.workspaceId, other.admin.id)
    client = await clientCookie(t, staff, ws.company.id, ws.contact.id)
    notFoundBody = (await portalGet(t, client, `/records/${randomUUID()}`)).body
  })
  afterAll(() => t.close())

  /** Asserts one cell of the matrix; the 404s must all be the same bytes as an id that names nothing. */
  function expectCell(res: Res, expected: number, what: string) {
    expect(res.statusCode, `${what}: ${res.body.slice(0, 300)}`).toBe(expected)
    expect(res.statusCode).not.toBe(403)
    expect(res.statusCode).toBeLessThan(500)
    if (expected === 404) {
      expect(res.body, what).toBe(notFoundBody)
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
    }
    if (expected === 400) expect(res.json()).toEqual({ error: { code: 'VALIDATION', message: 'id must be a valid id', field: 'id' } })
  }

  it('the 404 of an id that names nothing says only "Not found"', () => {
    expect(JSON.parse(notFoundBody)).toEqual({ error: { code: 'NOT_FOUND', message: 'Not found' } })
  })

  describe.each([
    ['client', () => (url: string) => portalGet(t, client, url)],
    ['staff Preview of the same workspace', () => (url: string) => previewGet(t, staff, ws.company.id, url)],
  ] as const)('as a %s', (_who, getter) => {
    it.each(MATRIX)('GET /records/:id of %s → %i', async (c, expected) => {
      const res = await getter()(`/records/${records[c]}`)
      expectCell(res, expected, `/records/${c}`)
      if (expected === 200) expect(res.json<PortalRecordDetail>().id).toBe(records[c])
    })

    it.each(MATRIX)('GET /files/:id/download of %s → %i', async (c, _record, expected) => {
      const res = await getter()(`/files/${files[c]}/download`)
      expectCell(res, expected, `/files/${c}/download`)
      if (expected === 200) {
        expect(res.rawPayload.equals(bytes)).toBe(true)
        expect(res.headers['content-disposition']).toMatch(/^attachment; filename="own\.pdf"/)
        expect(res.headers['x-content-type-options']).toBe('nosniff')
      }
    })

    it('a file of a Show-files-off type is absent from the record and home too', async () => {
      const detail = (await getter()(`/records/${records['Show files off']}`)).json<PortalRecordDetail>()
      expect('files' in detail).toBe(false)
      const home = (await getter()('/home')).json<PortalHome>()
      const section = home.types.find((s) => s.key === 'deliverables')!
      expect(section.records.map((r) => r.id)).toEqual([records['Show files off']])
      expect('fileCount' in section.records[0]!).toBe(false)
      expect(home.types.map((s) => s.key)).toEqual(['projects', 'deliverables'])
      const everything = JSON.stringify(home)
      for (const secret of ['Globex', 'Acme master contract', 'raw-footage', 'contract.pdf', records['another company'], records['unshared type'], records['another workspace']]) {
        expect(everything).not.toContain(secret)
      }
    })
  })

  it.each(['PUT', 'PATCH', 'DELETE'] as const)('%s /records/:id answers the same for an own and a foreign record, and changes nothing', async (method) => {
    const own = await expectNoRowChanged(t.deps, () =>
      t.app.inject({ method, url: `/api/portal/records/${records.own}`, headers: { cookie: client, origin: t.deps.config.baseUrl }, payload: { name: 'x' } }),
    )
    const foreign = await t.app.inject({ method, url: `/api/portal/records/${records['another company']}`, headers: { cookie: client, origin: t.deps.config.baseUrl }, payload: { name: 'x' } })
    expect(own.statusCode).toBeGreaterThanOrEqual(400)
    expect(own.statusCode).toBeLessThan(500)
    expect([foreign.statusCode, foreign.body]).toEqual([own.statusCode, own.body])
  })

  it('the company comes from the session only: a company id in the query or a header changes nothing (C1)', async () => {
    const plain = await portalGet(t, client, '/home')
    for (const companyId of [ws.otherCompany.id, other.company.id]) {
      const tricked = await t.app.inject({ url: `/api/portal/home?companyId=${companyId}&company_id=${companyId}`, headers: { cookie: client, 'x-company-id': companyId } })
      expect(tricked.body).toBe(plain.body)
      const foreign = await t.app.inject({ url: `/api/portal/records/${records['another company']}?companyId=${ws.otherCompany.id}`, headers: { cookie: client } })
      expect([foreign.statusCode, foreign.body]).toEqual([404, notFoundBody])
    }
  })

  it('a malformed stored value of a visible field (a date that is no calendar day) does not take home or detail down', async () => {
    const d = new PortalData(t.deps.clock().toISOString())
    const due = ws.projects.fieldIds.due_date!
    const recordId = d.record(ws.workspaceId, { typeId: ws.projects.id, companyId: ws.company.id, name: 'Legacy import', stageId: ws.projects.stageIds[1]! })
    d.value(ws.workspaceId, recordId, due, 'sometime in Q3')
    d.visible(ws.workspaceId, ws.projects.id, [due])
    await d.flush(t.deps)
    const home = await portalGet(t, client, '/home')
    expect(home.statusCode, home.body).toBe(200)
    const detail = await portalGet(t, client, `/records/${recordId}`)
    expect(detail.statusCode, detail.body).toBe(200)
    expect(detail.json<PortalRecordDetail>().fields).toEqual([{ key: 'due_date', label: 'due_date', kind: 'date', display: 'sometime in Q3' }])
  })

  describe('sub-resources: a write on an id out of scope is the same 404 and writes nothing', () => {
    const OUT_OF_SCOPE: Case[] = ['another company', 'another workspace', 'unshared type', 'nonexistent']
    it.each(OUT_OF_SCOPE)('POST /records/:id/comments and /records/:id/files of %s → 404, nothing written', async (c) => {
      for (const sub of ['/records/{id}/comments', '/records/{id}/files']) {
        const req = endpointRequest({ method: 'POST', path: sub }, { record: records[c], file: files[c] })
        const res = await expectNoRowChanged(t.deps, () =>
          t.app.inject({ method: req.method, url: `/api/portal${req.path}`, headers: { cookie: client, origin: t.deps.config.baseUrl }, ...(req.payload !== undefined && { payload: req.payload }) }),
        )
        expectCell(res, 404, `POST ${sub} of ${c}`)
      }
    })

    it('POST /records/:id/comments of a malformed id → 400; of the own record → 201', async () => {
      const malformed = await t.app.inject({ method: 'POST', url: '/api/portal/records/not-a-uuid/comments', headers: { cookie: client, origin: t.deps.config.baseUrl }, payload: { body: 'x' } })
      expectCell(malformed, 400, 'malformed comment')
      const own = await t.app.inject({
        method: 'POST',
        url: `/api/portal/records/${records.own}/comments`,
        headers: { cookie: client, origin: t.deps.config.baseUrl },
        payload: { body: 'From the client' },
      })
      expect(own.statusCode, own.body).toBe(201)
    })
  })

  describe('without a principal', () => {
    let endpoints: PortalEndpoint[]
    const ids = () => ({ record: records.own, file: files.own })
    const send = (base: string, e: PortalEndpoint, cookie: string | undefined, id = ids()) => {
      const req = endpointRequest(e, id)
      return t.app.inject({
        method: req.method,
        url: `${base}${req.path}`,
        headers: { origin: t.deps.config.baseUrl, ...(cookie ? { cookie } : {}) },
        ...(req.payload !== undefined && { payload: req.payload }),
      })
    }
    beforeAll(async () => {
      endpoints = await portalEndpoints(t)
    })

    it('the route table lists every portal endpoint this suite knows of', () => {
      const listed = endpoints.map((e) => `${e.method} ${e.path}`)
      for (const known of ['GET /home', 'GET /me', 'GET /records/{id}', 'GET /files/{id}/download', 'POST /sign-out']) expect(listed).toContain(known)
    })

    it('no cookie, a forged cookie or a staff cookie → 401 on every portal endpoint, with a well-formed or a malformed id', async () => {
      for (const cookie of [undefined, 'portal_sid=forged-session-id-that-is-long-enough-to-look-real', 'portal_sid=', staff.cookie!]) {
        for (const e of endpoints) {
          for (const id of [ids(), { record: 'not-a-uuid', file: 'not-a-uuid' }]) {
            const res = await send('/api/portal', e, cookie, id)
            expect(res.statusCode, `${e.method} ${e.path} with ${cookie ?? 'no cookie'}: ${res.body}`).toBe(401)
            expect(res.json().error.code).toBe('UNAUTHENTICATED')
          }
        }
      }
    })

    it('Preview: a staff cookie of another workspace, no cookie, or a portal cookie → 401 on every endpoint', async () => {
      for (const cookie of [otherStaff.cookie!, undefined, client]) {
        for (const e of endpoints) {
          const res = await send(`/api/portal-preview/${ws.company.id}`, e, cookie)
          expect(res.statusCode, `${e.method} preview ${e.path} with ${cookie ?? 'no cookie'}`).toBe(401)
        }
      }
    })

    it("Preview of another workspace's company id, of a nonexistent or a malformed company id → 401 on every endpoint", async () => {
      for (const companyId of [other.company.id, randomUUID(), 'not-a-uuid']) {
        for (const e of endpoints) {
          const res = await send(`/api/portal-preview/${companyId}`, e, staff.cookie!)
          expect(res.statusCode, `${e.method} preview of ${companyId} ${e.path}`).toBe(401)
        }
      }
    })

    it('a portal session is not a staff session', async () => {
      expect((await t.app.inject({ url: '/api/v1/me', headers: { cookie: client } })).statusCode).toBe(401)
      expect((await t.app.inject({ url: `/api/v1/records/${records.own}`, headers: { cookie: client } })).statusCode).toBe(401)
    })
  })

  describe('Preview is read-only', () => {
    it('every endpoint in Preview writes nothing — reads answer, writes are 403 — even with a client cookie alongside and after the touch interval', async () => {
      const endpoints = await portalEndpoints(t)
      t.clock.advance(5 * 60_000) // a client request now would touch its session
      const both = `${staff.cookie!}; ${client}`
      await expectNoRowChanged(t.deps, async () => {
        for (const e of endpoints) {
          const req = endpointRequest(e, { record: records.own, file: files.own })
          const res = await t.app.inject({
            method: req.method,
            url: `/api/portal-preview/${ws.company.id}${req.path}`,
            headers: { cookie: both, origin: t.deps.config.baseUrl },
            ...(req.payload !== undefined && { payload: req.payload }),
          })
          if (e.method === 'GET' && e.path !== '/notifications') expect(res.statusCode, `${e.method} ${e.path}: ${res.body}`).toBe(200)
          else expect(res.statusCode, `${e.method} ${e.path}: ${res.body}`).toBe(403)
        }
        for (const url of [`/records/${records['another company']}`, `/files/${files['another company']}/download`]) {
          expect((await t.app.inject({ url: `/api/portal-preview/${ws.company.id}${url}`, headers: { cookie: both } })).statusCode).toBe(404)
        }
      })
    })

    it('sign-out under Preview → 403 and changes nothing; the client session still works', async () => {
      const res = await expectNoRowChanged(t.deps, () => t.app.inject({ method: 'POST', url: `/api/portal-preview/${ws.company.id}/sign-out`, headers: { ...staff } }))
      expect(res.statusCode).toBe(403)
      expect(res.headers['set-cookie']).toBeUndefined()
      expect((await portalGet(t, client, '/me')).statusCode).toBe(200)
    })

    it("a client's download is logged as a portal event; the same download in Preview is not", async () => {
      const count = async () => (await dumpDatabase(t.deps)).portal_events!.filter((e) => e.kind === 'downloaded').length
      const before = await count()
      expect((await previewGet(t, staff, ws.company.id, `/files/${files.own}/download`)).statusCode).toBe(200)
      expect(await count()).toBe(before)
      expect((await portalGet(t, client, `/files/${files.own}/download`)).statusCode).toBe(200)
      expect(await count()).toBe(before + 1)
    })
  })

  describe('settings changes apply at once to an open session', () => {
    let s: WorkspaceFixture
    let admin: Record<string, string>
    let cookie: string
    let fileId: string
    const detail = async () => {
      const res = await portalGet(t, cookie, `/records/${s.record.id}`)
      return { res, json: res.statusCode === 200 ? res.json<PortalRecordDetail>() : undefined }
    }
    const home = async () => (await portalGet(t, cookie, '/home')).json<PortalHome>()
    const patch = async (body: Record<string, unknown>) => {
      const res = await patchPortalSettings(t, admin, s.projects.id, body)
      expect(res.statusCode, res.body).toBe(200)
    }

    beforeAll(async () => {
      s = await createWorkspace(t.deps)
      const d = new PortalData(t.deps.clock().toISOString())
      d.value(s.workspaceId, s.record.id, s.projects.fieldIds.budget!, 990_00)
      d.value(s.workspaceId, s.record.id, s.projects.fieldIds.priority!, 'High')
      d.value(s.workspaceId, s.record.id, s.projects.fieldIds.notes!, 'PRIVATE_NOTE_VALUE')
      fileId = d.file(s.workspaceId, s.record.id, { name: 'timeline.pdf', userId: s.admin.id })
      d.comment(s.workspaceId, s.record.id, { body: 'COMMENT_BODY_VALUE', userId: s.admin.id })
      await d.flush(t.deps)
      admin = await staffHeaders(t, s.workspaceId, s.admin.id)
      await patch({ shareable: true, showStatus: true, showFiles: true, showComments: true, visibleFieldIds: [s.projects.fieldIds.budget, s.projects.fieldIds.priority] })
      cookie = await clientCookie(t, admin, s.company.id, s.contact.id)
    })

    it('starts with both visible fields, status, files and comments', async () => {
      const { json } = await detail()
      expect(json!.fields.map((f) => f.key)).toEqual(['budget', 'priority'])
      expect(json!.status).toBe('on_track')
      expect(json!.files!.map((f) => f.id)).toEqual([fileId])
      expect(json!.comments!.map((c) => c.body)).toEqual(['COMMENT_BODY_VALUE'])
      expect(JSON.stringify(json)).not.toContain('PRIVATE_NOTE_VALUE')
    })

    it('a field made hidden is gone from detail and home on the next request', async () => {
      await patch({ visibleFieldIds: [s.projects.fieldIds.budget] })
      const { res, json } = await detail()
      expect(json!.fields.map((f) => f.key)).toEqual(['budget'])
      expect(res.body).not.toContain('priority')
      expect(res.body).not.toContain('High')
      const h = await home()
      expect(h.types[0]!.records[0]!.summary.map((f) => f.key)).toEqual(['budget'])
      expect(JSON.stringify(h)).not.toContain('priority')
    })

    it('Show status off removes status and the rollups', async () => {
      await patch({ showStatus: false })
      const { json } = await detail()
      expect('status' in json!).toBe(false)
      const h = await home()
      expect('status' in h.types[0]!.records[0]!).toBe(false)
      for (const stage of h.types[0]!.stages) expect('statusRollup' in stage).toBe(false)
    })

    it('Show files off removes the files panel and counts, and the download is 404', async () => {
      expect((await portalGet(t, cookie, `/files/${fileId}/download`)).statusCode).toBe(200)
      await patch({ showFiles: false })
      const { res, json } = await detail()
      expect('files' in json!).toBe(false)
      expect(res.body).not.toContain('timeline.pdf')
      expect(json!.canUpload).toBe(false)
      const h = await home()
      expect('fileCount' in h.types[0]!.records[0]!).toBe(false)
      for (const stage of h.types[0]!.stages) expect('fileCount' in stage).toBe(false)
      const download = await portalGet(t, cookie, `/files/${fileId}/download`)
      expect([download.statusCode, download.body]).toEqual([404, notFoundBody])
    })

    it('Show comments off removes the thread and the right to comment', async () => {
      await patch({ showComments: false })
      const { res, json } = await detail()
      expect('comments' in json!).toBe(false)
      expect(json!.canComment).toBe(false)
      expect(res.body).not.toContain('COMMENT_BODY_VALUE')
    })

    it('a type no longer shared is gone: its records 404 like nonexistent ones, and home has no section for it', async () => {
      await patch({ shareable: false, showFiles: true })
      const { res } = await detail()
      expect([res.statusCode, res.body]).toEqual([404, notFoundBody])
      expect((await home()).types).toEqual([])
      const download = await portalGet(t, cookie, `/files/${fileId}/download`)
      expect([download.statusCode, download.body]).toEqual([404, notFoundBody])
    })

    it('sharing it again brings it back for the same session (the change, not the session, was the cause)', async () => {
      await patch({ shareable: true })
      const { json } = await detail()
      expect(json!.id).toBe(s.record.id)
      expect(json!.files!.map((f) => f.id)).toEqual([fileId])
      expect((await portalGet(t, cookie, `/files/${fileId}/download`)).statusCode).toBe(200)
    })
  })
})
