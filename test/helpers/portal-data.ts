// Data and sessions for the portal read-side security tests: a test app that exposes the SQL it runs,
// a row builder that inserts whole datasets in a few batched statements, client sessions through the
// real share → email → exchange flow, and staff Preview sessions.
import { randomUUID } from 'node:crypto'
import { Readable } from 'node:stream'
import type { Database, FieldKind, RecordStatus } from '../../src/server/db/schema.js'
import type { Insertable } from 'kysely'
import type { Deps } from '../../src/server/deps.js'
import { createStaffSession, STAFF_COOKIE } from '../../src/server/staff/sessions.js'
import type { FieldValue } from '../../src/shared/contracts/common.js'
import { buildTestApp, type TestApp } from './app.js'
import type { TestDatabase } from './databases.js'
import { share, signInClient, type Res } from './portal.js'

export type { Res }
type Headers = Record<string, string>

/** The test app; its `queries` log lists every SQL statement executed (reset with `queries.length = 0`). */
export type PortalTestApp = TestApp
export const buildPortalTestApp = (db: TestDatabase): Promise<PortalTestApp> => buildTestApp(db)

export interface Flags {
  shareable: boolean
  showStatus: boolean
  showFiles: boolean
  showComments: boolean
  allowUploads?: boolean
}

type Row<T extends keyof Database> = Insertable<Database[T]>

/** Tables in foreign-key order: flush() inserts them in this order. */
const ORDER = [
  'workspaces',
  'users',
  'companies',
  'contacts',
  'record_types',
  'stages',
  'fields',
  'records',
  'record_values',
  'files',
  'comments',
  'portal_type_settings',
  'portal_visible_fields',
] as const
type Table = (typeof ORDER)[number]

/**
 * Collects rows, then writes them with a few multi-row INSERTs (and the files' bytes to storage).
 * Every method returns the new row's id at once, so datasets read like the data they describe.
 */
export class PortalData {
  private rows: { [T in Table]: Row<T>[] } = Object.fromEntries(ORDER.map((t) => [t, []])) as unknown as { [T in Table]: Row<T>[] }
  private bytes: { key: string; data: Buffer }[] = []
  private seq = 0
  constructor(private readonly now: string) {}

  workspace(o: { name: string; logoUrl?: string | null; brandColor?: string }): string {
    const id = randomUUID()
    const slug = `pd-${id.slice(0, 8)}`
    this.rows.workspaces.push({
      id,
      slug,
      name: o.name,
      logo_url: o.logoUrl ?? null,
      brand_color: o.brandColor ?? '#4f46e5',
      postal_address: '1 Main St, Springfield',
      sender_name: o.name,
      reply_to: null,
      email_footer: null,
      created_at: this.now,
    })
    return id
  }

  /** A staff user. Its password hash is a placeholder: sessions come from staffHeaders(), not sign-in. */
  user(workspaceId: string, o: { name: string; role?: 'admin' | 'member' }): string {
    const id = randomUUID()
    this.rows.users.push({ id, workspace_id: workspaceId, email: `u-${id}@example.com`, name: o.name, role: o.role ?? 'admin', password_hash: 'not-a-password-hash', created_at: this.now })
    return id
  }

  company(workspaceId: string, name: string): string {
    const id = randomUUID()
    this.rows.companies.push({ id, workspace_id: workspaceId, name, domain: null, created_at: this.now, updated_at: this.now })
    return id
  }

  contact(workspaceId: string, companyId: string, o: { name: string; email?: string | null }): string {
    const id = randomUUID()
    this.rows.contacts.push({ id, workspace_id: workspaceId, company_id: companyId, name: o.name, email: o.email === undefined ? `c-${id}@client.example` : o.email, created_at: this.now })
    return id
  }

  type(workspaceId: string, o: { key: string; singular: string; plural: string; hasPipeline: boolean; position?: number }): string {
    const id = randomUUID()
    this.rows.record_types.push({ id, workspace_id: workspaceId, key: o.key, singular: o.singular, plural: o.plural, has_pipeline: o.hasPipeline ? 1 : 0, position: o.position ?? this.seq++ })
    return id
  }

  stage(workspaceId: string, typeId: string, o: { name: string; color?: string; position: number }): string {
    const id = randomUUID()
    this.rows.stages.push({ id, workspace_id: workspaceId, record_type_id: typeId, name: o.name, color: o.color ?? '#336699', position: o.position })
    return id
  }

  field(workspaceId: string, typeId: string, o: { key: string; label: string; kind: FieldKind; options?: string[]; position: number }): string {
    const id = randomUUID()
    this.rows.fields.push({
      id,
      workspace_id: workspaceId,
      record_type_id: typeId,
      key: o.key,
      label: o.label,
      kind: o.kind,
      options: o.options ? JSON.stringify(o.options) : null,
      position: o.position,
    })
    return id
  }

  record(workspaceId: string, o: { typeId: string; companyId: string; name: string; stageId?: string | null; status?: RecordStatus; ownerId?: string | null; createdAt?: string }): string {
    const id = randomUUID()
    const at = o.createdAt ?? this.now
    this.rows.records.push({
      id,
      workspace_id: workspaceId,
      record_type_id: o.typeId,
      company_id: o.companyId,
      name: o.name,
      owner_id: o.ownerId ?? null,
      stage_id: o.stageId ?? null,
      status: o.status ?? 'on_track',
      created_at: at,
      updated_at: at,
    })
    return id
  }

  value(workspaceId: string, recordId: string, fieldId: string, value: FieldValue): void {
    this.rows.record_values.push({ record_id: recordId, field_id: fieldId, workspace_id: workspaceId, value: JSON.stringify(value) })
  }

  file(workspaceId: string, recordId: string, o: { name: string; data?: Buffer; source?: 'team' | 'client'; userId?: string | null; contactId?: string | null; createdAt?: string }): string {
    const id = randomUUID()
    const data = o.data ?? Buffer.from(`bytes of ${id}`)
    const key = `portal-data/${id}`
    this.bytes.push({ key, data })
    this.rows.files.push({
      id,
      workspace_id: workspaceId,
      record_id: recordId,
      name: o.name,
      size: data.length,
      content_type: 'application/pdf',
      storage_provider: 'local',
      storage_key: key,
      source: o.source ?? 'team',
      uploaded_by_user_id: o.userId ?? null,
      uploaded_by_contact_id: o.contactId ?? null,
      created_at: o.createdAt ?? this.now,
    })
    return id
  }

  comment(workspaceId: string, recordId: string, o: { body: string; userId?: string | null; contactId?: string | null; createdAt?: string }): string {
    const id = randomUUID()
    this.rows.comments.push({
      id,
      workspace_id: workspaceId,
      record_id: recordId,
      author_user_id: o.userId ?? null,
      author_contact_id: o.contactId ?? null,
      body: o.body,
      created_at: o.createdAt ?? this.now,
    })
    return id
  }

  settings(workspaceId: string, typeId: string, f: Flags): void {
    this.rows.portal_type_settings.push({
      record_type_id: typeId,
      workspace_id: workspaceId,
      shareable: f.shareable ? 1 : 0,
      show_status: f.showStatus ? 1 : 0,
      show_files: f.showFiles ? 1 : 0,
      show_comments: f.showComments ? 1 : 0,
      allow_uploads: f.allowUploads ? 1 : 0,
      email_on_staff_reply: 0,
    })
  }

  visible(workspaceId: string, typeId: string, fieldIds: string[]): void {
    for (const fieldId of fieldIds) this.rows.portal_visible_fields.push({ field_id: fieldId, workspace_id: workspaceId, record_type_id: typeId })
  }

  /** Writes everything collected so far; the builder can be reused afterwards. */
  async flush(deps: Deps): Promise<void> {
    for (const { key, data } of this.bytes) await deps.storage.put(key, Readable.from([data]))
    this.bytes = []
    await deps.db.transaction().execute(async (trx) => {
      for (const table of ORDER) {
        const rows = this.rows[table] as object[]
        for (let i = 0; i < rows.length; i += 200) {
          await trx
            .insertInto(table)
            .values(rows.slice(i, i + 200) as never)
            .execute()
        }
        this.rows[table] = []
      }
    })
  }
}

/** Headers of a staff session created directly (the sign-in endpoint is rate-limited and hashes slowly). */
export async function staffHeaders(t: TestApp, workspaceId: string, userId: string): Promise<Headers> {
  const { token } = await createStaffSession(t.deps.db, t.deps.clock(), { id: userId, workspace_id: workspaceId })
  return { cookie: `${STAFF_COOKIE}=${token}`, origin: t.deps.config.baseUrl }
}

/**
 * A client's portal cookie through the real flow: staff share → the token in the queued email's text →
 * the link page's POST /portal/session → the portal_sid cookie.
 */
export async function clientCookie(t: TestApp, staff: Headers, companyId: string, contactId: string): Promise<string> {
  const { token } = await share(t, staff, companyId, contactId, 30)
  return signInClient(t, token)
}

export const portalGet = (t: TestApp, cookie: string | undefined, url: string) => t.app.inject({ method: 'GET', url: `/api/portal${url}`, headers: cookie ? { cookie } : {} })

export const previewGet = (t: TestApp, staff: Headers | undefined, companyId: string, url: string) =>
  t.app.inject({ method: 'GET', url: `/api/portal-preview/${companyId}${url}`, headers: staff ? { cookie: staff.cookie! } : {} })

export const patchPortalSettings = (t: TestApp, admin: Headers, typeId: string, body: Record<string, unknown>) =>
  t.app.inject({ method: 'PATCH', url: `/api/v1/portal/settings/${typeId}`, headers: admin, payload: body })

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi
const ISO_DATE = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g

/** Every uuid in a text, lower-cased. */
export const uuidsIn = (text: string): string[] => [...text.matchAll(UUID)].map((m) => m[0].toLowerCase())

/**
 * A JSON value with every uuid replaced by `<id:n>` (n numbers distinct ids in order of first appearance,
 * so references between parts stay visible) and every ISO timestamp by `<date>`.
 */
export function withPlaceholders(value: unknown): unknown {
  const ids = new Map<string, number>()
  const text = JSON.stringify(value)
    .replace(UUID, (id) => {
      if (!ids.has(id)) ids.set(id, ids.size + 1)
      return `<id:${ids.get(id)}>`
    })
    .replace(ISO_DATE, '<date>')
  return JSON.parse(text) as unknown
}

/** Every property name anywhere in a JSON value. */
export function keysDeep(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) keysDeep(v, out)
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.add(k)
      keysDeep(v, out)
    }
  }
  return out
}

export interface PortalEndpoint {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** The path below /api/portal, with `{id}` where an id goes. */
  path: string
}

/** Every client portal endpoint, read from the OpenAPI document, so a route added later is covered too. */
export async function portalEndpoints(t: TestApp): Promise<PortalEndpoint[]> {
  const doc = (await t.app.inject({ url: '/api/docs/json' })).json<{ paths: Record<string, Record<string, unknown>> }>()
  return Object.entries(doc.paths).flatMap(([p, ops]) =>
    p.startsWith('/api/portal/')
      ? Object.keys(ops)
          .filter((m) => m !== 'head')
          .map((m) => ({ method: m.toUpperCase() as PortalEndpoint['method'], path: p.slice('/api/portal'.length) }))
      : [],
  )
}

/** A request to `endpoint` with the given ids filled in and a valid body for the writes we know. */
export function endpointRequest(endpoint: PortalEndpoint, ids: { record: string; file: string }): { method: PortalEndpoint['method']; path: string; payload?: string | object | FormData } {
  const path = endpoint.path.replace('{id}', endpoint.path.startsWith('/files/') ? ids.file : ids.record)
  if (endpoint.method === 'GET' || endpoint.method === 'DELETE') return { method: endpoint.method, path }
  if (endpoint.path.endsWith('/comments')) return { method: endpoint.method, path, payload: { body: 'A comment' } }
  if (endpoint.path.endsWith('/files')) {
    const form = new FormData()
    form.append('file', new Blob([new Uint8Array(Buffer.from('%PDF-1.4 upload'))], { type: 'application/pdf' }), 'upload.pdf')
    return { method: endpoint.method, path, payload: form }
  }
  if (endpoint.path === '/notifications') return { method: endpoint.method, path, payload: { statusChanges: true, commentReplies: true } }
  return { method: endpoint.method, path, ...(endpoint.path === '/sign-out' ? {} : { payload: {} }) }
}
