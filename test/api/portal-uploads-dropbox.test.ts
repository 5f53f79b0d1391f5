// Issue 6, Dropbox provider, against the local fake of Dropbox's HTTP API v2: the real OAuth connect
// flow (PKCE, state bound to the admin, tokens encrypted at rest), client uploads through upload
// sessions into /{root}/{Record}/client-uploads (autorename on a clash), the folder browser,
// downloads by temporary-link redirect, and the failure paths: an oversized, invalid or aborted upload
// never reaches `finish`; an expired token is refreshed mid-upload; a revoked one breaks the connection.
import { randomBytes } from 'node:crypto'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decryptSecret } from '../../src/server/storage/dropbox-oauth.js'
import { startDropboxFake, type DropboxFake } from '../fakes/dropbox-server.js'
import { generatedStream, sampleExe, samplePdf, samplePng } from '../fakes/sample-files.js'
import { testDatabases } from '../helpers/databases.js'
import { staffSession, whereStored } from '../helpers/portal.js'
import {
  MAX_UPLOAD,
  MiB,
  RECORD_NAME,
  UPLOADS_ROOT,
  approveAtDropbox,
  buildUploadWorld,
  dropboxCallback,
  dropboxEnv,
  eventually,
  expectRejected,
  expectStatus,
  filesIn,
  listen,
  localUploadDir,
  portalDetail,
  portalDownload,
  portalUpload,
  sha256,
  snapshot,
  staffFiles,
  startDropboxConnect,
  storageStatus,
  storageTree,
  streamUpload,
  type UploadWorld,
} from '../helpers/uploads.js'

const FOLDER = `${UPLOADS_ROOT}/${RECORD_NAME}/client-uploads`
const SETTINGS = '/app/settings/storage'

describe.each(testDatabases)('client uploads into Dropbox on $name', (db) => {
  let fake: DropboxFake
  let w: UploadWorld
  const key = randomBytes(32).toString('hex')
  beforeAll(async () => {
    fake = await startDropboxFake({ account: { displayName: 'Ada Lovelace', email: 'ada@example.com' } })
    // The app's clock starts at the real time: token expiry is computed from the time of the token response.
    w = await buildUploadWorld(db, dropboxEnv(fake, key), { clockAt: new Date() })
  })
  afterAll(async () => {
    await w.close()
    await fake.close()
  })

  const connection = () => w.t.deps.db.selectFrom('storage_connections').selectAll().where('workspace_id', '=', w.ws.workspaceId).executeTakeFirst()
  const accessToken = async () => decryptSecret((await connection())!.access_token_enc, key, w.ws.workspaceId)
  /** Everything the fake Dropbox holds: folders as `path/`, files with size and SHA-256. */
  const dropboxTree = () =>
    [...[...fake.state.folders.values()].map((f) => `${f.pathDisplay}/`), ...[...fake.state.files.values()].map((f) => `${f.pathDisplay} ${f.bytes.length} ${sha256(f.bytes)}`)].sort()
  const requestCount = () => fake.state.requests.length
  const routesSince = (n: number) => fake.state.requests.slice(n).map((r) => r.route)
  /** Runs `act` and proves that Dropbox, the local folder and every table are as before. */
  async function expectNothingStored<T>(act: () => Promise<T>): Promise<T> {
    const before = { dropbox: dropboxTree(), local: await snapshot(w.t) }
    const result = await act()
    expect(dropboxTree()).toEqual(before.dropbox)
    const after = await snapshot(w.t)
    expect(after.storage).toEqual(before.local.storage)
    expect(after.tables.portal_events).toEqual(before.local.tables.portal_events)
    expect(after.tables).toEqual(before.local.tables)
    return result
  }
  async function connect(): Promise<void> {
    const { code, state } = await approveAtDropbox(await startDropboxConnect(w))
    const res = await dropboxCallback(w, { code, state })
    expect(res.statusCode, res.body).toBe(302)
    expect(res.headers.location).toBe(`${SETTINGS}?dropbox=connected`)
  }
  const ensureConnected = async () => {
    if ((await storageStatus(w)).dropbox?.status !== 'connected') await connect()
  }

  it('connects nothing for a wrong, foreign, expired or missing state, or when the admin cancels', async () => {
    expect(await storageStatus(w)).toEqual({ provider: 'local', dropboxAvailable: true, dropbox: null })
    const otherAdmin = await staffSession(w.t, w.other, w.other.admin.id)
    const failed = async (query: Record<string, string>, headers = w.admin) => {
      const res = await dropboxCallback(w, query, headers)
      expect(res.statusCode, res.body).toBe(302)
      expect(res.headers.location).toBe(`${SETTINGS}?dropbox=failed`)
    }
    // A state we never issued.
    const a = await approveAtDropbox(await startDropboxConnect(w))
    await failed({ code: a.code, state: 'x'.repeat(43) })
    // A state issued to this workspace's admin, brought back by another workspace's admin.
    const b = await approveAtDropbox(await startDropboxConnect(w))
    await failed({ code: b.code, state: b.state }, otherAdmin)
    // A code Dropbox refuses: the state is spent with it and cannot be replayed with a good code.
    const c = await approveAtDropbox(await startDropboxConnect(w))
    await failed({ code: 'not-a-code', state: c.state })
    await failed({ code: c.code, state: c.state })
    expect(fake.calls('oauth2/token').map((r) => r.status)).toEqual([400])
    const state = c.state
    // Cancelled at Dropbox.
    const cancelled = await dropboxCallback(w, { error: 'access_denied', state })
    expect(cancelled.headers.location).toBe(`${SETTINGS}?dropbox=cancelled`)
    // A state older than ten minutes.
    const late = await approveAtDropbox(await startDropboxConnect(w))
    w.t.clock.advance(11 * 60_000)
    expect((await dropboxCallback(w, { code: late.code, state: late.state })).headers.location).toBe(`${SETTINGS}?dropbox=failed`)
    // A member may not finish a connection either.
    const mine = await approveAtDropbox(await startDropboxConnect(w))
    expectRejected(await dropboxCallback(w, { code: mine.code, state: mine.state }, await staffSession(w.t, w.ws, w.ws.member.id)), 403, 'FORBIDDEN')
    expect(await connection()).toBeUndefined()
    expect(await storageStatus(w)).toEqual({ provider: 'local', dropboxAvailable: true, dropbox: null })
  })

  it('connects through the real OAuth flow: PKCE authorize URL, callback as the same admin, the fake account, tokens encrypted at rest', async () => {
    w.admin = await staffSession(w.t, w.ws, w.ws.admin.id)
    const authorize = await startDropboxConnect(w)
    expect(`${authorize.origin}${authorize.pathname}`).toBe(fake.authorizeUrl)
    const params = Object.fromEntries(authorize.searchParams)
    expect(params).toMatchObject({
      client_id: fake.app.key,
      response_type: 'code',
      code_challenge_method: 'S256',
      token_access_type: 'offline',
      redirect_uri: `${w.origin}/api/v1/storage/dropbox/callback`,
    })
    expect(params.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(params.state).toMatch(/^[A-Za-z0-9_-]{43}$/)
    // The PKCE verifier and the state are kept hashed / encrypted, never as they are.
    expect(await whereStored(w.t.deps, params.state!)).toEqual([])

    const { code, state, callback } = await approveAtDropbox(authorize)
    expect(`${callback.origin}${callback.pathname}`).toBe(`${w.origin}/api/v1/storage/dropbox/callback`)
    expect(state).toBe(params.state)
    const res = await dropboxCallback(w, { code, state })
    expect(res.statusCode, res.body).toBe(302)
    expect(res.headers.location).toBe(`${SETTINGS}?dropbox=connected`)
    const exchange = fake.calls('oauth2/token').at(-1)!
    expect(exchange.status).toBe(200)
    expect(exchange.formKeys).toEqual(expect.arrayContaining(['grant_type', 'code', 'code_verifier', 'redirect_uri']))

    const status = await storageStatus(w)
    expect(status).toEqual({
      provider: 'dropbox',
      dropboxAvailable: true,
      dropbox: { accountName: 'Ada Lovelace', accountEmail: 'ada@example.com', status: 'connected', brokenReason: null, connectedAt: w.t.clock().toISOString() },
    })
    // Members read the status too.
    expect(await storageStatus(w, w.member)).toEqual(status)

    // The tokens Dropbox issued are stored only encrypted: neither appears anywhere in the database.
    const row = (await connection())!
    const issued = [...fake.state.tokens.values()].find((t) => !t.revoked && t.refreshToken)!
    expect(await accessToken()).toBe(issued.accessToken)
    expect(decryptSecret(row.refresh_token_enc, key, w.ws.workspaceId)).toBe(issued.refreshToken)
    expect(row.access_token_enc).not.toContain(issued.accessToken)
    expect(await whereStored(w.t.deps, issued.accessToken)).toEqual([])
    expect(await whereStored(w.t.deps, issued.refreshToken!)).toEqual([])
    expect(row.account_id).toBe(fake.account.accountId)

    // Replaying the same callback (a used state) changes nothing.
    const replay = await dropboxCallback(w, { code, state })
    expect(replay.headers.location).toBe(`${SETTINGS}?dropbox=failed`)
    expect(await connection()).toEqual(row)
  })

  it('puts a client upload into Dropbox at /{root}/{Record}/client-uploads, autorenames a clash, and browses Dropbox folders', async () => {
    await ensureConnected()
    fake.seedFolder('/Clients/Acme')
    fake.seedFolder('/Archive')
    const first = samplePdf('first')
    const n = requestCount()
    const res = expectStatus(await portalUpload(w, first, 'Brief.pdf'), 201)
    const created = res.json()
    expect(created).toMatchObject({ name: 'Brief.pdf', size: first.length, source: 'client', uploadedBy: 'Bea Buyer' })
    const landed = fake.file(`${FOLDER}/Brief.pdf`)!
    expect(landed.pathDisplay).toBe(`${FOLDER}/Brief.pdf`)
    expect(Buffer.compare(landed.bytes, first)).toBe(0)
    // One upload session, committed once, with autorename; the folder exists now.
    const routes = routesSince(n)
    expect(routes.filter((r) => r.startsWith('files/upload_session/'))).toEqual(['files/upload_session/start', 'files/upload_session/finish'])
    const finish = fake.calls('files/upload_session/finish').at(-1)!
    expect(finish.arg).toMatchObject({ commit: { path: `${FOLDER}/Brief.pdf`, mode: 'add', autorename: true } })
    expect(fake.folder(FOLDER)).toBeDefined()
    // Nothing went to the local folder.
    expect(await storageTree(w.t)).toEqual([])

    const row = await w.t.deps.db.selectFrom('files').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ storage_provider: 'dropbox', storage_key: `${FOLDER}/Brief.pdf`, source: 'client', uploaded_by_contact_id: w.client.contactId, content_type: 'application/pdf' })

    // The same name again, other bytes: Dropbox renames, and the file list says so.
    const second = samplePdf('second')
    const again = expectStatus(await portalUpload(w, second, 'Brief.pdf'), 201).json()
    expect(again.name).toBe('Brief (1).pdf')
    expect(Buffer.compare(fake.file(`${FOLDER}/Brief (1).pdf`)!.bytes, second)).toBe(0)
    expect(Buffer.compare(fake.file(`${FOLDER}/Brief.pdf`)!.bytes, first)).toBe(0)
    expect((await portalDetail(w)).files?.map((f) => f.name)).toEqual(expect.arrayContaining(['Brief.pdf', 'Brief (1).pdf']))
    expect((await staffFiles(w)).filter((f) => f.source === 'client').map((f) => f.name)).toEqual(expect.arrayContaining(['Brief.pdf', 'Brief (1).pdf']))

    // The folder browser lists Dropbox's folders, level by level.
    const folders = async (p: string) => expectStatus(await w.t.app.inject({ url: `/api/v1/storage/folders?path=${encodeURIComponent(p)}`, headers: w.member }), 200).json()
    expect(await folders('/')).toEqual([
      { name: 'Archive', path: '/Archive' },
      { name: 'Client uploads', path: '/Client uploads' },
      { name: 'Clients', path: '/Clients' },
    ])
    expect(await folders('/Clients')).toEqual([{ name: 'Acme', path: '/Clients/Acme' }])
    expect(await folders(UPLOADS_ROOT)).toEqual([{ name: RECORD_NAME, path: `${UPLOADS_ROOT}/${RECORD_NAME}` }])
    expectRejected(await w.t.app.inject({ url: '/api/v1/storage/folders?path=%2F..%2F..', headers: w.admin }), 400, 'VALIDATION')
  })

  it('downloads by a 302 to a Dropbox temporary link, whose GET returns the bytes', async () => {
    await ensureConnected()
    const bytes = samplePng(8)
    const created = expectStatus(await portalUpload(w, bytes, 'diagram.png'), 201).json()
    const res = await portalDownload(w, created.id)
    expect(res.statusCode, res.body).toBe(302)
    expect(res.headers['cache-control']).toBe('no-store')
    const link = new URL(res.headers.location as string)
    expect(link.origin).toBe(fake.dlUrl)
    expect(res.rawPayload.length).toBeLessThan(200) // the bytes never pass through us
    const dl = await fetch(link)
    expect(dl.status).toBe(200)
    expect(Buffer.compare(Buffer.from(await dl.arrayBuffer()), bytes)).toBe(0)
    // Staff downloads work the same way.
    const staff = await w.t.app.inject({ url: `/api/v1/files/${created.id}/download`, headers: w.admin })
    expect(staff.statusCode).toBe(302)
    expect(new URL(staff.headers.location as string).origin).toBe(fake.dlUrl)
  })

  it('never calls finish for an oversized, invalid or aborted upload, and keeps no folder, file or row', async () => {
    await ensureConnected()
    const port = await listen(w.t)
    const recordRes = expectStatus(
      await w.t.app.inject({ method: 'POST', url: '/api/v1/records', headers: w.admin, payload: { typeId: w.ws.projects.id, companyId: w.ws.company.id, name: 'Dropbox rejects' } }),
      201,
    )
    const recordId = recordRes.json().id as string
    const url = `/api/portal/records/${recordId}/files`
    const headers = { cookie: w.client.cookie, origin: w.origin }
    const finishes = () => fake.calls('files/upload_session/finish').length
    const folderCalls = () => fake.calls('files/create_folder_v2').length
    const before = { finishes: finishes(), folders: folderCalls() }

    // 50 MiB + 1 byte: chunks went up in a session, which is abandoned; the 413 comes while streaming.
    const n = requestCount()
    const tooBig = await expectNothingStored(() => streamUpload(port, { url, headers, filename: 'huge.pdf', body: generatedStream(MAX_UPLOAD + 1, samplePdf()), holdOpen: true }))
    expect(tooBig.status, tooBig.body).toBe(413)
    expect(tooBig.answeredBeforeEnd).toBe(true)
    expect(JSON.parse(tooBig.body).error.code).toBe('PAYLOAD_TOO_LARGE')
    expect(routesSince(n)).toContain('files/upload_session/start')

    // Content that is not what the name says: refused before a single byte goes to Dropbox.
    const m = requestCount()
    const exe = await expectNothingStored(() => portalUpload(w, sampleExe(), 'invoice.pdf', { recordId }))
    expectRejected(exe, 415, 'UNSUPPORTED_MEDIA_TYPE', /does not match its \.pdf extension/)
    expectRejected(await expectNothingStored(() => portalUpload(w, Buffer.from('text'), 'notes.txt', { recordId })), 415, 'UNSUPPORTED_MEDIA_TYPE')
    expect(routesSince(m)).toEqual([])

    // The client gives up half-way: the session is never finished.
    await expectNothingStored(async () => {
      const started = fake.calls('files/upload_session/start').length
      await streamUpload(port, {
        url,
        headers,
        filename: 'cut.pdf',
        body: generatedStream(30 * MiB, samplePdf()),
        abortAfter: 12 * MiB,
        beforeAbort: () => eventually(async () => expect(fake.calls('files/upload_session/start').length).toBeGreaterThan(started)),
      })
      // Let the server notice the abort before comparing.
      await new Promise((r) => setTimeout(r, 300))
    })

    expect(finishes()).toBe(before.finishes)
    expect(folderCalls()).toBe(before.folders)
    expect(fake.folder(`${UPLOADS_ROOT}/Dropbox rejects`)).toBeUndefined()
    expect((await portalDetail(w, recordId)).files).toEqual([])
  })

  it('refreshes an expired access token in the middle of an upload, and the file lands whole', async () => {
    await ensureConnected()
    const port = await listen(w.t)
    const old = await accessToken()
    const refreshesBefore = fake.calls('oauth2/token').length
    const startsBefore = fake.calls('files/upload_session/start').length
    const head = samplePdf('refresh')
    // 20 MiB: a start, an append and a finish. The token expires right after the start.
    const body = Readable.from(
      (async function* () {
        let sent = 0
        for await (const chunk of generatedStream(20 * MiB, head)) {
          yield chunk as Buffer
          sent += (chunk as Buffer).length
          if (sent >= 10 * MiB && sent - (chunk as Buffer).length < 10 * MiB) {
            await eventually(async () => expect(fake.calls('files/upload_session/start').length).toBe(startsBefore + 1))
            fake.expireToken(old)
          }
        }
      })(),
      { objectMode: false },
    )
    const res = await streamUpload(port, { url: `/api/portal/records/${w.recordId}/files`, headers: { cookie: w.client.cookie, origin: w.origin }, filename: 'Large plan.pdf', body })
    expect(res.status, res.body).toBe(201)
    const file = fake.file(`${FOLDER}/Large plan.pdf`)!
    expect(file.bytes.length).toBe(20 * MiB)
    expect(sha256(file.bytes)).toBe(res.sentSha256)
    // One 401 expired_access_token, one refresh, the same call again with the new token.
    const appends = fake.calls('files/upload_session/append_v2')
    expect(appends.some((r) => r.status === 401 && r.errorSummary?.startsWith('expired_access_token'))).toBe(true)
    const refreshes = fake.calls('oauth2/token').slice(refreshesBefore)
    expect(refreshes).toHaveLength(1)
    expect(refreshes[0]!.status).toBe(200)
    const fresh = await accessToken()
    expect(fresh).not.toBe(old)
    expect(appends.at(-1)).toMatchObject({ status: 200, token: fresh })
    expect((await storageStatus(w)).dropbox).toMatchObject({ status: 'connected', brokenReason: null })

    // When our own clock says the token is about to expire, the refresh happens before the upload starts.
    w.t.clock.advance(4 * 3600_000)
    const n = requestCount()
    expectStatus(await portalUpload(w, samplePdf('later'), 'Later.pdf'), 201)
    expect(routesSince(n)[0]).toBe('oauth2/token')
    expect(routesSince(n).filter((r) => r === 'oauth2/token')).toHaveLength(1)
    expect(await accessToken()).not.toBe(fresh)
    // The client's session survives the jump (re-sign staff in for later tests).
    w.admin = await staffSession(w.t, w.ws, w.ws.admin.id)
  })

  it('marks the connection broken when the token is revoked: the upload fails with a clear error and nothing is stored anywhere', async () => {
    await ensureConnected()
    fake.revokeToken(await accessToken())
    const before = { dropbox: dropboxTree(), local: await snapshot(w.t) }
    const n = requestCount()
    const res = await portalUpload(w, samplePdf('revoked'), 'Revoked.pdf')
    const message = expectRejected(res, 409, 'CONFLICT', /^The Dropbox connection is broken; an admin can reconnect it in Settings → Storage$/)
    expect(message).not.toMatch(/sl\.u\.|token=|Bearer/)
    expect(routesSince(n)).not.toContain('files/upload_session/finish')

    const status = await storageStatus(w)
    expect(status.provider).toBe('local')
    expect(status.dropbox).toMatchObject({ accountName: 'Ada Lovelace', status: 'broken', brokenReason: expect.stringMatching(/Reconnect in Settings → Storage\.$/) })
    expect(await storageStatus(w, w.member)).toEqual(status)

    // Nothing was stored: not in Dropbox, not in the local folder, no row, no event, no email; only the connection changed.
    expect(dropboxTree()).toEqual(before.dropbox)
    const after = await snapshot(w.t)
    expect(after.storage).toEqual(before.local.storage)
    const { storage_connections: conn, ...rest } = after.tables
    const { storage_connections: connBefore, ...restBefore } = before.local.tables
    expect(rest).toEqual(restBefore)
    expect(conn).toEqual([{ ...connBefore![0], status: 'broken', broken_reason: status.dropbox!.brokenReason, updated_at: expect.any(String) }])

    // While broken, further uploads are refused the same way: never silently kept on our own disk instead.
    const again = await expectNothingStored(() => portalUpload(w, samplePdf('revoked'), 'Revoked.pdf'))
    expectRejected(again, 409, 'CONFLICT', /^The Dropbox connection is broken; an admin can reconnect it in Settings → Storage$/)
    // The folder browser says so too, instead of showing local folders.
    expectRejected(await w.t.app.inject({ url: '/api/v1/storage/folders?path=%2F', headers: w.admin }), 409, 'CONFLICT', /Dropbox/)
  })

  it('reconnecting mends a broken connection; disconnecting goes back to the local folder', async () => {
    await connect()
    expect((await storageStatus(w)).dropbox).toMatchObject({ status: 'connected', brokenReason: null })
    const inDropbox = expectStatus(await portalUpload(w, samplePdf('before'), 'Before disconnect.pdf'), 201).json()
    expect(fake.file(`${FOLDER}/Before disconnect.pdf`)).toBeDefined()

    expectRejected(await w.t.app.inject({ method: 'POST', url: '/api/v1/storage/dropbox/disconnect', headers: w.member }), 403, 'FORBIDDEN')
    const res = expectStatus(await w.t.app.inject({ method: 'POST', url: '/api/v1/storage/dropbox/disconnect', headers: w.admin }), 200)
    expect(res.json()).toEqual({ ok: true })
    expect(await connection()).toBeUndefined()
    expect(await storageStatus(w)).toEqual({ provider: 'local', dropboxAvailable: true, dropbox: null })
    // Files that went to Dropbox are not served from anywhere else.
    expectRejected(await portalDownload(w, inDropbox.id), 404, 'NOT_FOUND', 'This file is in a Dropbox that is no longer connected')

    const bytes = samplePdf('local again')
    expectStatus(await portalUpload(w, bytes, 'Local.pdf'), 201)
    expect(fake.file(`${FOLDER}/Local.pdf`)).toBeUndefined()
    const stored = await filesIn(localUploadDir(w))
    expect(stored.map((f) => f.slice(9))).toEqual(['Local.pdf'])
    expect((await storageTree(w.t)).filter((e) => !e.endsWith('/'))).toHaveLength(1)
  })
})
