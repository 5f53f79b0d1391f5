// Staff settings in Chromium: Settings → Notifications (sender settings, inline errors, previews that follow
// the saved footer), Settings → Storage (the local provider), and the Share portal dialog's Client uploads
// folder picker (an existing folder, a new folder name) as the access list then shows it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchBrowser, screenshot, signInAsStaff, trackPageErrors } from './helpers/browser.js'
import { startServer, type RunningServer } from './helpers/server.js'
import { staffApi, waitForMagicLink, type StaffApi } from './helpers/staff-api.js'

const ADMIN_EMAIL = 'admin@example.com'
const ADMIN_PASSWORD = 'e2e-password-123'
const FOOTER = 'Questions? Call Northwind on 555-0100 (e2e footer).'

type Company = { id: string; name: string }
type Contact = { id: string; name: string; email: string | null }
type PortalType = { typeId: string; key: string }
type ShareInfo = { access: { contactEmail: string; uploadsFolder: string | null }[] }
type Workspace = { replyTo: string | null; emailFooter: string | null }

describe('staff settings', () => {
  let server: RunningServer
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let pageErrors: string[]
  let api: StaffApi

  beforeAll(async () => {
    server = await startServer({ ADMIN_EMAIL, ADMIN_PASSWORD, WORKER: 'on' })
    api = await staffApi(server.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD)
    browser = await launchBrowser()
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    page = await context.newPage()
    pageErrors = trackPageErrors(page)
    await signInAsStaff(page, server.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD)
  })

  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await server?.stop()
  })

  it('edits Settings → Notifications: a bad reply-to is shown inline, the saved footer shows in the previews', async () => {
    await page.getByRole('link', { name: 'Settings' }).click()
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Notifications' }).click()
    await page.waitForURL(`${server.baseUrl}/app/settings/notifications`)
    const replyTo = page.getByLabel('Reply-to address')
    await replyTo.waitFor()

    // The per-type staff-reply toggle is shown as it is in Settings → Portal.
    const staffReply = page.getByRole('region', { name: 'Email client on staff reply' })
    await staffReply.getByText('Projects').waitFor()
    expect(await staffReply.getByRole('link', { name: 'Settings → Portal' }).getAttribute('href')).toBe('/app/settings/portal')

    // A bad reply-to: the server's message under the field, and nothing saved.
    await replyTo.fill('not-an-email')
    await page.getByRole('button', { name: 'Save email settings' }).click()
    await page.getByText('Reply-to address must be a valid email address').waitFor()
    expect(await replyTo.getAttribute('aria-invalid')).toBe('true')
    expect((await api.get<Workspace>('/api/v1/workspace')).replyTo).toBeNull()
    await screenshot(page, 'settings-01-notifications-bad-reply-to')

    // A good reply-to and a footer: saved, and the previews are rendered again with the footer.
    await replyTo.fill('replies@northwind.example')
    await page.getByLabel('Footer text').fill(FOOTER)
    const previewsReloaded = page.waitForResponse((r) => r.url().endsWith('/api/v1/notifications/previews'))
    await page.getByRole('button', { name: 'Save email settings' }).click()
    await page.getByText('Saved — the previews below are updated').waitFor()
    await previewsReloaded
    expect(await replyTo.getAttribute('aria-invalid')).toBeNull()
    expect(await api.get<Workspace>('/api/v1/workspace')).toMatchObject({ replyTo: 'replies@northwind.example', emailFooter: FOOTER })

    const previews = page.getByRole('region', { name: 'Previews' })
    await previews.getByRole('button', { name: /Staff reply/ }).click()
    expect(await previews.getByRole('button', { name: /Staff reply/ }).getAttribute('aria-pressed')).toBe('true')
    await page.frameLocator('iframe.email-html').getByText(FOOTER).waitFor()
    await previews.getByRole('tab', { name: 'Plain text' }).click()
    expect(await previews.locator('pre').textContent()).toContain(FOOTER)
    await screenshot(page, 'settings-02-notifications-saved')

    // After a reload the form shows what was saved.
    await page.reload()
    await page.getByLabel('Reply-to address').waitFor()
    expect(await page.getByLabel('Reply-to address').inputValue()).toBe('replies@northwind.example')
    expect(await page.getByLabel('Footer text').inputValue()).toBe(FOOTER)
  })

  it('Settings → Storage shows the local provider, and what Dropbox would need', async () => {
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Storage' }).click()
    await page.waitForURL(`${server.baseUrl}/app/settings/storage`)
    await page.getByText('Local folder on this server (the default)').waitFor()
    await page.getByText('DROPBOX_APP_KEY').waitFor()
    expect(await page.getByRole('button', { name: /Connect Dropbox/ }).count()).toBe(0)
    await screenshot(page, 'settings-03-storage-local')
  })

  it('picks an uploads folder in Share portal — an existing one and a new name — and the access list shows it', async () => {
    const acme = (await api.get<Company[]>('/api/v1/companies')).find((c) => c.name === 'Acme Co')!
    const contacts = await api.get<Contact[]>(`/api/v1/contacts?companyId=${acme.id}`)
    const [bea, carlos] = [contacts.find((c) => c.email === 'buyer@acme.com')!, contacts.find((c) => c.email === 'carlos@acme.com')!]
    expect(bea && carlos).toBeTruthy()

    // A real folder in the local storage: the first client upload creates /Client uploads/{Project}/client-uploads.
    const projectFolder = await clientUploadCreatesFolder(acme.id, bea.id)
    expect((await api.get<{ name: string }[]>('/api/v1/storage/folders?path=/')).map((f) => f.name)).toContain('Client uploads')

    await page.goto(`${server.baseUrl}/app/companies/${acme.id}`)
    await page.getByRole('button', { name: 'Share portal' }).click()
    const dialog = page.getByRole('dialog', { name: 'Share portal' })
    await dialog.getByRole('radio', { name: new RegExp(carlos.name) }).check()
    const uploads = dialog.getByRole('group', { name: 'Client uploads' })
    await uploads.getByText('No uploads — the client can’t send files.').waitFor()

    // Browse: the root lists "Client uploads"; inside it, the project's folder; use "Client uploads".
    await uploads.getByRole('button', { name: 'Choose folder…' }).click()
    await uploads.getByRole('button', { name: 'Open Client uploads' }).click()
    await uploads.getByRole('navigation', { name: 'Folder path' }).getByText('Client uploads').waitFor()
    await uploads.getByRole('button', { name: `Open ${projectFolder}` }).waitFor()
    await screenshot(page, 'settings-04-share-folder-browser')
    await uploads.getByRole('button', { name: 'Use this folder' }).click()
    await uploads.getByText('Uploads go to /Client uploads').waitFor()

    const shared = page.waitForResponse((r) => r.url().endsWith(`/api/v1/companies/${acme.id}/portal/share`))
    await dialog.getByRole('button', { name: 'Send magic link →' }).click()
    expect(JSON.parse((await shared).request().postData() ?? '{}')).toMatchObject({ contactId: carlos.id, uploadsFolder: '/Client uploads' })
    await dialog.getByText(`Magic link sent to ${carlos.email}`).waitFor()
    const carlosRow = dialog.getByRole('listitem', { name: carlos.name })
    expect(await carlosRow.locator('dt', { hasText: 'Uploads folder' }).locator('xpath=following-sibling::dd[1]').textContent()).toBe('/Client uploads')

    // Sharing again with Bea keeps her folder unless changed; a new folder name picks a folder that doesn't exist yet.
    await dialog.getByRole('radio', { name: new RegExp(bea.name) }).check()
    await uploads.getByText('Uploads go to /Client uploads').waitFor()
    await uploads.getByRole('button', { name: 'Change folder…' }).click()
    await uploads.getByRole('button', { name: 'Open Client uploads (chosen)' }).waitFor()
    await uploads.getByLabel('New folder name').fill('Acme – 2026')
    await uploads.getByLabel('New folder name').press('Enter') // picks the name; doesn't send the form
    await uploads.getByText('Uploads go to /Acme – 2026').waitFor()
    expect(await dialog.getByText(/Magic link sent to buyer@acme.com/).count()).toBe(0)
    await dialog.getByRole('button', { name: 'Send magic link →' }).click()
    await dialog.getByText(`Magic link sent to ${bea.email}`).waitFor()
    const beaRow = dialog.getByRole('listitem', { name: bea.name })
    expect(await beaRow.locator('dt', { hasText: 'Uploads folder' }).locator('xpath=following-sibling::dd[1]').textContent()).toBe('/Acme – 2026')
    await screenshot(page, 'settings-05-share-access-list')

    const access = (await api.get<ShareInfo>(`/api/v1/companies/${acme.id}/portal`)).access
    expect(access.find((a) => a.contactEmail === carlos.email)?.uploadsFolder).toBe('/Client uploads')
    expect(access.find((a) => a.contactEmail === bea.email)?.uploadsFolder).toBe('/Acme – 2026')
    expect(pageErrors).toEqual([])
  })

  /** Shares with `/Client uploads`, turns uploads on for Projects, and uploads a PDF as the client; returns the project's folder name. */
  async function clientUploadCreatesFolder(companyId: string, contactId: string): Promise<string> {
    const projects = (await api.get<PortalType[]>('/api/v1/portal/settings')).find((t) => t.key === 'projects')!
    await api.patch(`/api/v1/portal/settings/${projects.typeId}`, { allowUploads: true, showFiles: true })
    await api.post(`/api/v1/companies/${companyId}/portal/share`, { contactId, expiresInDays: 30, uploadsFolder: '/Client uploads' })
    const link = await waitForMagicLink(api, 'buyer@acme.com')
    const token = new URL(link).pathname.split('/').pop()!
    const origin = { origin: server.baseUrl }
    const session = await fetch(`${server.baseUrl}/portal/session`, {
      method: 'POST',
      redirect: 'manual',
      headers: { ...origin, 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    })
    expect(session.status).toBe(303)
    const cookie = session.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ')
    const home = (await (await fetch(`${server.baseUrl}/api/portal/home`, { headers: { cookie } })).json()) as { types: { key: string; records: { id: string; name: string }[] }[] }
    const project = home.types.find((t) => t.key === 'projects')!.records[0]!
    const form = new FormData()
    form.append('file', new Blob([Buffer.from('%PDF-1.4\n% e2e\n')], { type: 'application/pdf' }), 'brief.pdf')
    const upload = await fetch(`${server.baseUrl}/api/portal/records/${project.id}/files`, { method: 'POST', headers: { ...origin, cookie }, body: form })
    expect(upload.status, await upload.clone().text()).toBe(201)
    return project.name
  }
})
