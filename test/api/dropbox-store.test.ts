// The Dropbox provider against the local fake that follows /work/shared/dropbox-contract.md.
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../src/server/errors.js'
import { dropboxContentHash } from '../../src/server/storage/content-hash.js'
import { DropboxAuthError, DropboxError, createDropboxApi, httpHeaderSafeJson, type DropboxApiEvent } from '../../src/server/storage/dropbox-api.js'
import { DropboxOAuthError, createRefreshingTokenSource, refreshAccessToken } from '../../src/server/storage/dropbox-oauth.js'
import { DEFAULT_CHUNK_SIZE, createDropboxStore, resolvePath } from '../../src/server/storage/dropbox-store.js'
import { tagged } from '../fakes/dropbox-fake-model.js'
import { startDropboxFake, type DropboxFake, type FakeRequest } from '../fakes/dropbox-server.js'
import { generatedStream, patternBytes, samplePdf } from '../fakes/sample-files.js'

const KiB = 1024
const MiB = 1024 * KiB

let fake: DropboxFake
beforeAll(async () => {
  fake = await startDropboxFake()
})
afterAll(() => fake.close())

let n = 0
/** A fresh root folder per test, so tests never see each other's files. */
const freshRoot = () => `/Coeffection ${++n}`

interface Conn {
  store: ReturnType<typeof createDropboxStore>
  api: ReturnType<typeof createDropboxApi>
  sleeps: number[]
  events: DropboxApiEvent[]
  root: string
  token: () => string
  /** Requests the fake received since this connection was made. */
  log: () => FakeRequest[]
}

function connect(opts: { chunkSize?: number; token?: string; onUnauthorized?: (t: string) => Promise<void>; maxRateLimitRetries?: number; onEvent?: (e: DropboxApiEvent) => void } = {}): Conn {
  const root = freshRoot()
  const token = opts.token ?? fake.issueToken()
  const sleeps: number[] = []
  const events: DropboxApiEvent[] = []
  const mark = fake.state.requests.length
  const api = createDropboxApi({
    apiUrl: fake.apiUrl,
    contentUrl: fake.contentUrl,
    getAccessToken: async () => token,
    onUnauthorized: opts.onUnauthorized,
    sleep: async (ms) => {
      sleeps.push(ms)
    },
    random: () => 0.5,
    maxRateLimitRetries: opts.maxRateLimitRetries,
    onEvent: (e) => {
      events.push(e)
      opts.onEvent?.(e)
    },
  })
  return { api, store: createDropboxStore({ api, rootPath: root, chunkSize: opts.chunkSize }), sleeps, events, root, token: () => token, log: () => fake.state.requests.slice(mark) }
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p
  } catch (err) {
    return err
  }
  throw new Error('expected a rejection')
}

async function expectAppError(p: Promise<unknown>, code: string, message?: string | RegExp): Promise<AppError> {
  const err = await rejection(p)
  expect(err).toBeInstanceOf(AppError)
  expect((err as AppError).code).toBe(code)
  if (message !== undefined) expect((err as AppError).message).toMatch(message)
  return err as AppError
}

const routes = (log: FakeRequest[]) => log.filter((r) => r.origin !== 'dl').map((r) => `${r.route} ${r.status}`)
const filesUnder = (root: string) => [...fake.state.files.values()].filter((f) => f.pathLower.startsWith(root.toLowerCase() + '/'))
const readAll = async (s: Readable) => {
  const parts: Buffer[] = []
  for await (const c of s as AsyncIterable<Buffer>) parts.push(c)
  return Buffer.concat(parts)
}

describe('folders', () => {
  it('creates a folder with its parents, and a second create (any case) is fine', async () => {
    const c = connect()
    const first = await c.store.createFolder('Acme Ltd/Website redesign/client-uploads')
    expect(first).toEqual({ path: `${c.root}/Acme Ltd/Website redesign/client-uploads`, created: true })
    const again = await c.store.createFolder('acme ltd/WEBSITE REDESIGN/client-uploads')
    expect(again.created).toBe(false)
    // One folder, in its first display case, with implicit parents.
    expect(fake.folder(`${c.root}/acme ltd/website redesign/client-uploads`)?.pathDisplay).toBe(`${c.root}/Acme Ltd/Website redesign/client-uploads`)
    expect(fake.folder(`${c.root}/Acme Ltd`)).toBeDefined()
    const calls = c.log().filter((r) => r.route === 'files/create_folder_v2')
    expect(calls.map((r) => [r.status, r.errorSummary?.replace(/\/\.*$/, '')])).toEqual([
      [200, undefined],
      [409, 'path/conflict/folder'],
    ])
    expect(calls.every((r) => (r.arg as { autorename?: unknown }).autorename === false)).toBe(true)
  })

  it('reports a file in the way as a clear conflict', async () => {
    const c = connect()
    fake.seedFile(`${c.root}/Acme`, Buffer.from('a file, not a folder'))
    await expectAppError(c.store.createFolder('Acme'), 'CONFLICT', /file .* is in the way/)
    await expectAppError(c.store.createFolder('Acme/client-uploads'), 'CONFLICT')
  })

  it('lists sub-folders only, sorted, across pages', async () => {
    const c = connect()
    for (const name of ['delta', 'Alpha', 'charlie', 'Bravo', 'echo', 'foxtrot 10', 'foxtrot 9']) fake.seedFolder(`${c.root}/Clients/${name}`)
    for (const name of ['a.pdf', 'z.pdf', 'm.txt']) fake.seedFile(`${c.root}/Clients/${name}`, Buffer.from(name))
    fake.seedFolder(`${c.root}/Clients/Alpha/nested`)
    const folders = await c.store.listFolders('Clients', { limit: 2 })
    expect(folders.map((f) => f.name)).toEqual(['Alpha', 'Bravo', 'charlie', 'delta', 'echo', 'foxtrot 9', 'foxtrot 10'])
    expect(folders[0]).toEqual({ name: 'Alpha', path: `${c.root}/Clients/Alpha`, id: expect.stringMatching(/^id:/) })
    const calls = c.log().map((r) => r.route)
    expect(calls.filter((r) => r === 'files/list_folder')).toHaveLength(1)
    // 10 entries at 2 per page: 1 list_folder + 4 continues.
    expect(calls.filter((r) => r === 'files/list_folder/continue')).toHaveLength(4)
    expect(c.log()[0]!.arg).toEqual({ path: `${c.root}/Clients`, limit: 2 })
  })

  it('lists the Dropbox root as "" (never "/")', async () => {
    const c = connect()
    const unrooted = createDropboxStore({ api: c.api })
    fake.seedFolder(`${c.root}/x`)
    for (const key of ['', '/']) {
      const all = await unrooted.listFolders(key)
      expect(all.map((f) => f.path)).toContain(c.root)
    }
    expect(c.log().map((r) => (r.arg as { path: string }).path)).toEqual(['', ''])
    // What "/" would have got from Dropbox: 400 plain text, not retried.
    const err = await rejection(c.api.rpc('files/list_folder', { path: '/' }))
    expect(err).toBeInstanceOf(DropboxError)
    expect(err).toMatchObject({ status: 400, tag: 'bad_request', summary: expect.stringContaining('Specify the root folder as an empty string') })
    expect(c.sleeps).toEqual([])
  })

  it('starts the listing again when Dropbox resets the cursor', async () => {
    const c = connect()
    for (const name of ['a', 'b', 'c', 'd', 'e']) fake.seedFolder(`${c.root}/${name}`)
    fake.injectError('files/list_folder/continue', tagged('reset'))
    const folders = await c.store.listFolders('', { limit: 2 })
    expect(folders.map((f) => f.name)).toEqual(['a', 'b', 'c', 'd', 'e'])
    expect(routes(c.log())).toEqual([
      'files/list_folder 200',
      'files/list_folder/continue 409',
      'files/list_folder 200',
      'files/list_folder/continue 200',
      'files/list_folder/continue 200',
    ])
  })

  it('says so when the folder no longer exists', async () => {
    const c = connect()
    await expectAppError(c.store.listFolders('gone'), 'NOT_FOUND', 'This Dropbox folder no longer exists')
  })
})

describe('uploads through an upload session', () => {
  it('uploads a few MB in chunks, byte-identical, each request carrying its own content_hash', async () => {
    const c = connect({ chunkSize: 1 * MiB })
    const bytes = patternBytes(3 * MiB + 12_345, 7)
    const res = await c.store.put('Acme/report.pdf', Readable.from([bytes.subarray(0, 100), bytes.subarray(100, 2 * MiB + 3), bytes.subarray(2 * MiB + 3)]))
    expect(res).toEqual({ size: bytes.length, path: `${c.root}/Acme/report.pdf`, id: expect.stringMatching(/^id:/), rev: expect.stringMatching(/^[0-9a-f]{9,}$/), contentHash: dropboxContentHash(bytes) })
    const stored = fake.file(res.path)!
    expect(stored.bytes.equals(bytes)).toBe(true)
    expect(stored.contentHash).toBe(res.contentHash)
    const log = c.log()
    expect(routes(log)).toEqual([
      'files/upload_session/start 200',
      'files/upload_session/append_v2 200',
      'files/upload_session/append_v2 200',
      'files/upload_session/finish 200',
    ])
    expect(log.map((r) => r.bodyBytes)).toEqual([MiB, MiB, MiB, 12_345])
    // Offsets are exact and each content_hash covers that request's bytes only.
    let offset = 0
    for (const r of log) {
      const arg = r.arg as { cursor?: { offset: number }; content_hash: string; close?: boolean; commit?: unknown }
      if (arg.cursor) expect(arg.cursor.offset).toBe(offset)
      expect(arg.content_hash).toBe(dropboxContentHash(bytes.subarray(offset, offset + r.bodyBytes)))
      offset += r.bodyBytes
    }
    expect(log[0]!.arg).toMatchObject({ close: false })
    expect((log[3]!.arg as { commit: unknown }).commit).toEqual({ path: `${c.root}/Acme/report.pdf`, mode: 'add', autorename: true })
    expect(log.every((r) => r.contentType === 'application/octet-stream')).toBe(true)
  })

  it('uses 8 MiB chunks by default: a 20 MiB file takes a start, an append and a finish', async () => {
    expect(DEFAULT_CHUNK_SIZE).toBe(8 * MiB)
    const c = connect()
    const bytes = patternBytes(20 * MiB + 5, 3)
    const res = await c.store.put('big.zip', Readable.from([bytes]))
    expect(fake.file(res.path)!.bytes.equals(bytes)).toBe(true)
    expect(c.log().map((r) => [r.route, r.bodyBytes])).toEqual([
      ['files/upload_session/start', 8 * MiB],
      ['files/upload_session/append_v2', 8 * MiB],
      ['files/upload_session/finish', 4 * MiB + 5],
    ])
    expect(res.contentHash).toBe(fake.file(res.path)!.contentHash)
  })

  it('autorenames on a name collision, and an identical re-upload does not duplicate', async () => {
    const c = connect()
    const first = await c.store.put('Acme/invoice.pdf', Readable.from([samplePdf('one')]))
    const second = await c.store.put('Acme/invoice.pdf', Readable.from([samplePdf('two')]))
    const third = await c.store.put('ACME/INVOICE.pdf', Readable.from([samplePdf('three')]))
    expect([first.path, second.path, third.path]).toEqual([`${c.root}/Acme/invoice.pdf`, `${c.root}/Acme/invoice (1).pdf`, `${c.root}/Acme/INVOICE (2).pdf`])
    expect(fake.file(second.path)!.bytes.equals(samplePdf('two'))).toBe(true)
    const same = await c.store.put('Acme/invoice.pdf', Readable.from([samplePdf('one')]))
    expect(same.path).toBe(first.path)
    expect(filesUnder(c.root)).toHaveLength(3)
  })

  it('aborts at maxBytes + 1 without ever calling finish: nothing lands', async () => {
    const c = connect({ chunkSize: 256 * KiB })
    await expectAppError(c.store.put('Acme/huge.pdf', generatedStream(MiB + 1, samplePdf()), { maxBytes: MiB }), 'PAYLOAD_TOO_LARGE', 'Files may be at most 1 MB')
    const log = c.log()
    expect(log.filter((r) => r.route === 'files/upload_session/append_v2').length).toBeGreaterThan(0)
    expect(log.some((r) => r.route === 'files/upload_session/finish')).toBe(false)
    expect(filesUnder(c.root)).toEqual([])
    // The session is just abandoned: never finished.
    const started = log.find((r) => r.route === 'files/upload_session/append_v2')!.arg as { cursor: { session_id: string } }
    expect(fake.state.sessions.get(started.cursor.session_id)).toMatchObject({ finished: false })
  })

  it('accepts exactly maxBytes', async () => {
    const c = connect({ chunkSize: 256 * KiB })
    const res = await c.store.put('Acme/exact.pdf', generatedStream(MiB, samplePdf()), { maxBytes: MiB })
    expect(res.size).toBe(MiB)
    expect(fake.file(res.path)!.bytes.length).toBe(MiB)
  })

  it('rejects a 50 MiB + 1 byte stream at the 50 MB limit with the default chunk size, keeping nothing', async () => {
    const c = connect()
    await expectAppError(c.store.put('Acme/too-big.pdf', generatedStream(50 * MiB + 1, samplePdf()), { maxBytes: 50 * MiB }), 'PAYLOAD_TOO_LARGE', 'Files may be at most 50 MB')
    expect(c.log().map((r) => r.route)).toEqual(['files/upload_session/start', ...Array<string>(5).fill('files/upload_session/append_v2')])
    expect(filesUnder(c.root)).toEqual([])
  })

  it('abandons the session when the source stream errors: the error surfaces, finish is never called', async () => {
    const c = connect({ chunkSize: 64 * KiB })
    const broken = new Readable({ read() {} })
    broken.push(patternBytes(300 * KiB))
    setImmediate(() => broken.destroy(new Error('client went away')))
    const err = await rejection(c.store.put('Acme/partial.pdf', broken))
    expect((err as Error).message).toBe('client went away')
    const log = c.log()
    expect(log.some((r) => r.route === 'files/upload_session/start')).toBe(true)
    expect(log.some((r) => r.route === 'files/upload_session/finish')).toBe(false)
    expect(filesUnder(c.root)).toEqual([])
  })

  it('escapes a unicode name in Dropbox-API-Arg, and the file lands under that exact name', async () => {
    const c = connect()
    const name = 'Ünïcødé – 日本語 😀.pdf'
    const res = await c.store.put(`Acme/${name}`, Readable.from([samplePdf()]))
    expect(res.path).toBe(`${c.root}/Acme/${name}`)
    expect(fake.file(res.path)!.name).toBe(name)
    const finish = c.log().find((r) => r.route === 'files/upload_session/finish')!
    expect(finish.argHeader).toMatch(/^[\x20-\x7e]+$/)
    expect(finish.argHeader).toContain('\\u00dcn\\u00efc\\u00f8d\\u00e9 \\u2013 \\u65e5\\u672c\\u8a9e \\ud83d\\ude00.pdf')
    expect((await readAll(await c.store.get(res.path))).equals(samplePdf())).toBe(true)
  })

  it('reports a full Dropbox as a clear error and keeps nothing', async () => {
    const c = connect()
    const used = [...fake.state.files.values()].reduce((sum, f) => sum + f.bytes.length, 0)
    fake.setQuota(used + 1000)
    try {
      const e = await expectAppError(c.store.put('Acme/scan.pdf', Readable.from([patternBytes(5000)])), 'CONFLICT', 'The connected Dropbox is full, so the file was not stored')
      expect(e.status).toBe(409)
      expect(c.log().at(-1)).toMatchObject({ route: 'files/upload_session/finish', status: 409, errorSummary: expect.stringMatching(/^path\/insufficient_space\//) })
      expect(filesUnder(c.root)).toEqual([])
    } finally {
      fake.setQuota(null)
    }
  })

  it('turns Dropbox name refusals into validation errors', async () => {
    const c = connect()
    await expectAppError(c.store.put('Acme/desktop.ini', Readable.from([Buffer.from('x')])), 'VALIDATION', 'Dropbox does not accept this file name')
    expect(filesUnder(c.root)).toEqual([])
  })
})

describe('paths', () => {
  it('sanitises every key component and refuses dot-dot', async () => {
    expect(resolvePath('/Root', 'ws/records/a<b>c:d?.pdf')).toBe('/Root/ws/records/abcd.pdf')
    expect(resolvePath('/Root', 'ws\\bad\u0007name.pdf')).toBe('/Root/ws/badname.pdf')
    expect(resolvePath('', 'a/.hidden')).toBe('/a/hidden')
    for (const bad of ['../x', 'a/../b', 'a/./b', 'a\\..\\b', '/Root/../etc', '/Other/x', '/Root/a\u0000b', '/Root//a']) {
      expect(() => resolvePath('/Root', bad), bad).toThrow(AppError)
    }
    expect(resolvePath('/Root', '/root/Existing: Folder')).toBe('/root/Existing: Folder')
  })

  it('joins sanitised names under a picked folder: a ../../ name lands safely inside', async () => {
    const c = connect()
    const folder = c.store.join(`${c.root}/Clients: 2026`, 'Acme / Project', 'client-uploads')
    expect(folder).toBe(`${c.root}/Clients: 2026/Acme Project/client-uploads`)
    await c.store.createFolder(folder)
    const res = await c.store.put(c.store.join(folder, '../../../etc/passwd.pdf'), Readable.from([samplePdf()]))
    expect(res.path).toBe(`${folder}/etc passwd.pdf`)
    expect(() => c.store.join(folder, '..')).toThrow(AppError)
    // A refused key never reaches Dropbox.
    const before = fake.state.requests.length
    await expectAppError(c.store.put('../escape.pdf', Readable.from([samplePdf()])), 'VALIDATION')
    expect(fake.state.requests.length).toBe(before)
  })
})

describe('downloads', () => {
  it('gives a temporary link that works, then answers 410 after 4 hours', async () => {
    // The fake clock moves 4 h here: use a token that outlives it.
    const c = connect({ token: fake.issueToken({ expiresInSeconds: 24 * 3600 }) })
    const bytes = samplePdf('link')
    const { path } = await c.store.put('Acme/link.pdf', Readable.from([bytes]))
    const link = await c.store.temporaryLink(path)
    expect(link.url.startsWith(fake.dlUrl + '/')).toBe(true)
    expect(link).toMatchObject({ name: 'link.pdf', size: bytes.length })
    const ok = await fetch(link.url)
    expect(ok.status).toBe(200)
    expect(Buffer.from(await ok.arrayBuffer()).equals(bytes)).toBe(true)
    fake.clock.advance(4 * 3600_000 - 60_000)
    expect((await fetch(link.url)).status).toBe(200)
    fake.clock.advance(2 * 60_000)
    expect((await fetch(link.url)).status).toBe(410)
    // A fresh link works again.
    expect((await fetch((await c.store.temporaryLink(path)).url)).status).toBe(200)
  })

  it('streams a file back with get(), and a missing one is NOT_FOUND', async () => {
    const c = connect()
    const bytes = patternBytes(2 * MiB + 1)
    const { path } = await c.store.put('x.zip', Readable.from([bytes]))
    expect((await readAll(await c.store.get(path))).equals(bytes)).toBe(true)
    await expectAppError(c.store.get('nothing-here.pdf'), 'NOT_FOUND', 'File not found in storage')
    await expectAppError(c.store.temporaryLink('nothing-here.pdf'), 'NOT_FOUND')
  })

  it('reads by the id put() returned, even after the file was moved in Dropbox; writes never take an id', async () => {
    const c = connect()
    const bytes = samplePdf('by id')
    const res = await c.store.put('Acme/moved.pdf', Readable.from([bytes]))
    // Someone moves the file in their Dropbox (the fake has no move route: move it in its state).
    const f = fake.file(res.path)!
    fake.state.files.delete(f.pathLower)
    Object.assign(f, { pathLower: `${c.root}/archive/moved.pdf`.toLowerCase(), pathDisplay: `${c.root}/Archive/moved.pdf` })
    fake.state.files.set(f.pathLower, f)
    await expectAppError(c.store.temporaryLink(res.path), 'NOT_FOUND')
    const link = await c.store.temporaryLink(res.id)
    expect(Buffer.from(await (await fetch(link.url)).arrayBuffer()).equals(bytes)).toBe(true)
    expect((await readAll(await c.store.get(res.id))).equals(bytes)).toBe(true)
    await expectAppError(c.store.put(res.id, Readable.from([bytes])), 'VALIDATION')
    await expectAppError(c.store.createFolder('id:abc'), 'VALIDATION')
    await c.store.delete(res.id)
    expect(filesUnder(c.root)).toEqual([])
  })

  it('deletes a file; deleting it again is fine', async () => {
    const c = connect()
    const { path } = await c.store.put('gone.pdf', Readable.from([samplePdf()]))
    await c.store.delete(path)
    expect(fake.file(path)).toBeUndefined()
    await expect(c.store.delete(path)).resolves.toBeUndefined()
  })
})

describe('tokens', () => {
  it('refreshes an expired access token transparently and retries the call once', async () => {
    const { accessToken, refreshToken } = fake.issueTokens()
    let refreshes = 0
    const source = createRefreshingTokenSource({
      initial: { accessToken, expiresAt: new Date(Date.now() + 3600_000) },
      refresh: async () => {
        refreshes++
        return refreshAccessToken({ refreshToken, appKey: fake.app.key, appSecret: fake.app.secret, tokenUrl: fake.tokenUrl })
      },
    })
    const mark = fake.state.requests.length
    const api = createDropboxApi({ apiUrl: fake.apiUrl, contentUrl: fake.contentUrl, ...source, sleep: async () => undefined })
    const store = createDropboxStore({ api, rootPath: freshRoot() })
    fake.expireToken(accessToken)
    await expect(store.createFolder('after-refresh')).resolves.toMatchObject({ created: true })
    expect(refreshes).toBe(1)
    const log = fake.state.requests.slice(mark)
    expect(log.map((r) => `${r.route} ${r.status}`)).toEqual(['files/create_folder_v2 401', 'oauth2/token 200', 'files/create_folder_v2 200'])
    expect(log[0]!.token).toBe(accessToken)
    expect(log[2]!.token).toBe(source.current().accessToken)
    expect(log[2]!.token).not.toBe(accessToken)
  })

  it('refreshes in the middle of an upload session and the file still lands whole', async () => {
    const pair = fake.issueTokens()
    let current = pair.accessToken
    const c = connect()
    const api = createDropboxApi({
      apiUrl: fake.apiUrl,
      contentUrl: fake.contentUrl,
      getAccessToken: async () => current,
      onUnauthorized: async () => {
        current = (await refreshAccessToken({ refreshToken: pair.refreshToken, appKey: fake.app.key, tokenUrl: fake.tokenUrl })).accessToken
      },
      onEvent: (e) => {
        if (e.route === 'files/upload_session/start' && e.status === 200) fake.expireToken(current)
      },
    })
    const store = createDropboxStore({ api, rootPath: c.root, chunkSize: 128 * KiB })
    const bytes = patternBytes(400 * KiB, 9)
    const res = await store.put('mid.pdf', Readable.from([bytes]))
    expect(fake.file(res.path)!.bytes.equals(bytes)).toBe(true)
    expect(routes(c.log())).toEqual([
      'files/upload_session/start 200',
      'files/upload_session/append_v2 401',
      'oauth2/token 200',
      'files/upload_session/append_v2 200',
      'files/upload_session/append_v2 200',
      'files/upload_session/finish 200',
    ])
  })

  it('does not loop when the refreshed token is refused as well', async () => {
    const token = fake.issueToken()
    fake.expireToken(token)
    let calls = 0
    const c = connect({
      token,
      onUnauthorized: async () => {
        calls++
      },
    })
    const err = await rejection(c.store.createFolder('x'))
    expect(err).toBeInstanceOf(DropboxAuthError)
    expect(err).toMatchObject({ status: 401, tag: 'expired_access_token' })
    expect(calls).toBe(1)
    expect(c.log().map((r) => r.status)).toEqual([401, 401])
  })

  it('a revoked access token is a DropboxAuthError (connection broken), with no refresh attempt', async () => {
    const token = fake.issueToken()
    fake.revokeToken(token)
    let refreshes = 0
    const c = connect({
      token,
      onUnauthorized: async () => {
        refreshes++
      },
    })
    const err = await rejection(c.store.put('x.pdf', Readable.from([samplePdf()])))
    expect(err).toBeInstanceOf(DropboxAuthError)
    expect(err).toMatchObject({ status: 401, tag: 'invalid_access_token' })
    expect(refreshes).toBe(0)
    expect(filesUnder(c.root)).toEqual([])
  })

  it('a revoked refresh token surfaces as DropboxAuthError (invalid_grant) when the token is due for refresh', async () => {
    const pair = fake.issueTokens()
    fake.revokeToken(pair.refreshToken)
    const source = createRefreshingTokenSource({
      // Due for refresh: expires within the 5-minute margin.
      initial: { accessToken: pair.accessToken, expiresAt: new Date(Date.now() + 60_000) },
      refresh: () => refreshAccessToken({ refreshToken: pair.refreshToken, appKey: fake.app.key, appSecret: fake.app.secret, tokenUrl: fake.tokenUrl }),
    })
    const mark = fake.state.requests.length
    const api = createDropboxApi({ apiUrl: fake.apiUrl, contentUrl: fake.contentUrl, ...source, sleep: async () => undefined })
    const err = await rejection(createDropboxStore({ api }).listFolders(''))
    expect(err).toBeInstanceOf(DropboxOAuthError)
    expect(err).toBeInstanceOf(DropboxAuthError)
    expect(err).toMatchObject({ status: 400, tag: 'invalid_grant' })
    // Refreshed before calling, so the refused refresh is the only request.
    expect(fake.state.requests.slice(mark).map((r) => `${r.route} ${r.status}`)).toEqual(['oauth2/token 400'])
  })

  it('never puts a token into an error message or an event', async () => {
    const token = fake.issueToken()
    fake.revokeToken(token)
    const c = connect({ token })
    const err = (await rejection(c.store.createFolder('x'))) as Error
    expect(`${err.message} ${err.stack} ${JSON.stringify(err)}`).not.toContain(token)
    expect(JSON.stringify(c.events)).not.toContain(token)
  })
})

describe('rate limits and server errors', () => {
  it('waits out a JSON 429 for its Retry-After, then succeeds', async () => {
    const c = connect()
    fake.inject429('files/create_folder_v2', { retryAfter: 7 })
    await expect(c.store.createFolder('rl')).resolves.toMatchObject({ created: true })
    expect(c.sleeps).toEqual([7000])
    expect(routes(c.log())).toEqual(['files/create_folder_v2 429', 'files/create_folder_v2 200'])
  })

  it('waits out a plain-text 429 by its Retry-After header', async () => {
    const c = connect()
    fake.seedFolder(c.root)
    fake.inject429('files/list_folder', { retryAfter: 3, plainText: true })
    await c.store.listFolders('')
    expect(c.sleeps).toEqual([3000])
    expect(c.log().map((r) => r.status)).toEqual([429, 200])
  })

  it('retries too_many_write_operations on finish and commits once', async () => {
    const c = connect()
    fake.inject429('files/upload_session/finish', { retryAfter: 2, reason: 'too_many_write_operations' })
    const res = await c.store.put('busy.pdf', Readable.from([samplePdf()]))
    expect(c.sleeps).toEqual([2000])
    expect(filesUnder(c.root).map((f) => f.pathDisplay)).toEqual([res.path])
  })

  it('retries a 409 too_many_write_operations with backoff', async () => {
    const c = connect()
    fake.injectError('files/create_folder_v2', tagged('path', tagged('too_many_write_operations')))
    await c.store.createFolder('contended')
    expect(c.sleeps).toEqual([750])
  })

  it('gives up after the retry cap with a clear RATE_LIMITED error', async () => {
    const c = connect({ maxRateLimitRetries: 3 })
    // One more 429 than the client will take: 1 attempt + 3 retries, all refused.
    fake.inject429('files/create_folder_v2', { retryAfter: 1, times: 4 })
    await expectAppError(c.store.createFolder('never'), 'RATE_LIMITED', 'Dropbox is busy; please try again in 1 seconds')
    expect(c.sleeps).toEqual([1000, 1000, 1000])
    expect(c.log().map((r) => r.status)).toEqual([429, 429, 429, 429])
    expect(fake.folder(`${c.root}/never`)).toBeUndefined()
  })

  it('does not hold a request for a Retry-After longer than the cap', async () => {
    const c = connect()
    fake.inject429('files/create_folder_v2', { retryAfter: 300 })
    await expectAppError(c.store.createFolder('later'), 'RATE_LIMITED', 'try again in 300 seconds')
    expect(c.sleeps).toEqual([])
  })

  it('retries 5xx on an idempotent call with capped, jittered backoff', async () => {
    const c = connect()
    fake.seedFolder(c.root)
    fake.inject5xx('files/list_folder', { times: 2 })
    await c.store.listFolders('')
    // random() = 0.5 → 3/4 of 500·2^n ms.
    expect(c.sleeps).toEqual([375, 750])
    expect(c.log().map((r) => r.status)).toEqual([500, 500, 200])
  })

  it('recovers from a lost append answer through incorrect_offset, without duplicating bytes', async () => {
    const c = connect({ chunkSize: 64 * KiB })
    fake.inject5xx('files/upload_session/append_v2', { afterProcessing: true, status: 503 })
    const bytes = patternBytes(200 * KiB, 5)
    const res = await c.store.put('flaky.pdf', Readable.from([bytes]))
    expect(fake.file(res.path)!.bytes.equals(bytes)).toBe(true)
    const appends = c.log().filter((r) => r.route === 'files/upload_session/append_v2')
    expect(appends.map((r) => [r.status, r.errorSummary?.replace(/\/\.*$/, '')])).toEqual([
      [503, undefined],
      [409, 'incorrect_offset'],
      [200, undefined],
    ])
  })

  it('does not retry a 5xx when the caller says the call is not idempotent', async () => {
    const c = connect()
    fake.inject5xx('files/list_folder')
    const err = await rejection(c.api.rpc('files/list_folder', { path: '' }, { idempotent: false }))
    expect(err).toMatchObject({ status: 500, tag: 'server_error' })
    expect(c.sleeps).toEqual([])
  })
})

describe('the fake follows the contract', () => {
  const post = (url: string, init: { headers?: Record<string, string>; body?: string } = {}) => fetch(url, { method: 'POST', ...init })
  const bearer = () => ({ Authorization: `Bearer ${fake.issueToken()}` })

  it('escapes headers exactly like the official example', () => {
    expect(httpHeaderSafeJson({ field: 'some_üñîcødé_and_\x7f' })).toBe('{"field":"some_\\u00fc\\u00f1\\u00eec\\u00f8d\\u00e9_and_\\u007f"}')
    expect(httpHeaderSafeJson({ e: '😀' })).toBe('{"e":"\\ud83d\\ude00"}')
  })

  it('answers JSON with exactly application/json and a request id', async () => {
    const r = await post(`${fake.apiUrl}/2/users/get_current_account`, { headers: bearer() })
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toBe('application/json')
    expect(r.headers.get('x-dropbox-request-id')).toMatch(/^[0-9a-f]{32}$/)
  })

  it('400s in plain text: missing auth, wrong Content-Type, {} for a no-argument route, raw UTF-8 in Dropbox-API-Arg', async () => {
    const cases: Array<[string, RequestInit, RegExp]> = [
      [`${fake.apiUrl}/2/files/create_folder_v2`, { headers: { 'Content-Type': 'application/json' }, body: '{"path":"/x"}' }, /Must provide HTTP header "Authorization"/],
      [`${fake.apiUrl}/2/users/get_current_account`, { headers: { ...bearer(), 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=b' }, /Bad HTTP "Content-Type" header/],
      [`${fake.apiUrl}/2/users/get_current_account`, { headers: { ...bearer(), 'Content-Type': 'application/json' }, body: '{}' }, /expected null, got value/],
      [`${fake.contentUrl}/2/files/upload_session/start`, { headers: { ...bearer(), 'Content-Type': 'application/json', 'Dropbox-API-Arg': '{}' }, body: 'x' }, /Expecting one of "application\/octet-stream", "text\/plain; charset=dropbox-cors-hack"/],
      [
        `${fake.contentUrl}/2/files/upload`,
        { headers: { ...bearer(), 'Content-Type': 'application/octet-stream', 'Dropbox-API-Arg': Buffer.from('{"path":"/ü.pdf"}').toString('latin1') }, body: 'x' },
        /HTTP header "Dropbox-API-Arg": could not decode input as JSON/,
      ],
      [`${fake.apiUrl}/2/files/create_folder_v2`, { headers: { ...bearer(), 'Content-Type': 'application/json' }, body: '{"path":""}' }, /path: '' did not match pattern/],
      [`${fake.apiUrl}/2/files/create_folder_v2`, { headers: { ...bearer(), 'Content-Type': 'application/json' }, body: '{"path":"/x","autorename":null}' }, /autorename: expected boolean, got null/],
    ]
    for (const [url, init, text] of cases) {
      const r = await fetch(url, { method: 'POST', ...init })
      expect(r.status, String(text)).toBe(400)
      expect(r.headers.get('content-type')).toMatch(/^text\/plain/)
      expect(await r.text()).toMatch(text)
    }
  })

  it('takes no body, or null, on a no-argument route', async () => {
    expect((await post(`${fake.apiUrl}/2/users/get_current_account`, { headers: bearer() })).status).toBe(200)
    expect((await post(`${fake.apiUrl}/2/users/get_current_account`, { headers: { ...bearer(), 'Content-Type': 'application/json' }, body: 'null' })).status).toBe(200)
  })

  it('keeps content routes off the api host', async () => {
    const r = await post(`${fake.apiUrl}/2/files/upload_session/start`, { headers: { ...bearer(), 'Content-Type': 'application/octet-stream', 'Dropbox-API-Arg': '{}' } })
    expect(r.status).toBe(404)
  })

  it('401s with the AuthError tags, including missing_scope', async () => {
    const readOnly = fake.issueToken({ scopes: ['files.metadata.read'] })
    const r = await post(`${fake.apiUrl}/2/files/create_folder_v2`, { headers: { Authorization: `Bearer ${readOnly}`, 'Content-Type': 'application/json' }, body: '{"path":"/x"}' })
    expect(r.status).toBe(401)
    expect((await r.json()).error).toEqual({ '.tag': 'missing_scope', required_scope: 'files.content.write' })
    const unknown = await post(`${fake.apiUrl}/2/files/list_folder`, { headers: { Authorization: 'Bearer sl.nope', 'Content-Type': 'application/json' }, body: '{"path":""}' })
    expect(await unknown.json()).toEqual({ error_summary: expect.stringMatching(/^invalid_access_token\//), error: { '.tag': 'invalid_access_token' } })
  })

  it('nests session errors as Dropbox does: incorrect_offset inline on append, under lookup_failed on finish', async () => {
    const c = connect()
    const start = await c.api.upload<{ session_id: string }>('files/upload_session/start', { close: false }, Buffer.from('abc'))
    expect(start.session_id).toMatch(/^pid_upload_session:/)
    const append = (await rejection(c.api.upload('files/upload_session/append_v2', { cursor: { session_id: start.session_id, offset: 0 } }, Buffer.from('d')))) as DropboxError
    expect(append.error).toEqual({ '.tag': 'incorrect_offset', correct_offset: 3 })
    expect(append.correctOffset).toBe(3)
    const finish = (await rejection(
      c.api.upload('files/upload_session/finish', { cursor: { session_id: start.session_id, offset: 9 }, commit: { path: `${c.root}/a.txt` } }, Buffer.alloc(0)),
    )) as DropboxError
    expect(finish.error).toEqual({ '.tag': 'lookup_failed', lookup_failed: { '.tag': 'incorrect_offset', correct_offset: 3 } })
    expect(finish.tags).toEqual(['lookup_failed', 'incorrect_offset'])
    expect(finish.correctOffset).toBe(3)
    const badHash = (await rejection(
      c.api.upload('files/upload_session/append_v2', { cursor: { session_id: start.session_id, offset: 3 }, content_hash: dropboxContentHash(Buffer.from('other')) }, Buffer.from('d')),
    )) as DropboxError
    expect(badHash.tag).toBe('content_hash_mismatch')
  })

  it('expires an upload session after 7 days (not_found), and refuses to append after close', async () => {
    const c = connect({ token: fake.issueToken({ expiresInSeconds: 8 * 24 * 3600 }) })
    const closed = await c.api.upload<{ session_id: string }>('files/upload_session/start', { close: true }, Buffer.from('abc'))
    const tag = async (sessionId: string, offset: number) =>
      ((await rejection(c.api.upload('files/upload_session/append_v2', { cursor: { session_id: sessionId, offset } }, Buffer.from('d')))) as DropboxError).tag
    expect(await tag(closed.session_id, 3)).toBe('closed')
    const open = await c.api.upload<{ session_id: string }>('files/upload_session/start', {}, Buffer.from('abc'))
    fake.clock.advance(7 * 24 * 3600_000 + 1000)
    expect(await tag(open.session_id, 3)).toBe('not_found')
  })

  it('inlines the reason of a single-shot upload path error, with an upload_session_id', async () => {
    const c = connect()
    const long = 'x'.repeat(256)
    const err = (await rejection(c.api.upload('files/upload', { path: `${c.root}/${long}.pdf`, mode: 'add' }, Buffer.from('x')))) as DropboxError
    expect(err.error).toEqual({ '.tag': 'path', reason: { '.tag': 'malformed_path' }, upload_session_id: expect.stringMatching(/^pid_upload_session:/) })
    expect([err.tag, err.pathTag]).toEqual(['path', 'malformed_path'])
  })

  it('streams downloads with an ASCII Dropbox-API-Result and honours Range', async () => {
    const c = connect()
    const f = fake.seedFile(`${c.root}/Résumé.pdf`, Buffer.from('0123456789'))
    const full = await c.api.download<{ name: string; content_hash: string }>('files/download', { path: f.pathDisplay })
    expect(full.headers.get('dropbox-api-result')).toMatch(/^[\x20-\x7e]+$/)
    expect(full.result).toMatchObject({ name: 'Résumé.pdf', content_hash: dropboxContentHash(Buffer.from('0123456789')) })
    expect('.tag' in full.result).toBe(false)
    expect((await readAll(full.body)).toString()).toBe('0123456789')
    const part = await c.api.download('files/download', { path: f.id }, { range: 'bytes=2-4' })
    expect(part.status).toBe(206)
    expect(part.headers.get('content-range')).toBe('bytes 2-4/10')
    expect((await readAll(part.body)).toString()).toBe('234')
  })

  it('tags list_folder entries (and only those), and the cursor later returns changes', async () => {
    const c = connect()
    fake.seedFolder(`${c.root}/a`)
    const first = await c.api.rpc<{ entries: Array<Record<string, unknown>>; cursor: string; has_more: boolean }>('files/list_folder', { path: c.root })
    expect(first.entries.map((e) => [e['.tag'], e.name])).toEqual([['folder', 'a']])
    expect(first.has_more).toBe(false)
    const made = await c.api.rpc<{ metadata: Record<string, unknown> }>('files/create_folder_v2', { path: `${c.root}/b` })
    expect('.tag' in made.metadata).toBe(false)
    const later = await c.api.rpc<{ entries: Array<Record<string, unknown>> }>('files/list_folder/continue', { cursor: first.cursor })
    expect(later.entries.map((e) => e.name)).toEqual(['b'])
  })
})
