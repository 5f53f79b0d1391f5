// Property: whatever the workspaces, companies, record types, fields, settings, records, files and
// comments, a client of company C in workspace W receives — in any byte of any portal response (home,
// every record detail and its 404, every download's headers and its 404, /me) — only what C may see:
// C's own name, W's name, shared types' names and stages, visible fields of C's records of shared types,
// and their files and comments when the type shows them. Every value is a unique sentinel string
// (SENTINEL_<n>_x), so any leak is found by a regex; every id in a response must be one C may see too.
// Invariants 1–3; checklist C1, C2, C5.
import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FieldKind, RecordStatus } from '../../src/server/db/schema.js'
import type { FieldValue } from '../../src/shared/contracts/common.js'
import type { PortalHome, PortalMe, PortalRecordDetail } from '../../src/shared/contracts/portal.js'
import { testDatabases } from '../helpers/databases.js'
import { buildPortalTestApp, clientCookie, keysDeep, PortalData, portalGet, previewGet, staffHeaders, uuidsIn, type Flags, type PortalTestApp, type Res } from '../helpers/portal-data.js'

const NUM_RUNS = 25
const KINDS: FieldKind[] = ['text', 'long_text', 'number', 'currency', 'date', 'select', 'url', 'checkbox', 'user']
const STATUSES: RecordStatus[] = ['on_track', 'at_risk', 'off_track', 'done']

// ── the generated shape (values are filled in with fresh sentinels when the shape is built) ──

const flagsArb = fc.record({ shareable: fc.boolean(), showStatus: fc.boolean(), showFiles: fc.boolean(), showComments: fc.boolean() })
const typeArb = fc.record({
  projects: fc.boolean(), // asks for the key 'projects' (shared by default); only the first such type of a workspace gets it
  hasPipeline: fc.boolean(),
  stages: fc.integer({ min: 1, max: 3 }),
  strayStages: fc.boolean(), // stages rows under a type without a pipeline: never shown
  fields: fc.array(fc.record({ kind: fc.constantFrom(...KINDS), visible: fc.boolean() }), { maxLength: 4 }),
  settings: fc.option(flagsArb, { nil: null }), // null: no settings row, the defaults apply
})
const authorArb = fc.record({ client: fc.boolean(), who: fc.nat(5) })
const recordArb = fc.record({
  company: fc.nat(5),
  type: fc.nat(5),
  stage: fc.option(fc.nat(5), { nil: null }),
  status: fc.constantFrom(...STATUSES),
  values: fc.array(fc.option(fc.nat(99), { nil: null }), { minLength: 4, maxLength: 4 }), // per field: no row, or a value seed
  files: fc.array(authorArb, { maxLength: 2 }),
  comments: fc.array(authorArb, { maxLength: 2 }),
})
const workspaceArb = fc.record({
  companies: fc.integer({ min: 2, max: 3 }),
  users: fc.integer({ min: 1, max: 2 }),
  types: fc.array(typeArb, { minLength: 1, maxLength: 3 }),
  records: fc.array(recordArb, { maxLength: 8 }),
})
type WorkspaceShape = typeof workspaceArb extends fc.Arbitrary<infer T> ? T : never

// ── the model of what was built ──

let counter = 0
const S = () => `SENTINEL_${++counter}_x`
const SENTINEL = /SENTINEL_(\d+)_x/gi
const sentinelsIn = (text: string) => [...text.matchAll(SENTINEL)].map((m) => Number(m[1]))

interface MField {
  id: string
  key: string
  label: string
  kind: FieldKind
  visible: boolean
}
interface MType {
  id: string
  key: string
  singular: string
  plural: string
  hasPipeline: boolean
  position: number
  stages: { id: string; name: string; color: string }[]
  strayStages: { id: string; name: string }[]
  fields: MField[]
  flags: Flags
}
interface MRecord {
  id: string
  name: string
  type: MType
  companyId: string
  stageId: string | null
  status: RecordStatus
  values: Map<string, FieldValue>
  files: { id: string; name: string; data: Buffer; by: string }[]
  comments: { id: string; body: string; by: string }[]
}
interface MCompany {
  id: string
  name: string
  contacts: { id: string; name: string; email: string }[]
}
interface MWorkspace {
  id: string
  name: string
  users: { id: string; name: string }[]
  companies: MCompany[]
  types: MType[]
  records: MRecord[]
  staff: Record<string, string>
}

const defaults = (key: string): Flags => ({ shareable: key === 'projects', showStatus: false, showFiles: true, showComments: true })
const pad = (n: number) => String(n).padStart(2, '0')

function valueFor(kind: FieldKind, seed: number, ws: MWorkspace, other: MWorkspace): FieldValue {
  if (seed % 10 === 9) return null // a stored JSON null: no entry
  if (seed % 10 === 8) return S() // a legacy or imported value of the wrong type for its kind: still only shown when visible, never a 500
  switch (kind) {
    case 'text':
    case 'long_text':
    case 'select':
      return S()
    case 'url':
      return [`https://example.com/${S()}/`, `http://example.com/${S()}`, `mailto:${S()}@example.com`][seed % 3]!
    case 'number':
      return seed * 7.5
    case 'currency':
      return seed * 12345
    case 'date':
      return `2026-${pad((seed % 12) + 1)}-${pad((seed % 28) + 1)}`
    case 'checkbox':
      return seed % 2 === 0
    case 'user':
      // sometimes a user of the OTHER workspace: its name must not be looked up across tenants
      return seed % 3 === 2 ? other.users[seed % other.users.length]!.id : ws.users[seed % ws.users.length]!.id
  }
}

/** Builds two workspaces from their shapes with fresh sentinels; returns the model. */
async function build(t: PortalTestApp, shapes: [WorkspaceShape, WorkspaceShape]): Promise<[MWorkspace, MWorkspace]> {
  const d = new PortalData(t.deps.clock().toISOString())
  const wss = shapes.map((shape): MWorkspace => {
    const wsName = S()
    const id = d.workspace({ name: wsName })
    const users = Array.from({ length: shape.users }, (_, i) => {
      const name = S()
      return { id: d.user(id, { name, role: i === 0 ? 'admin' : 'member' }), name }
    })
    const companies = Array.from({ length: shape.companies }, (): MCompany => {
      const name = S()
      const cid = d.company(id, name)
      const contacts = [0, 1].map(() => {
        const c = { name: S(), email: `${S()}@client.example` }
        return { ...c, id: d.contact(id, cid, c) }
      })
      return { id: cid, name, contacts }
    })
    let projectsTaken = false
    const types = shape.types.map((ts, position): MType => {
      const key = ts.projects && !projectsTaken ? 'projects' : `t_${S()}`.toLowerCase()
      if (key === 'projects') projectsTaken = true
      const type = { key, singular: S(), plural: S(), hasPipeline: ts.hasPipeline }
      const typeId = d.type(id, { ...type, position })
      const stages = ts.hasPipeline ? Array.from({ length: ts.stages }, (_, i) => ({ name: S(), color: `#00000${i}`, position: i })).map((s) => ({ ...s, id: d.stage(id, typeId, s) })) : []
      const strayStages = !ts.hasPipeline && ts.strayStages ? [{ name: S(), position: 0 }].map((s) => ({ ...s, id: d.stage(id, typeId, s) })) : []
      const fields = ts.fields.map((f, i): MField => {
        const field = { key: `f_${S()}`.toLowerCase(), label: S(), kind: f.kind, position: i }
        return { ...field, id: d.field(id, typeId, field), visible: f.visible }
      })
      if (ts.settings) d.settings(id, typeId, ts.settings)
      d.visible(
        id,
        typeId,
        fields.filter((f) => f.visible).map((f) => f.id),
      )
      return { id: typeId, ...type, position, stages, strayStages, fields, flags: ts.settings ?? defaults(key) }
    })
    return { id, name: wsName, users, companies, types, records: [], staff: {} }
  }) as [MWorkspace, MWorkspace]
  for (const [i, shape] of shapes.entries()) {
    const ws = wss[i]!
    const other = wss[1 - i]!
    for (const rs of shape.records) {
      const type = ws.types[rs.type % ws.types.length]!
      const company = ws.companies[rs.company % ws.companies.length]!
      const stages = type.hasPipeline ? type.stages : type.strayStages
      const stageId = rs.stage === null || stages.length === 0 ? null : stages[rs.stage % stages.length]!.id
      const name = S()
      const recordId = d.record(ws.id, { typeId: type.id, companyId: company.id, name, stageId, status: rs.status, ownerId: ws.users[0]!.id })
      const values = new Map<string, FieldValue>()
      for (const [fi, field] of type.fields.entries()) {
        const seed = rs.values[fi]
        if (seed === null || seed === undefined) continue
        const value = valueFor(field.kind, seed, ws, other)
        values.set(field.id, value)
        d.value(ws.id, recordId, field.id, value)
      }
      const files = rs.files.map((a) => {
        const name = `${S()}.pdf`
        const data = Buffer.from(`bytes ${randomUUID()}`)
        if (a.client) {
          const c = company.contacts[a.who % company.contacts.length]!
          return { id: d.file(ws.id, recordId, { name, data, source: 'client', contactId: c.id }), name, data, by: c.name }
        }
        const u = ws.users[a.who % ws.users.length]!
        return { id: d.file(ws.id, recordId, { name, data, source: 'team', userId: u.id }), name, data, by: u.name }
      })
      const comments = rs.comments.map((a, ci) => {
        const body = `${S()} said the team`
        const createdAt = new Date(t.deps.clock().getTime() + ci * 1000).toISOString()
        if (a.client) {
          const c = company.contacts[a.who % company.contacts.length]!
          return { id: d.comment(ws.id, recordId, { body, contactId: c.id, createdAt }), body, by: c.name }
        }
        const u = ws.users[a.who % ws.users.length]!
        return { id: d.comment(ws.id, recordId, { body, userId: u.id, createdAt }), body, by: u.name }
      })
      ws.records.push({ id: recordId, name, type, companyId: company.id, stageId, status: rs.status, values, files, comments })
    }
  }
  await d.flush(t.deps)
  for (const ws of wss) ws.staff = await staffHeaders(t, ws.id, ws.users[0]!.id)
  return wss
}

// ── what company C of workspace W may see ──

interface Allowed {
  sentinels: Set<number>
  ids: Set<string>
  records: MRecord[]
  shared: MType[]
}

const isEmpty = (v: FieldValue | undefined) => v === undefined || v === null || v === ''
const visibleKeys = (r: MRecord) => r.type.fields.filter((f) => f.visible && !isEmpty(r.values.get(f.id))).map((f) => f.key)

function allowedFor(ws: MWorkspace, company: MCompany): Allowed {
  const texts: string[] = [ws.name, company.name, company.contacts[0]!.name, company.contacts[0]!.email]
  const ids = new Set<string>()
  const shared = ws.types.filter((t) => t.flags.shareable)
  for (const t of shared) {
    texts.push(t.key, t.singular, t.plural)
    if (t.hasPipeline) {
      for (const s of t.stages) {
        texts.push(s.name)
        ids.add(s.id)
      }
    }
    for (const f of t.fields.filter((f) => f.visible)) texts.push(f.key, f.label)
  }
  const records = ws.records.filter((r) => r.companyId === company.id && r.type.flags.shareable)
  for (const r of records) {
    texts.push(r.name)
    ids.add(r.id)
    for (const f of r.type.fields.filter((f) => f.visible)) {
      const v = r.values.get(f.id)
      if (f.kind === 'user') texts.push(ws.users.find((u) => u.id === v)?.name ?? '')
      else if (typeof v === 'string') texts.push(v)
    }
    if (r.type.flags.showFiles) {
      for (const f of r.files) {
        texts.push(f.name, f.by)
        ids.add(f.id)
      }
    }
    if (r.type.flags.showComments) {
      for (const c of r.comments) {
        texts.push(c.body, c.by)
        ids.add(c.id)
      }
    }
  }
  return { sentinels: new Set(texts.flatMap(sentinelsIn)), ids, records, shared }
}

/** Nothing in the bytes of `res` (status line aside: body and every header) that C may not see. */
function expectNoLeak(what: string, res: Res, allowed: Allowed, options: { body?: boolean } = {}) {
  const text = `${JSON.stringify(res.headers)}\n${options.body === false ? '' : res.body}`
  const leaked = sentinelsIn(text).filter((n) => !allowed.sentinels.has(n))
  expect(leaked, `${what} leaks sentinels ${leaked.join(', ')}: ${text.slice(0, 2000)}`).toEqual([])
  const foreignIds = uuidsIn(text).filter((id) => !allowed.ids.has(id))
  expect(foreignIds, `${what} leaks ids: ${text.slice(0, 2000)}`).toEqual([])
}

function expectHomeShape(home: PortalHome, allowed: Allowed) {
  expect(home.types.map((s) => s.key)).toEqual(allowed.shared.map((t) => t.key))
  for (const [i, section] of home.types.entries()) {
    const t = allowed.shared[i]!
    const expected = allowed.records.filter((r) => r.type === t)
    expect([section.singular, section.plural, section.hasPipeline]).toEqual([t.singular, t.plural, t.hasPipeline])
    expect(section.records.map((c) => c.id).sort()).toEqual(expected.map((r) => r.id).sort())
    const hiddenKeys = t.fields.filter((f) => !f.visible).map((f) => f.key)
    const allKeys = keysDeep(section)
    for (const key of hiddenKeys) expect(allKeys.has(key), `hidden field key ${key} is a property`).toBe(false)
    for (const card of section.records) {
      const r = expected.find((x) => x.id === card.id)!
      expect(card.name).toBe(r.name)
      expect(card.summary.map((f) => f.key)).toEqual(visibleKeys(r).slice(0, 3))
      for (const f of card.summary) expect(hiddenKeys).not.toContain(f.key)
      expect('status' in card, 'card status iff Show status').toBe(t.flags.showStatus)
      if (t.flags.showStatus) expect(card.status).toBe(r.status)
      expect('fileCount' in card, 'card fileCount iff Show files').toBe(t.flags.showFiles)
      if (t.flags.showFiles) expect(card.fileCount).toBe(r.files.length)
      expect(card.stageId).toBe(t.hasPipeline ? r.stageId : null)
    }
    if (!t.hasPipeline) {
      expect(section.stages).toEqual([])
      continue
    }
    expect(section.stages.map((s) => [s.id, s.name, s.color])).toEqual(t.stages.map((s) => [s.id, s.name, s.color]))
    for (const stage of section.stages) {
      const inStage = expected.filter((r) => r.stageId === stage.id)
      expect(stage.count).toBe(inStage.length)
      expect('statusRollup' in stage, 'rollup iff Show status').toBe(t.flags.showStatus)
      expect('fileCount' in stage, 'stage fileCount iff Show files').toBe(t.flags.showFiles)
      if (t.flags.showFiles) expect(stage.fileCount).toBe(inStage.reduce((n, r) => n + r.files.length, 0))
    }
  }
}

function expectDetailShape(detail: PortalRecordDetail, r: MRecord, client: boolean) {
  const t = r.type
  expect([detail.id, detail.name, detail.type.key]).toEqual([r.id, r.name, t.key])
  const stage = t.hasPipeline ? t.stages.find((s) => s.id === r.stageId) : undefined
  expect(detail.stage).toEqual(stage ? { name: stage.name, color: stage.color } : null)
  expect('status' in detail, 'status iff Show status').toBe(t.flags.showStatus)
  expect(detail.fields.map((f) => f.key)).toEqual(visibleKeys(r))
  const hiddenKeys = t.fields.filter((f) => !f.visible).map((f) => f.key)
  const allKeys = keysDeep(detail)
  for (const key of hiddenKeys) expect(allKeys.has(key)).toBe(false)
  for (const f of detail.fields) {
    const field = t.fields.find((x) => x.key === f.key)!
    if (['text', 'long_text', 'select'].includes(field.kind)) expect(f.display).toBe(r.values.get(field.id))
  }
  expect('files' in detail, 'files iff Show files').toBe(t.flags.showFiles)
  if (detail.files) expect(detail.files.map((f) => [f.id, f.name, f.uploadedBy]).sort()).toEqual(r.files.map((f) => [f.id, f.name, f.by]).sort())
  expect('comments' in detail, 'comments iff Show comments').toBe(t.flags.showComments)
  if (detail.comments) expect(detail.comments.map((c) => [c.id, c.body, c.authorName])).toEqual(r.comments.map((c) => [c.id, c.body, c.by]))
  expect(detail.canComment).toBe(client && t.flags.showComments)
  expect(detail.canUpload).toBe(false)
}

describe.each(testDatabases)('portal leaks (property) on $name', (db) => {
  let t: PortalTestApp
  const stats = { runs: 0, viewers: 0, requests: 0, leaksChecked: 0 }
  beforeAll(async () => {
    t = await buildPortalTestApp(db)
  })
  afterAll(async () => {
    await t.close()
  })

  it(`no response a client or a Preview can get carries a sentinel or an id the company may not see (${NUM_RUNS} runs)`, async () => {
    const started = Date.now()
    await fc.assert(
      fc.asyncProperty(fc.tuple(workspaceArb, workspaceArb), async (shapes) => {
        stats.runs++
        const wss = await build(t, shapes)
        const allRecords = wss.flatMap((w) => w.records)
        const allFiles = allRecords.flatMap((r) => r.files.map((f) => ({ ...f, record: r })))
        type Viewer = { what: string; ws: MWorkspace; company: MCompany; get: (url: string) => Promise<Res> }
        const viewers: Viewer[] = []
        for (const ws of wss) {
          for (const company of ws.companies) {
            const cookie = await clientCookie(t, ws.staff, company.id, company.contacts[0]!.id)
            viewers.push({ what: 'client', ws, company, get: (url) => portalGet(t, cookie, url) })
          }
          viewers.push({ what: 'preview', ws, company: ws.companies[0]!, get: (url) => previewGet(t, ws.staff, ws.companies[0]!.id, url) })
        }
        for (const v of viewers) {
          stats.viewers++
          const allowed = allowedFor(v.ws, v.company)
          const client = v.what === 'client'
          const check = (what: string, res: Res, options?: { body?: boolean }) => {
            stats.requests++
            stats.leaksChecked++
            expectNoLeak(`${v.what} ${what}`, res, allowed, options)
          }

          const me = await v.get('/me')
          expect(me.statusCode).toBe(200)
          check('/me', me)
          const meBody = me.json<PortalMe>()
          expect([meBody.workspace.name, meBody.company.name, meBody.preview]).toEqual([v.ws.name, v.company.name, !client])
          if (client) expect(meBody.contact).toEqual({ name: v.company.contacts[0]!.name, email: v.company.contacts[0]!.email })

          const home = await v.get('/home')
          expect(home.statusCode, home.body).toBe(200)
          check('/home', home)
          expectHomeShape(home.json<PortalHome>(), allowed)

          const missingRecord = await v.get(`/records/${randomUUID()}`)
          expect(missingRecord.statusCode).toBe(404)
          check('missing record', missingRecord)
          const missingFile = await v.get(`/files/${randomUUID()}/download`)
          expect(missingFile.statusCode).toBe(404)
          check('missing file', missingFile)
          expect(missingFile.body).toBe(missingRecord.body)

          for (const r of allRecords) {
            const res = await v.get(`/records/${r.id}`)
            check(`/records/${r.id}`, res)
            if (allowed.records.includes(r)) {
              expect(res.statusCode, res.body).toBe(200)
              expectDetailShape(res.json<PortalRecordDetail>(), r, client)
            } else {
              expect(res.statusCode).toBe(404)
              expect(res.body).toBe(missingRecord.body)
            }
          }
          for (const f of allFiles) {
            const res = await v.get(`/files/${f.id}/download`)
            if (allowed.records.includes(f.record) && f.record.type.flags.showFiles) {
              expect(res.statusCode, res.body).toBe(200)
              check(`download ${f.id} headers`, res, { body: false })
              expect(res.headers['content-disposition']).toContain(f.name)
              expect(res.rawPayload.equals(f.data)).toBe(true)
            } else {
              check(`download ${f.id}`, res)
              expect(res.statusCode).toBe(404)
              expect(res.body).toBe(missingRecord.body)
            }
          }
        }
      }),
      { numRuns: NUM_RUNS },
    )
    const seconds = (Date.now() - started) / 1000
    console.info(`[portal-leaks ${db.name}] ${stats.runs} runs, ${stats.viewers} viewers, ${stats.requests} responses scanned in ${seconds.toFixed(1)} s`)
    expect(stats.runs).toBeGreaterThanOrEqual(NUM_RUNS)
    expect(stats.requests).toBeGreaterThan(NUM_RUNS * 10)
  }, 240_000)
})
