// The world of the client-upload tests: one workspace whose Projects allow uploads, a record owned by the
// admin and watched by the member, a client signed in through the real share → email → link → session
// flow with the uploads folder `/Client uploads`, and the tools to prove what an upload did (or did not)
// leave behind: a walk of the local storage folder, a dump of every table, real-HTTP streamed uploads.
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { expect } from 'vitest'
import { createWorkspace, type WorkspaceFixture } from '../factories.js'
import { buildTestApp, type TestApp } from './app.js'
import type { TestDatabase } from './databases.js'
import { dumpDatabase, signInClient, staffSession, tokensIn, type Res } from './portal.js'

export type Headers = Record<string, string>
export const MiB = 1024 * 1024
export const MAX_UPLOAD = 50 * MiB
export const UPLOADS_ROOT = '/Client uploads'
export const RECORD_NAME = 'Website redesign'

export interface UploadClient {
  contactId: string
  name: string
  email: string
  grantId: string
  /** The `cookie` request header of the client's portal session. */
  cookie: string
}

export interface UploadWorld {
  t: TestApp
  ws: WorkspaceFixture
  /** Another workspace: its records are never reachable. */
  other: WorkspaceFixture
  admin: Headers
  member: Headers
  origin: string
  /** Bea Buyer of Acme Co, shared with the uploads folder `/Client uploads`. */
  client: UploadClient
  /** The record the client uploads to: Website redesign (Projects), owner admin, watcher member. */
  recordId: string
  close(): Promise<void>
}

export async function buildUploadWorld(db: TestDatabase, env: Record<string, string> = {}, options: { clockAt?: Date } = {}): Promise<UploadWorld> {
  const t = await buildTestApp(db, { env })
  if (options.clockAt) t.clock.set(options.clockAt)
  const ws = await createWorkspace(t.deps)
  const other = await createWorkspace(t.deps)
  const admin = await staffSession(t, ws, ws.admin.id)
  const member = await staffSession(t, ws, ws.member.id)
  expectStatus(await t.app.inject({ method: 'PATCH', url: `/api/v1/portal/settings/${ws.projects.id}`, headers: admin, payload: { allowUploads: true } }), 200)
  expectStatus(await t.app.inject({ method: 'PATCH', url: `/api/v1/records/${ws.record.id}`, headers: admin, payload: { watcherIds: [ws.member.id] } }), 200)
  const client = await shareWithClient(t, admin, ws, { contactId: ws.contact.id, name: 'Bea Buyer', email: ws.contact.email, uploadsFolder: UPLOADS_ROOT })
  return { t, ws, other, admin, member, origin: t.deps.config.baseUrl, client, recordId: ws.record.id, close: () => t.close() }
}

/** Shares the portal of the contact's company (Acme Co unless `companyId`) with `uploadsFolder`, and signs the contact in with the emailed link. */
export async function shareWithClient(
  t: TestApp,
  admin: Headers,
  ws: WorkspaceFixture,
  c: { contactId: string; name: string; email: string; uploadsFolder: string | null; companyId?: string },
): Promise<UploadClient> {
  const before = await emailIds(t)
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/companies/${c.companyId ?? ws.company.id}/portal/share`,
    headers: admin,
    payload: { contactId: c.contactId, expiresInDays: 30, uploadsFolder: c.uploadsFolder },
  })
  expectStatus(res, 200)
  const added = (await t.deps.db.selectFrom('emails').selectAll().where('idempotency_key', 'like', 'portal-link:%').execute()).filter((e) => !before.has(e.id))
  expect(added.map((e) => e.to_address)).toEqual([c.email])
  const [token] = tokensIn(added[0]!.text_body, t.deps.config.baseUrl)
  const link = await t.deps.db.selectFrom('portal_links').select('grant_id').where('id', '=', added[0]!.idempotency_key.slice('portal-link:'.length)).executeTakeFirstOrThrow()
  const grant = await t.deps.db.selectFrom('portal_grants').select('uploads_folder').where('id', '=', link.grant_id).executeTakeFirstOrThrow()
  expect(grant.uploads_folder).toBe(c.uploadsFolder)
  const cookie = await signInClient(t, token!)
  return { contactId: c.contactId, name: c.name, email: c.email, grantId: link.grant_id, cookie }
}

export function expectStatus(res: Res, status: number): Res {
  expect(res.statusCode, res.body).toBe(status)
  return res
}

/** A multipart body with one `file` part, as the portal's drop-zone sends it. */
export function fileForm(bytes: Uint8Array, filename: string, type = 'application/octet-stream'): FormData {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), filename)
  return form
}

export const portalUpload = (w: UploadWorld, bytes: Uint8Array, filename: string, options: { recordId?: string; cookie?: string | null; headers?: Headers; type?: string } = {}) =>
  w.t.app.inject({
    method: 'POST',
    url: `/api/portal/records/${options.recordId ?? w.recordId}/files`,
    headers: { ...(options.cookie === null ? {} : { cookie: options.cookie ?? w.client.cookie }), origin: w.origin, ...options.headers },
    payload: fileForm(bytes, filename, options.type),
  })

export interface PortalFileJson {
  id: string
  name: string
  size: number
  createdAt: string
  source: 'team' | 'client'
  uploadedBy: string
}

export async function portalDetail(w: UploadWorld, recordId = w.recordId, cookie = w.client.cookie): Promise<{ files?: PortalFileJson[]; canUpload: boolean }> {
  const res = expectStatus(await w.t.app.inject({ url: `/api/portal/records/${recordId}`, headers: { cookie } }), 200)
  return res.json()
}

export async function staffFiles(w: UploadWorld, recordId = w.recordId): Promise<Array<PortalFileJson & { contentType: string }>> {
  return expectStatus(await w.t.app.inject({ url: `/api/v1/records/${recordId}/files`, headers: w.admin }), 200).json()
}

export const portalDownload = (w: UploadWorld, fileId: string, cookie = w.client.cookie) => w.t.app.inject({ url: `/api/portal/files/${fileId}/download`, headers: { cookie } })

// ── what is stored ──

export const storageRoot = (t: TestApp) => path.join(t.dataDir, 'storage')
/** The local provider's folder for the record's client uploads. */
export const localUploadDir = (w: UploadWorld, root = UPLOADS_ROOT, record = RECORD_NAME) => path.join(storageRoot(w.t), w.ws.workspaceId, 'shared', root, record, 'client-uploads')

/** Every entry under the local storage folder: directories as `dir/`, files with their size and SHA-256. */
export async function storageTree(t: TestApp): Promise<string[]> {
  const root = storageRoot(t)
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true }).catch(() => [])
  const out: string[] = []
  for (const e of entries) {
    const full = path.join(e.parentPath, e.name)
    const rel = path.relative(root, full)
    if (e.isDirectory()) out.push(`${rel}/`)
    else out.push(`${rel} ${(await fs.stat(full)).size} ${await sha256File(full)}`)
  }
  return out.sort()
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of (await fs.open(file)).createReadStream()) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

/** Files (not folders) in a directory; [] when it does not exist. */
export async function filesIn(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => [])
  return entries
    .filter((e) => e.isFile())
    .map((e) => e.name)
    .sort()
}

export interface Snapshot {
  storage: string[]
  /** Every row of every table (a superset of snapshotTables(), with portal_events and storage_connections). */
  tables: Record<string, Record<string, unknown>[]>
}

export async function snapshot(t: TestApp): Promise<Snapshot> {
  return { storage: await storageTree(t), tables: await dumpDatabase(t.deps) }
}

/** Runs `act` and proves it left the storage folder and every table exactly as they were. */
export async function expectNothingKept<T>(t: TestApp, act: () => Promise<T>): Promise<T> {
  const before = await snapshot(t)
  const result = await act()
  const after = await snapshot(t)
  expect(after.storage).toEqual(before.storage)
  expect(after.tables.portal_events).toEqual(before.tables.portal_events)
  expect(after.tables).toEqual(before.tables)
  return result
}

/** The error body of a rejected request: status, code and the message a person reads. */
export function expectRejected(res: Res, status: number, code: string, message?: string | RegExp): string {
  expect(res.statusCode, res.body).toBe(status)
  const { error } = res.json() as { error: { code: string; message: string } }
  expect(error.code).toBe(code)
  if (message !== undefined) expect(error.message).toMatch(message)
  expect(res.body).not.toMatch(/at .*\.(ts|js):\d+/) // no stack trace
  return error.message
}

// ── uploads over a real socket ──

/** Listens on a free port (once) and returns it. */
export async function listen(t: TestApp): Promise<number> {
  const address = t.app.server.address()
  if (address && typeof address === 'object') return address.port
  await t.app.listen({ port: 0, host: '127.0.0.1' })
  return (t.app.server.address() as AddressInfo).port
}

export interface StreamedUpload {
  status: number
  body: string
  /** Bytes of the file part the client had written when the response arrived. */
  sentBeforeResponse: number
  /** True when the response arrived before the client had ended the request. */
  answeredBeforeEnd: boolean
  /** SHA-256 of every file byte the client sent. */
  sentSha256: string
}

/**
 * A browser-like multipart upload over a real HTTP connection, written chunk by chunk from `body`
 * (never held whole), honouring back-pressure. With `holdOpen`, the closing boundary is not sent until
 * the server has answered: a 413 that arrives proves the limit was enforced while streaming. With
 * `abortAfter`, the client destroys the socket after that many file bytes (and `onAbort` runs first).
 */
export function streamUpload(
  port: number,
  opts: {
    url: string
    headers: Headers
    filename: string
    body: Readable
    holdOpen?: boolean
    abortAfter?: number
    beforeAbort?: () => Promise<void>
  },
): Promise<StreamedUpload> {
  const boundary = '----coeffection-upload-test'
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${opts.filename}"\r\nContent-Type: application/pdf\r\n\r\n`)
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
  const hash = createHash('sha256')
  let sent = 0
  let ended = false
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      path: opts.url,
      method: 'POST',
      headers: { ...opts.headers, 'content-type': `multipart/form-data; boundary=${boundary}`, 'transfer-encoding': 'chunked' },
    })
    let responded = false
    req.on('response', (res) => {
      responded = true
      const sentBeforeResponse = sent
      const answeredBeforeEnd = !ended
      const chunks: Buffer[] = []
      let settled = false
      const done = () => {
        if (settled) return
        settled = true
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), sentBeforeResponse, answeredBeforeEnd, sentSha256: hash.digest('hex') })
        req.destroy()
      }
      res.on('data', (c: Buffer) => chunks.push(c))
      res.once('end', done)
      res.once('close', done)
    })
    // Once the server has answered (say 413 while we were still sending), the rest of our body may hit a closed socket.
    req.on('error', (err) => {
      if (responded || opts.abortAfter !== undefined) return
      reject(err)
    })
    const write = (chunk: Buffer) =>
      new Promise<void>((ok) => {
        if (req.destroyed || req.write(chunk)) return ok()
        req.once('drain', ok)
        req.once('close', ok)
      })
    void (async () => {
      await write(head)
      for await (const piece of opts.body) {
        if (req.destroyed) return
        let chunk = piece as Buffer
        if (opts.abortAfter !== undefined && sent + chunk.length >= opts.abortAfter) {
          chunk = chunk.subarray(0, opts.abortAfter - sent)
          await write(chunk)
          sent += chunk.length
          await opts.beforeAbort?.()
          req.destroy()
          resolve({ status: 0, body: '', sentBeforeResponse: sent, answeredBeforeEnd: true, sentSha256: '' })
          return
        }
        if (responded) return
        hash.update(chunk)
        await write(chunk)
        sent += chunk.length
      }
      if (opts.holdOpen || req.destroyed || responded) return
      ended = true
      req.end(tail)
    })().catch(reject)
  })
}

/** Waits until `check` passes (polling), for effects that finish after a response or an abort. */
export async function eventually(check: () => Promise<void>, timeoutMs = 5_000): Promise<void> {
  const start = Date.now()
  for (;;) {
    try {
      await check()
      return
    } catch (err) {
      if (Date.now() - start > timeoutMs) throw err
      await new Promise((r) => setTimeout(r, 25))
    }
  }
}

/** Rows of `emails` queued after `since` (their ids), for the owner and watcher notifications. */
export async function emailsSince(t: TestApp, knownIds: Set<string>): Promise<Array<{ to_address: string; subject: string; text_body: string }>> {
  const rows = await t.deps.db.selectFrom('emails').select(['id', 'to_address', 'subject', 'text_body']).execute()
  return rows.filter((r) => !knownIds.has(r.id))
}

export async function emailIds(t: TestApp): Promise<Set<string>> {
  return new Set((await t.deps.db.selectFrom('emails').select('id').execute()).map((r) => r.id))
}

// ── Dropbox ──

/** The app's configuration for a Dropbox app served by the fake. */
export function dropboxEnv(fake: { app: { key: string; secret: string }; apiUrl: string; contentUrl: string; tokenUrl: string; authorizeUrl: string }, encryptionKey: string): Record<string, string> {
  return {
    DROPBOX_APP_KEY: fake.app.key,
    DROPBOX_APP_SECRET: fake.app.secret,
    TOKEN_ENCRYPTION_KEY: encryptionKey,
    DROPBOX_API_URL: fake.apiUrl,
    DROPBOX_CONTENT_URL: fake.contentUrl,
    DROPBOX_TOKEN_URL: fake.tokenUrl,
    DROPBOX_AUTHORIZE_URL: fake.authorizeUrl,
  }
}

/** Step 1 of the connect flow as the Settings page does it: where the admin's browser is sent. */
export async function startDropboxConnect(w: UploadWorld, headers: Headers = w.admin): Promise<URL> {
  const res = expectStatus(await w.t.app.inject({ method: 'POST', url: '/api/v1/storage/dropbox/connect', headers }), 200)
  return new URL(res.json().authorizeUrl as string)
}

/** The browser at Dropbox: the fake's authorize page approves at once and redirects back with code and state. */
export async function approveAtDropbox(authorizeUrl: URL): Promise<{ code: string; state: string; callback: URL }> {
  const res = await fetch(authorizeUrl, { redirect: 'manual' })
  expect(res.status, await res.clone().text()).toBe(302)
  const callback = new URL(res.headers.get('location')!)
  return { code: callback.searchParams.get('code')!, state: callback.searchParams.get('state')!, callback }
}

/** Step 2: the browser comes back to our callback with the admin's session; answers with a redirect to Settings. */
export const dropboxCallback = (w: UploadWorld, query: Record<string, string>, headers: Headers = w.admin) =>
  w.t.app.inject({ url: `/api/v1/storage/dropbox/callback?${new URLSearchParams(query).toString()}`, headers })

export interface StorageStatusJson {
  provider: 'local' | 'dropbox'
  dropboxAvailable: boolean
  dropbox: { accountName: string; accountEmail: string; status: 'connected' | 'broken'; brokenReason: string | null; connectedAt: string } | null
}

export async function storageStatus(w: UploadWorld, headers: Headers = w.admin): Promise<StorageStatusJson> {
  return expectStatus(await w.t.app.inject({ url: '/api/v1/storage', headers }), 200).json()
}
