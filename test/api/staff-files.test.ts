import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { snapshotTables } from '../helpers/app.js'
import { testDatabases } from '../helpers/databases.js'
import { buildStaffWorld, expectFieldError, expectNotFound, expectNothingWritten, expectStatus, fileForm, missingId, storedFiles, type StaffWorld } from '../helpers/staff.js'

const MB = 1024 * 1024

describe.each(testDatabases)('staff files on $name', (db) => {
  let w: StaffWorld
  /** A file of the other workspace, on its record. */
  let theirFile: { id: string; key: string }
  beforeAll(async () => {
    w = await buildStaffWorld(db)
    const res = await upload(w.other.record.id, fileForm(Buffer.from('%PDF-1.7 their secret'), 'theirs.pdf'), w.otherAdmin)
    const id = res.json().id as string
    const row = await w.t.deps.db.selectFrom('files').select('storage_key').where('id', '=', id).executeTakeFirstOrThrow()
    theirFile = { id, key: row.storage_key }
  })
  afterAll(() => w.t.close())

  function upload(recordId: string, form: FormData, headers = w.admin) {
    return w.inject({ method: 'POST', url: `/api/v1/records/${recordId}/files`, headers, payload: form })
  }
  const download = (id: string, headers = w.admin) => w.inject({ url: `/api/v1/files/${id}/download`, headers })
  const listFiles = (recordId: string, headers = w.admin) => w.inject({ url: `/api/v1/records/${recordId}/files`, headers })
  const storageRoot = () => path.join(w.t.dataDir, 'storage')

  it('uploads a file, lists it, and downloads it byte for byte as an attachment', async () => {
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(300 * 1024)])
    const res = await upload(w.ws.record.id, fileForm(bytes, 'report.pdf', 'application/pdf'))
    expectStatus(res, 201)
    const info = res.json()
    expect(info).toEqual({
      id: expect.any(String),
      name: 'report.pdf',
      size: bytes.length,
      contentType: 'application/pdf',
      source: 'team',
      uploadedBy: expect.stringMatching(/^admin ws-/),
      createdAt: w.t.clock().toISOString(),
    })

    const list = await listFiles(w.ws.record.id)
    expectStatus(list, 200)
    expect(list.json()).toContainEqual(info)

    const dl = await download(info.id)
    expectStatus(dl, 200)
    expect(Buffer.compare(dl.rawPayload, bytes)).toBe(0)
    expect(dl.headers['content-disposition']).toMatch(/^attachment; filename="report\.pdf"/)
    expect(dl.headers['x-content-type-options']).toBe('nosniff')
    expect(dl.headers['content-type']).toBe('application/octet-stream')
    expect(dl.headers['content-length']).toBe(String(bytes.length))

    // The bytes live in storage, not in the database.
    const row = await w.t.deps.db.selectFrom('files').selectAll().where('id', '=', info.id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ workspace_id: w.ws.workspaceId, record_id: w.ws.record.id, storage_provider: 'local', size: bytes.length })
    const onDisk = await fs.readFile(path.join(storageRoot(), row.storage_key))
    expect(Buffer.compare(onDisk, bytes)).toBe(0)
  })

  it('keeps a non-ASCII name and sends it RFC 6266-encoded', async () => {
    const res = await upload(w.ws.record.id, fileForm(Buffer.from('hello'), 'Résumé 2027.pdf'))
    expectStatus(res, 201)
    expect(res.json().name).toBe('Résumé 2027.pdf')
    const dl = await download(res.json().id)
    expect(dl.headers['content-disposition']).toBe(`attachment; filename="R_sum_ 2027.pdf"; filename*=UTF-8''${encodeURIComponent('Résumé 2027.pdf')}`)
    expect(dl.body).toBe('hello')
  })

  it('stores a hostile name sanitised, inside the storage folder', async () => {
    const before = await storedFiles(w.t)
    for (const [hostile, expected] of [
      ['../../etc/passwd', 'passwd'],
      ['..\\..\\windows\\evil.txt', 'evil.txt'],
      ['..', 'file'],
      ['.htaccess', 'htaccess'],
      ['a\u0000b\u001f.txt', 'ab.txt'],
      ['-rf .pdf', 'rf .pdf'],
    ] as const) {
      const res = await upload(w.ws.record.id, fileForm(Buffer.from(`contents of ${hostile}`), hostile))
      expectStatus(res, 201)
      const { name } = res.json()
      expect(name, hostile).toBe(expected)
      expect(name).not.toMatch(/[/\\\u0000-\u001f]/)
      expect(name.startsWith('.')).toBe(false)
      const row = await w.t.deps.db.selectFrom('files').select(['name', 'storage_key']).where('id', '=', res.json().id).executeTakeFirstOrThrow()
      expect(row.name).toBe(expected)
      const full = path.resolve(storageRoot(), row.storage_key)
      expect(full.startsWith(storageRoot() + path.sep)).toBe(true)
      expect(row.storage_key.split('/')).not.toContain('..')
      expect((await fs.readFile(full)).toString()).toBe(`contents of ${hostile}`)
    }
    const added = (await storedFiles(w.t)).filter((f) => !before.includes(f))
    expect(added).toHaveLength(6)
    for (const f of added) expect(f.startsWith(`${w.ws.workspaceId}/records/${w.ws.record.id}/`)).toBe(true)
    await expect(fs.access(path.join(w.t.dataDir, 'etc'))).rejects.toThrow()
  })

  it('accepts exactly 50 MB', async () => {
    const res = await upload(w.ws.record.id, fileForm(Buffer.alloc(50 * MB, 1), 'exactly-50mb.zip'))
    expectStatus(res, 201)
    expect(res.json().size).toBe(50 * MB)
    expectStatus(await w.inject({ method: 'DELETE', url: `/api/v1/files/${res.json().id}`, headers: w.admin }), 200)
  })

  it('refuses a file of 50 MB + 1 byte with 413, keeping neither a row nor bytes', async () => {
    const before = await storedFiles(w.t)
    const res = await expectNothingWritten(w.t, () => upload(w.ws.record.id, fileForm(Buffer.alloc(50 * MB + 1, 2), 'too-big.zip')))
    expectStatus(res, 413)
    expect(res.json().error).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: 'Files may be at most 50 MB' })
    expect(await storedFiles(w.t)).toEqual(before)
    expect((await storedFiles(w.t)).some((f) => f.includes('too-big') || f.endsWith('.part'))).toBe(false)
  })

  it('refuses 50 MB + 1 byte over real HTTP too, and keeps serving', async () => {
    const address = await w.t.app.listen({ port: 0, host: '127.0.0.1' })
    const before = await storedFiles(w.t)
    const send = (bytes: Buffer, name: string) =>
      fetch(`${address}/api/v1/records/${w.ws.record.id}/files`, { method: 'POST', headers: { cookie: w.admin.cookie!, origin: w.admin.origin! }, body: fileForm(bytes, name) })
    const tables = await snapshotTables(w.t.deps)
    const res = await send(Buffer.alloc(50 * MB + 1, 3), 'too-big-http.zip')
    expect(res.status).toBe(413)
    expect((await res.json()).error.code).toBe('PAYLOAD_TOO_LARGE')
    expect(await snapshotTables(w.t.deps)).toEqual(tables)
    expect(await storedFiles(w.t)).toEqual(before)
    const small = await send(Buffer.from('small'), 'small.txt')
    expect(small.status).toBe(201)
  })

  it('deletes a file: the row and the bytes', async () => {
    const info = (await upload(w.ws.record.id, fileForm(Buffer.from('temporary'), 'temp.txt'), w.member)).json()
    const { storage_key } = await w.t.deps.db.selectFrom('files').select('storage_key').where('id', '=', info.id).executeTakeFirstOrThrow()
    await fs.access(path.join(storageRoot(), storage_key))
    const res = await w.inject({ method: 'DELETE', url: `/api/v1/files/${info.id}`, headers: w.member })
    expectStatus(res, 200)
    expect(res.json()).toEqual({ ok: true })
    expect(await w.t.deps.db.selectFrom('files').select('id').where('id', '=', info.id).execute()).toEqual([])
    await expect(fs.access(path.join(storageRoot(), storage_key))).rejects.toThrow()
    expectNotFound(await download(info.id))
    expect((await listFiles(w.ws.record.id)).json().map((f: { id: string }) => f.id)).not.toContain(info.id)
  })

  describe('rejects bad input and writes nothing', () => {
    it('a request without a file part', async () => {
      const form = new FormData()
      form.append('note', 'no file here')
      const res = await expectNothingWritten(w.t, () => upload(w.ws.record.id, form))
      expectFieldError(res, 'file')
    })

    it('a body that is not multipart', async () => {
      const res = await expectNothingWritten(w.t, () => w.inject({ method: 'POST', url: `/api/v1/records/${w.ws.record.id}/files`, headers: w.admin, payload: { file: 'x' } }))
      expectStatus(res, 415)
      expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE')
    })

    it('malformed ids in the path', async () => {
      expectFieldError(await listFiles('record-1'), 'id')
      expectFieldError(await expectNothingWritten(w.t, () => upload('record-1', fileForm(Buffer.from('x'), 'x.txt'))), 'id')
      expectFieldError(await download('file-1'), 'id')
      expectFieldError(await expectNothingWritten(w.t, () => w.inject({ method: 'DELETE', url: '/api/v1/files/file-1', headers: w.admin })), 'id')
    })
  })

  it('answers 404 for files of another workspace on every route, exactly like missing ones, and writes nothing', async () => {
    const missingList = await listFiles(missingId())
    const foreignList = await listFiles(w.other.record.id)
    expectNotFound(foreignList)
    expect(foreignList.json()).toEqual(missingList.json())

    const before = await storedFiles(w.t)
    expectNotFound(await expectNothingWritten(w.t, () => upload(w.other.record.id, fileForm(Buffer.from('planted'), 'planted.pdf'))))
    expect(await storedFiles(w.t)).toEqual(before)

    const missingDl = await download(missingId())
    const foreignDl = await download(theirFile.id)
    expectNotFound(foreignDl)
    expect(foreignDl.json()).toEqual(missingDl.json())
    expect(foreignDl.body).not.toContain('secret')
    expectNotFound(await download(theirFile.id, w.member))

    expectNotFound(await expectNothingWritten(w.t, () => w.inject({ method: 'DELETE', url: `/api/v1/files/${theirFile.id}`, headers: w.admin })))
    await fs.access(path.join(storageRoot(), theirFile.key))
    // Their own admin still gets it.
    expect((await download(theirFile.id, w.otherAdmin)).body).toBe('%PDF-1.7 their secret')
  })

  it('answers 401 without a session on every file route', async () => {
    const before = await storedFiles(w.t)
    const responses = [
      await listFiles(w.ws.record.id, w.anonymous),
      await expectNothingWritten(w.t, () => upload(w.ws.record.id, fileForm(Buffer.from('anon'), 'anon.txt'), w.anonymous)),
      await download(theirFile.id, w.anonymous),
      await expectNothingWritten(w.t, () => w.inject({ method: 'DELETE', url: `/api/v1/files/${theirFile.id}`, headers: w.anonymous })),
    ]
    for (const res of responses) expectStatus(res, 401)
    expect(await storedFiles(w.t)).toEqual(before)
  })
})
