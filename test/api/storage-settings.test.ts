// Admin → Settings → Storage without Dropbox configured: the local folder provider, its folder browser
// (which shows the client-uploads folders once something was stored), path checks, and who may do what.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { samplePdf } from '../fakes/sample-files.js'
import { testDatabases } from '../helpers/databases.js'
import { staffSession } from '../helpers/portal.js'
import { RECORD_NAME, UPLOADS_ROOT, buildUploadWorld, expectNothingKept, expectRejected, expectStatus, portalUpload, type Headers, type UploadWorld } from '../helpers/uploads.js'

describe.each(testDatabases)('storage settings (local provider) on $name', (db) => {
  let w: UploadWorld
  let otherAdmin: Headers
  beforeAll(async () => {
    w = await buildUploadWorld(db)
    otherAdmin = await staffSession(w.t, w.other, w.other.admin.id)
  })
  afterAll(() => w.close())

  const get = (url: string, headers: Headers = w.admin) => w.t.app.inject({ url, headers })
  const post = (url: string, headers: Headers = w.admin) => w.t.app.inject({ method: 'POST', url, headers })
  const folders = async (p: string | undefined, headers: Headers = w.admin) =>
    expectStatus(await get(`/api/v1/storage/folders${p === undefined ? '' : `?path=${encodeURIComponent(p)}`}`, headers), 200).json() as Array<{ name: string; path: string }>

  it('reports the local provider, Dropbox unavailable without configuration, to admins and members alike', async () => {
    for (const headers of [w.admin, w.member]) {
      expect(expectStatus(await get('/api/v1/storage', headers), 200).json()).toEqual({ provider: 'local', dropboxAvailable: false, dropbox: null })
    }
    expectRejected(await get('/api/v1/storage', { origin: w.origin }), 401, 'UNAUTHENTICATED')
    expectRejected(await get('/api/v1/storage/folders?path=/', { origin: w.origin }), 401, 'UNAUTHENTICATED')
  })

  it('lists Client uploads in the folder browser after the first upload, level by level, and only for its own workspace', async () => {
    expect(await folders('/')).toEqual([])
    expect(await folders(undefined)).toEqual([])
    expectStatus(await portalUpload(w, samplePdf(), 'first.pdf'), 201)

    expect(await folders('/')).toEqual([{ name: 'Client uploads', path: '/Client uploads' }])
    expect(await folders('')).toEqual([{ name: 'Client uploads', path: '/Client uploads' }])
    expect(await folders(UPLOADS_ROOT)).toEqual([{ name: RECORD_NAME, path: `${UPLOADS_ROOT}/${RECORD_NAME}` }])
    expect(await folders(`${UPLOADS_ROOT}/${RECORD_NAME}`)).toEqual([{ name: 'client-uploads', path: `${UPLOADS_ROOT}/${RECORD_NAME}/client-uploads` }])
    // Files are not folders: the record's upload folder has no sub-folders.
    expect(await folders(`${UPLOADS_ROOT}/${RECORD_NAME}/client-uploads`)).toEqual([])
    // Members browse too (the Share dialog), and a folder that does not exist is simply empty.
    expect(await folders('/', w.member)).toEqual([{ name: 'Client uploads', path: '/Client uploads' }])
    expect(await folders('/Nowhere')).toEqual([])
    // Another workspace sees its own (empty) storage.
    expect(await folders('/', otherAdmin)).toEqual([])
  })

  it('refuses a path that climbs out with 400, writing nothing', async () => {
    for (const p of ['/../..', '..', '/Client uploads/../..', '/./x', '\\..\\..', '/Client uploads/..']) {
      const res = await expectNothingKept(w.t, () => get(`/api/v1/storage/folders?path=${encodeURIComponent(p)}`))
      expectRejected(res, 400, 'VALIDATION', /must not contain \. or \.\. parts/)
    }
    // The same rule for the folder saved on a share.
    const share = await expectNothingKept(w.t, () =>
      w.t.app.inject({ method: 'POST', url: `/api/v1/companies/${w.ws.company.id}/portal/share`, headers: w.admin, payload: { contactId: w.ws.contact.id, expiresInDays: 30, uploadsFolder: '/../../etc' } }),
    )
    expectRejected(share, 400, 'VALIDATION', /uploadsFolder/)
    expect(expectStatus(await get('/api/v1/storage/folders?path=%2Fx&extra=1'), 400).json().error.code).toBe('VALIDATION')
  })

  it('lets only admins connect or disconnect storage; without configuration connecting says what to set', async () => {
    for (const url of ['/api/v1/storage/dropbox/connect', '/api/v1/storage/dropbox/disconnect']) {
      expectRejected(await expectNothingKept(w.t, () => post(url, w.member)), 403, 'FORBIDDEN')
    }
    expectRejected(await expectNothingKept(w.t, () => get('/api/v1/storage/dropbox/callback?code=abc&state=def', w.member)), 403, 'FORBIDDEN')
    const connect = await expectNothingKept(w.t, () => post('/api/v1/storage/dropbox/connect'))
    expectRejected(connect, 400, 'VALIDATION', /Dropbox is not configured on this server \(set DROPBOX_APP_KEY, DROPBOX_APP_SECRET and TOKEN_ENCRYPTION_KEY\)/)
    // A foreign origin cannot start or end a connection either.
    expectRejected(await expectNothingKept(w.t, () => post('/api/v1/storage/dropbox/disconnect', { ...w.admin, origin: 'https://evil.example' })), 403, 'FORBIDDEN')
    // Disconnecting when nothing is connected is harmless.
    expect(expectStatus(await post('/api/v1/storage/dropbox/disconnect'), 200).json()).toEqual({ ok: true })
    expect(expectStatus(await get('/api/v1/storage'), 200).json()).toEqual({ provider: 'local', dropboxAvailable: false, dropbox: null })
  })
})
