// Issue 6, local provider: a client uploads into the workspace's storage folder. Each accepted type
// lands byte-identical under /{root}/{Record}/client-uploads, shows in the portal and the staff list,
// downloads back, and emails the owner and watchers. Every rejection (type, name, size, abort, scope,
// settings, Preview, session, origin) leaves the storage folder and every table exactly as before.
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generatedStream, sampleDocx, sampleExe, sampleJpeg, samplePdf, samplePng, sampleXlsx, sampleZip } from '../fakes/sample-files.js'
import { testDatabases } from '../helpers/databases.js'
import { newContact } from '../helpers/portal.js'
import {
  MAX_UPLOAD,
  MiB,
  RECORD_NAME,
  UPLOADS_ROOT,
  buildUploadWorld,
  emailIds,
  emailsSince,
  eventually,
  expectNothingKept,
  expectRejected,
  expectStatus,
  filesIn,
  listen,
  localUploadDir,
  portalDetail,
  portalDownload,
  portalUpload,
  sha256,
  sha256File,
  shareWithClient,
  snapshot,
  staffFiles,
  storageRoot,
  storageTree,
  streamUpload,
  type UploadWorld,
} from '../helpers/uploads.js'

const ACCEPTED = 'Only PDF, PNG, JPG, DOCX, XLSX and ZIP files are accepted'

/** A multipart body written by hand, so the file name reaches the server byte for byte (FormData escapes some characters). */
function rawMultipart(filename: string, bytes: Buffer): { payload: Buffer; contentType: string } {
  const boundary = '----raw-boundary-7f3a'
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n`, 'utf8')
  return { payload: Buffer.concat([head, bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` }
}

describe.each(testDatabases)('client uploads (local storage) on $name', (db) => {
  let w: UploadWorld
  beforeAll(async () => {
    w = await buildUploadWorld(db)
  })
  afterAll(() => w.close())

  /** A new Acme Co project: its upload folder does not exist yet. */
  const newRecord = async (name: string, typeId = w.ws.projects.id, companyId = w.ws.company.id) => {
    const res = expectStatus(await w.t.app.inject({ method: 'POST', url: '/api/v1/records', headers: w.admin, payload: { typeId, companyId, name } }), 201)
    return res.json().id as string
  }
  const rawUpload = (filename: string, bytes: Buffer, recordId = w.recordId) => {
    const { payload, contentType } = rawMultipart(filename, bytes)
    return w.t.app.inject({ method: 'POST', url: `/api/portal/records/${recordId}/files`, headers: { cookie: w.client.cookie, origin: w.origin, 'content-type': contentType }, payload })
  }
  const fileRow = (id: string) => w.t.deps.db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

  it('accepts each allowed type: 201, in both file lists, byte-identical on disk, downloads back, owner and watcher emailed', async () => {
    const samples: Array<[string, Buffer, string]> = [
      ['Proposal.pdf', samplePdf('Proposal'), 'application/pdf'],
      ['logo.png', samplePng(4), 'image/png'],
      ['photo.jpg', sampleJpeg(), 'image/jpeg'],
      ['Scan.JPEG', sampleJpeg(), 'image/jpeg'],
      ['Brief.docx', sampleDocx(), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['Budget.xlsx', sampleXlsx(), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      ['assets.zip', sampleZip([['readme.txt', 'hello']]), 'application/zip'],
    ]
    const dir = localUploadDir(w)
    for (const [name, bytes, contentType] of samples) {
      const mails = await emailIds(w.t)
      const before = await filesIn(dir)
      w.t.clock.advance(1_000)
      // The client's Content-Type is ignored: every part claims to be a PDF.
      const res = expectStatus(await portalUpload(w, bytes, name, { type: 'application/pdf' }), 201)
      const created = res.json()
      expect(created).toEqual({ id: expect.any(String), name, size: bytes.length, createdAt: w.t.clock().toISOString(), source: 'client', uploadedBy: 'Bea Buyer' })

      // Exactly one new file in the record's client-uploads folder, with the same bytes.
      const added = (await filesIn(dir)).filter((f) => !before.includes(f))
      expect(added).toHaveLength(1)
      expect(added[0]).toMatch(new RegExp(`^[0-9a-f]{8}-${name.replace('.', '\\.')}$`))
      expect(Buffer.compare(await fs.readFile(path.join(dir, added[0]!)), bytes)).toBe(0)
      const row = await fileRow(created.id)
      expect(row).toMatchObject({
        workspace_id: w.ws.workspaceId,
        record_id: w.recordId,
        name,
        content_type: contentType,
        storage_provider: 'local',
        source: 'client',
        uploaded_by_user_id: null,
        uploaded_by_contact_id: w.client.contactId,
      })
      expect(Number(row.size)).toBe(bytes.length)
      expect(path.join(storageRoot(w.t), row.storage_key)).toBe(path.join(dir, added[0]!))

      // The portal detail and the staff list both show it, marked as from the client.
      expect((await portalDetail(w)).files).toContainEqual(created)
      expect(await staffFiles(w)).toContainEqual({ ...created, contentType })

      // The client downloads exactly the same bytes, as an attachment.
      const dl = expectStatus(await portalDownload(w, created.id), 200)
      expect(Buffer.compare(dl.rawPayload, bytes)).toBe(0)
      expect(dl.headers['content-disposition']).toBe(`attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(name)}`)
      expect(dl.headers['x-content-type-options']).toBe('nosniff')
      expect(dl.headers['content-security-policy']).toBe('sandbox')

      // One email each to the owner (admin) and the watcher (member); never to the client who uploaded.
      const emails = await emailsSince(w.t, mails)
      expect(emails.map((e) => e.to_address).sort()).toEqual([w.ws.admin.email, w.ws.member.email].sort())
      for (const e of emails) {
        expect(e.subject).toBe(`Bea Buyer (Acme Co) uploaded ${name}`)
        expect(e.text_body).toContain(RECORD_NAME)
      }
      expect(emails.map((e) => e.to_address)).not.toContain(w.client.email)
    }
    const events = await w.t.deps.db.selectFrom('portal_events').select(['kind', 'detail', 'contact_id']).where('grant_id', '=', w.client.grantId).where('kind', 'in', ['uploaded', 'downloaded']).orderBy('created_at').execute()
    expect(events.filter((e) => e.kind === 'uploaded').map((e) => e.detail)).toEqual(samples.map(([name]) => name))
    expect(events.filter((e) => e.kind === 'downloaded')).toHaveLength(samples.length)
    expect(new Set(events.map((e) => e.contact_id))).toEqual(new Set([w.client.contactId]))
    // The staff side can download a client's upload too.
    const first = (await staffFiles(w)).find((f) => f.name === 'Proposal.pdf')!
    const staffDl = expectStatus(await w.t.app.inject({ url: `/api/v1/files/${first.id}/download`, headers: w.admin }), 200)
    expect(Buffer.compare(staffDl.rawPayload, samplePdf('Proposal'))).toBe(0)
  })

  it('keeps two uploads of the same name apart', async () => {
    const recordId = await newRecord('Same name')
    const a = expectStatus(await portalUpload(w, samplePdf('one'), 'notes.pdf', { recordId }), 201).json()
    const b = expectStatus(await portalUpload(w, samplePdf('two'), 'notes.pdf', { recordId }), 201).json()
    expect(a.id).not.toBe(b.id)
    const stored = await filesIn(localUploadDir(w, UPLOADS_ROOT, 'Same name'))
    expect(stored).toHaveLength(2)
    expect((await portalDetail(w, recordId)).files?.map((f) => f.name)).toEqual(['notes.pdf', 'notes.pdf'])
    expect(Buffer.compare((await portalDownload(w, a.id)).rawPayload, samplePdf('one'))).toBe(0)
    expect(Buffer.compare((await portalDownload(w, b.id)).rawPayload, samplePdf('two'))).toBe(0)
  })

  it('never extracts a ZIP: one upload adds exactly one file to storage', async () => {
    const recordId = await newRecord('Zip drop')
    const zip = sampleZip([
      ['inner/setup.exe', sampleExe()],
      ['../../escape.pdf', samplePdf()],
      ['docs/readme.txt', 'read me'],
    ])
    const before = await storageTree(w.t)
    const res = expectStatus(await portalUpload(w, zip, 'archive.zip', { recordId }), 201)
    const after = await storageTree(w.t)
    const added = after.filter((e) => !before.includes(e))
    const dir = path.relative(storageRoot(w.t), localUploadDir(w, UPLOADS_ROOT, 'Zip drop'))
    // The record's folders are new; the only new file is the archive itself, whole.
    expect(added.filter((e) => !e.endsWith('/'))).toEqual([`${dir}/${(await filesIn(localUploadDir(w, UPLOADS_ROOT, 'Zip drop')))[0]} ${zip.length} ${sha256(zip)}`])
    expect(added.filter((e) => e.endsWith('/'))).toEqual([`${path.dirname(dir)}/`, `${dir}/`])
    expect(after.some((e) => /setup\.exe|escape\.pdf|readme\.txt/.test(e))).toBe(false)
    expect((await portalDetail(w, recordId)).files?.map((f) => f.id)).toEqual([res.json().id])
  })

  it('rejects a disguised or unsupported file with 415 naming the rule, and keeps nothing, not even the folder', async () => {
    const recordId = await newRecord('Rejections')
    const cases: Array<[string, Buffer, RegExp]> = [
      ['invoice.pdf', sampleExe(), /^This file's content does not match its \.pdf extension$/],
      ['notes.txt', Buffer.from('just text'), new RegExp(`^${ACCEPTED}$`)],
      ['x.pdf.exe', sampleExe(), new RegExp(`^${ACCEPTED}$`)],
      ['invoice.exe.pdf', samplePdf(), /hidden second extension \(\.exe\.pdf\)/],
      ['photo.jpg', samplePng(), /content does not match its \.jpg extension/],
      ['report.docx', sampleZip([['readme.txt', 'not a Word file']]), /content does not match its \.docx extension/],
      ['sheet.xlsx', sampleZip([['data.csv', 'a,b\n1,2']]), /content does not match its \.xlsx extension/],
      ['empty.pdf', Buffer.alloc(0), /content does not match its \.pdf extension/],
      ['no-extension', samplePdf(), new RegExp(`^${ACCEPTED}$`)],
      ['.pdf', samplePdf(), new RegExp(`^${ACCEPTED}$`)],
    ]
    for (const [name, bytes, message] of cases) {
      const res = await expectNothingKept(w.t, () => portalUpload(w, bytes, name, { recordId }))
      expectRejected(res, 415, 'UNSUPPORTED_MEDIA_TYPE', message)
    }
    // Control characters in the name (sent raw: FormData would escape some of them), NUL included.
    for (const name of ['bad\u0001name.pdf', 'tab\there.pdf', 'x.pdf\u0000.exe', 'bell\u0007.pdf', 'del\u007f.pdf']) {
      const res = await expectNothingKept(w.t, () => rawUpload(name, samplePdf(), recordId))
      expectRejected(res, 415, 'UNSUPPORTED_MEDIA_TYPE', /^File names may not contain control characters$/)
    }
    await expect(fs.stat(path.dirname(localUploadDir(w, UPLOADS_ROOT, 'Rejections')))).rejects.toThrow()
    expect((await portalDetail(w, recordId)).files).toEqual([])
  })

  it('stores a name with ../ sanitised, inside the record folder', async () => {
    const recordId = await newRecord('Traversal')
    const dir = localUploadDir(w, UPLOADS_ROOT, 'Traversal')
    const rel = path.relative(storageRoot(w.t), dir)
    // Entries that are neither in the record's folder nor one of the folders on the way to it.
    const outside = (tree: string[]) => tree.filter((e) => !e.startsWith(`${rel}/`) && !(e.endsWith('/') && `${rel}/`.startsWith(e)))
    const before = await storageTree(w.t)
    for (const [hostile, expected] of [
      ['../../evil.pdf', 'evil.pdf'],
      ['..\\..\\..\\win.pdf', 'win.pdf'],
      ['/etc/cron.d/abs.pdf', 'abs.pdf'],
      ['....//....//dots.pdf', 'dots.pdf'],
    ] as const) {
      const res = expectStatus(await rawUpload(hostile, samplePdf(hostile), recordId), 201)
      expect(res.json().name).toBe(expected)
      const row = await fileRow(res.json().id)
      expect(row.storage_key).not.toContain('..')
      expect(path.join(storageRoot(w.t), row.storage_key).startsWith(`${dir}${path.sep}`)).toBe(true)
      expect(Buffer.compare(await fs.readFile(path.join(storageRoot(w.t), row.storage_key)), samplePdf(hostile))).toBe(0)
    }
    // Nothing appeared anywhere but in the record's folder.
    expect(outside(await storageTree(w.t))).toEqual(outside(before))
    const everywhere = await fs.readdir(w.t.dataDir, { recursive: true, withFileTypes: true })
    const named = everywhere.filter((e) => /(evil|win|abs|dots)\.pdf$/.test(e.name)).map((e) => e.parentPath)
    expect(named).toHaveLength(4)
    expect(new Set(named)).toEqual(new Set([dir]))
    expect((await filesIn(dir)).map((f) => f.slice(9)).sort()).toEqual(['abs.pdf', 'dots.pdf', 'evil.pdf', 'win.pdf'])
  })

  it('accepts exactly 50 MiB, streamed; 50 MiB + 1 byte is refused with 413 while still streaming, and nothing is kept', async () => {
    const port = await listen(w.t)
    const recordId = await newRecord('Big files')
    const url = `/api/portal/records/${recordId}/files`
    const headers = { cookie: w.client.cookie, origin: w.origin }
    const head = samplePdf()

    // 50 MiB + 1 first, into a record without a folder: the answer comes before the request is complete.
    const tooBig = await expectNothingKept(w.t, async () => {
      const r = await streamUpload(port, { url, headers, filename: 'huge.pdf', body: generatedStream(MAX_UPLOAD + 1, head), holdOpen: true })
      // The server may finish cleaning up just after it answered.
      await eventually(async () => expect(await storageTree(w.t)).not.toContainEqual(expect.stringMatching(/\.part /)))
      return r
    })
    expect(tooBig.status, tooBig.body).toBe(413)
    expect(tooBig.answeredBeforeEnd).toBe(true)
    expect(JSON.parse(tooBig.body).error).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: 'Files may be at most 50 MB' })

    const exact = await streamUpload(port, { url, headers, filename: 'exact.pdf', body: generatedStream(MAX_UPLOAD, head) })
    expect(exact.status, exact.body).toBe(201)
    const created = JSON.parse(exact.body)
    expect(created).toMatchObject({ name: 'exact.pdf', size: MAX_UPLOAD, source: 'client' })
    const row = await fileRow(created.id)
    expect(Number(row.size)).toBe(52_428_800)
    const onDisk = path.join(storageRoot(w.t), row.storage_key)
    expect((await fs.stat(onDisk)).size).toBe(52_428_800)
    expect(await sha256File(onDisk)).toBe(exact.sentSha256)
    expect(await filesIn(localUploadDir(w, UPLOADS_ROOT, 'Big files'))).toEqual([path.basename(onDisk)])

    // The download streams the same 50 MiB back.
    const dl = await fetch(`http://127.0.0.1:${port}/api/portal/files/${created.id}/download`, { headers: { cookie: w.client.cookie } })
    expect(dl.status).toBe(200)
    const hash = createHash('sha256')
    for await (const chunk of Readable.fromWeb(dl.body! as never)) hash.update(chunk as Buffer)
    expect(hash.digest('hex')).toBe(exact.sentSha256)

    // Once the folder exists, an oversized upload still leaves it as it was.
    const again = await expectNothingKept(w.t, async () => {
      const r = await streamUpload(port, { url, headers, filename: 'huge.pdf', body: generatedStream(MAX_UPLOAD + 1, head) })
      await eventually(async () => expect(await storageTree(w.t)).not.toContainEqual(expect.stringMatching(/\.part /)))
      return r
    })
    expect(again.status, again.body).toBe(413)
  })

  it('an upload interrupted by the client leaves no partial file and no row', async () => {
    const port = await listen(w.t)
    const recordId = await newRecord('Interrupted')
    const dir = localUploadDir(w, UPLOADS_ROOT, 'Interrupted')
    const before = await snapshot(w.t)
    let partSeen = false
    await streamUpload(port, {
      url: `/api/portal/records/${recordId}/files`,
      headers: { cookie: w.client.cookie, origin: w.origin },
      filename: 'cut.pdf',
      body: generatedStream(30 * MiB, samplePdf()),
      abortAfter: 12 * MiB,
      // Bytes really stream into storage as they arrive (no buffering of the whole file): a partial file exists now.
      beforeAbort: () =>
        eventually(async () => {
          const parts = (await filesIn(dir)).filter((f) => f.endsWith('.part'))
          expect(parts).toHaveLength(1)
          expect((await fs.stat(path.join(dir, parts[0]!))).size).toBeGreaterThan(0)
          partSeen = true
        }),
    })
    expect(partSeen).toBe(true)
    await eventually(async () => expect(await storageTree(w.t)).toEqual(before.storage))
    const after = await snapshot(w.t)
    expect(after.tables.portal_events).toEqual(before.tables.portal_events)
    expect(after.tables).toEqual(before.tables)
    // The server is fine afterwards: the next upload to the same record works.
    expectStatus(await portalUpload(w, samplePdf(), 'after.pdf', { recordId }), 201)
  })

  it('answers 404 for a record of another company, another workspace, an unshared type or no record at all, and stores nothing', async () => {
    const globex = await newRecord('Globex launch', w.ws.projects.id, w.ws.otherCompany.id)
    const contract = await newRecord('Acme contract', w.ws.contracts.id)
    for (const recordId of [globex, w.other.record.id, contract, '6d1f7c2e-0000-4000-8000-000000000000']) {
      const res = await expectNothingKept(w.t, () => portalUpload(w, samplePdf(), 'x.pdf', { recordId }))
      expectRejected(res, 404, 'NOT_FOUND', 'Not found')
    }
  })

  it('answers 403 when the type does not allow uploads or does not show files, and stores nothing', async () => {
    const patch = (body: object) => w.t.app.inject({ method: 'PATCH', url: `/api/v1/portal/settings/${w.ws.projects.id}`, headers: w.admin, payload: body })
    try {
      expectStatus(await patch({ allowUploads: false }), 200)
      expect((await portalDetail(w)).canUpload).toBe(false)
      const res = await expectNothingKept(w.t, () => portalUpload(w, samplePdf(), 'x.pdf'))
      expectRejected(res, 403, 'FORBIDDEN', 'Uploads are not enabled for this record')
      // A large body to a closed door is refused without being stored either.
      const big = await expectNothingKept(w.t, () => portalUpload(w, Buffer.concat([samplePdf(), Buffer.alloc(3 * MiB)]), 'big.pdf'))
      expectRejected(big, 403, 'FORBIDDEN')

      expectStatus(await patch({ allowUploads: true, showFiles: false }), 200)
      expect((await portalDetail(w)).canUpload).toBe(false)
      expectRejected(await expectNothingKept(w.t, () => portalUpload(w, samplePdf(), 'x.pdf')), 403, 'FORBIDDEN')
    } finally {
      expectStatus(await patch({ allowUploads: true, showFiles: true }), 200)
    }
    expect((await portalDetail(w)).canUpload).toBe(true)
  })

  it('answers 403 when the grant has no uploads folder, and stores nothing', async () => {
    const contact = await newContact(w.t, w.ws, { name: 'Noah Folder' })
    const noFolder = await shareWithClient(w.t, w.admin, w.ws, { contactId: contact.id, name: 'Noah Folder', email: contact.email!, uploadsFolder: null })
    expect((await portalDetail(w, w.recordId, noFolder.cookie)).canUpload).toBe(false)
    const res = await expectNothingKept(w.t, () => portalUpload(w, samplePdf(), 'x.pdf', { cookie: noFolder.cookie }))
    expectRejected(res, 403, 'FORBIDDEN', 'Uploads are not enabled for this record')
  })

  it('keeps a staff Preview read-only, and refuses no session (401) and a foreign origin (403), storing nothing', async () => {
    const preview = await expectNothingKept(w.t, () =>
      w.t.app.inject({
        method: 'POST',
        url: `/api/portal-preview/${w.ws.company.id}/records/${w.recordId}/files`,
        headers: { cookie: w.admin.cookie!, origin: w.origin },
        payload: (() => {
          const f = new FormData()
          f.append('file', new Blob([new Uint8Array(samplePdf())]), 'preview.pdf')
          return f
        })(),
      }),
    )
    expectRejected(preview, 403, 'FORBIDDEN', 'Preview is read-only')
    const previewDetail = expectStatus(await w.t.app.inject({ url: `/api/portal-preview/${w.ws.company.id}/records/${w.recordId}`, headers: { cookie: w.admin.cookie! } }), 200)
    expect(previewDetail.json().canUpload).toBe(false)

    expectRejected(await expectNothingKept(w.t, () => portalUpload(w, samplePdf(), 'x.pdf', { cookie: null })), 401, 'UNAUTHENTICATED')
    expectRejected(await expectNothingKept(w.t, () => portalUpload(w, samplePdf(), 'x.pdf', { cookie: 'portal_sid=not-a-session' })), 401, 'UNAUTHENTICATED')
    expectRejected(await expectNothingKept(w.t, () => portalUpload(w, samplePdf(), 'x.pdf', { headers: { origin: 'https://evil.example' } })), 403, 'FORBIDDEN')
    expectRejected(await expectNothingKept(w.t, () => portalUpload(w, samplePdf(), 'x.pdf', { headers: { 'sec-fetch-site': 'cross-site' } })), 403, 'FORBIDDEN')
    // A request with no file part at all is a 400 that names the field.
    const empty = await expectNothingKept(w.t, () =>
      w.t.app.inject({ method: 'POST', url: `/api/portal/records/${w.recordId}/files`, headers: { cookie: w.client.cookie, origin: w.origin }, payload: new FormData() }),
    )
    expect(empty.statusCode, empty.body).toBe(400)
  })
})
