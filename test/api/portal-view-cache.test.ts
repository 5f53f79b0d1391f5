// The portal's view cache is never stale: every write that changes what a client sees — record,
// stage, status, field value, file, comment, settings, branding, record type — shows on the very
// next view, and a revoke ends the cached view at once. Each case warms the cache first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabases } from '../helpers/databases.js'
import { buildPortalWorld, revoke, share, signInClient, type PortalWorld } from '../helpers/portal.js'

type View = { home: string; detail: string }

describe.each(testDatabases)('portal view cache on $name', (db) => {
  let w: PortalWorld
  let cookie: string
  let grantId: string
  const record = () => w.ws.record.id
  const view = async (): Promise<View> => {
    const home = await w.t.app.inject({ url: '/api/portal/home', headers: { cookie } })
    const detail = await w.t.app.inject({ url: `/api/portal/records/${record()}`, headers: { cookie } })
    expect(home.statusCode).toBe(200)
    expect(detail.statusCode).toBe(200)
    return { home: home.body, detail: detail.body }
  }
  const staff = (method: string, url: string, payload?: unknown) => w.t.app.inject({ method: method as 'POST', url, headers: w.adminHeaders, ...(payload !== undefined && { payload: payload as object }) })

  beforeAll(async () => {
    w = await buildPortalWorld(db)
    const settings = (await staff('GET', '/api/v1/portal/settings')).json() as { typeId: string; key: string }[]
    const projects = settings.find((s) => s.key === 'projects')!
    await staff('PATCH', `/api/v1/portal/settings/${projects.typeId}`, { showStatus: true, visibleFieldIds: [w.ws.projects.fieldIds.notes] })
    const sent = await share(w.t, w.adminHeaders, w.ws.company.id, w.ws.contact.id)
    grantId = sent.grantId
    cookie = await signInClient(w.t, sent.token)
  })
  afterAll(() => w.t.close())

  const cases: [string, () => Promise<unknown>, (v: View) => void][] = [
    ['record renamed', () => staff('PATCH', `/api/v1/records/${record()}`, { name: 'Renamed project' }), (v) => expect(v.home).toContain('Renamed project')],
    ['stage changed', () => staff('PATCH', `/api/v1/records/${record()}`, { stageId: w.ws.projects.stageIds[1] }), (v) => expect(JSON.parse(v.detail).stage.name).toBe('Doing')],
    ['status changed', () => staff('PATCH', `/api/v1/records/${record()}`, { status: 'at_risk' }), (v) => expect(JSON.parse(v.detail).status).toBe('at_risk')],
    ['visible field value changed', () => staff('PATCH', `/api/v1/records/${record()}`, { values: { notes: 'Fresh note for the client' } }), (v) => expect(v.detail).toContain('Fresh note for the client')],
    ['file uploaded by staff', async () => {
      const form = new FormData()
      form.append('file', new Blob([new Uint8Array(Buffer.from('%PDF-1.4 brief'))]), 'fresh-brief.pdf')
      return w.t.app.inject({ method: 'POST', url: `/api/v1/records/${record()}/files`, headers: w.adminHeaders, payload: form })
    }, (v) => expect(v.detail).toContain('fresh-brief.pdf')],
    ['staff comment', () => staff('POST', `/api/v1/records/${record()}/comments`, { body: 'A brand new staff comment' }), (v) => expect(v.detail).toContain('A brand new staff comment')],
    ['stage renamed in record types', () => staff('PATCH', `/api/v1/record-types/${w.ws.projects.id}/stages/${w.ws.projects.stageIds[1]}`, { name: 'In progress' }), (v) => expect(JSON.parse(v.detail).stage.name).toBe('In progress')],
    ['field relabelled', () => staff('PATCH', `/api/v1/record-types/${w.ws.projects.id}/fields/${w.ws.projects.fieldIds.notes}`, { label: 'Client notes' }), (v) => expect(v.detail).toContain('Client notes')],
    ['field hidden in settings', async () => {
      const settings = (await staff('GET', '/api/v1/portal/settings')).json() as { typeId: string; key: string }[]
      return staff('PATCH', `/api/v1/portal/settings/${settings.find((s) => s.key === 'projects')!.typeId}`, { visibleFieldIds: [] })
    }, (v) => expect(v.detail).not.toContain('Fresh note for the client')],
    ['status hidden in settings', async () => {
      const settings = (await staff('GET', '/api/v1/portal/settings')).json() as { typeId: string; key: string }[]
      return staff('PATCH', `/api/v1/portal/settings/${settings.find((s) => s.key === 'projects')!.typeId}`, { showStatus: false })
    }, (v) => {
      expect('status' in JSON.parse(v.detail)).toBe(false)
      expect(v.home).not.toContain('statusRollup')
    }],
  ]

  for (const [name, change, check] of cases) {
    it(`${name}: the next view shows it`, async () => {
      const before = await view()
      expect(await view()).toEqual(before) // warm: served from the cache
      const res = (await change()) as { statusCode?: number; body?: string } | undefined
      if (res?.statusCode !== undefined) expect(res.statusCode, res.body).toBeLessThan(300)
      const after = await view()
      expect(after).not.toEqual(before)
      await check(after)
    })
  }

  it('company renamed: /me shows the new name at once', async () => {
    expect((await w.t.app.inject({ url: '/api/portal/me', headers: { cookie } })).json().company.name).toBe('Acme Co')
    expect((await staff('PATCH', `/api/v1/companies/${w.ws.company.id}`, { name: 'Acme Renamed' })).statusCode).toBe(200)
    expect((await w.t.app.inject({ url: '/api/portal/me', headers: { cookie } })).json().company.name).toBe('Acme Renamed')
  })

  it('a revoke ends the cached view at once', async () => {
    await view()
    expect((await revoke(w.t, w.adminHeaders, grantId)).statusCode).toBe(200)
    expect((await w.t.app.inject({ url: '/api/portal/home', headers: { cookie } })).statusCode).toBe(401)
    expect((await w.t.app.inject({ url: `/api/portal/records/${record()}`, headers: { cookie } })).statusCode).toBe(401)
  })
})
