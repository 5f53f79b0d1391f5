// Client uploads end to end: staff turns on Allow client uploads for Projects and shares Acme's portal
// with the root folder /Client uploads; the client drags a PDF onto a project's drop-zone, watches its
// progress bar, and sees it join the file list marked as from the client (byte-identical for staff);
// several files go at once, each its own request; a cancelled upload leaves nothing; an .exe and an
// oversized file are stopped in the browser, a renamed .exe only by the server, each with the rule's
// message on its row; the owner's email arrives; a staff Preview has no drop-zone and no composer.
import { createHash } from 'node:crypto'
import path from 'node:path'
import { AxeBuilder } from '@axe-core/playwright'
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Company, Contact, EmailDetail, EmailSummary, FileInfo, RecordDetail, RecordSummary, RecordType, StaffUser } from '../../src/shared/contracts/staff.js'
import { launchBrowser, screenshot, SCREENSHOT_DIR, trackPageErrors } from './helpers/browser.js'
import { startServer, type RunningServer } from './helpers/server.js'
import { staffApi, waitForMagicLink, type StaffApi } from './helpers/staff-api.js'

const ADMIN_EMAIL = 'admin@example.com'
const ADMIN_PASSWORD = 'e2e-password-123'
const CLIENT_EMAIL = 'buyer@acme.com'
const UPLOADS_ROOT = '/Client uploads'
const DESKTOP = { width: 1280, height: 900 }
const PHONE = { width: 390, height: 844 }
const TYPES_RULE = 'Only PDF, PNG, JPG, DOCX, XLSX and ZIP files are accepted'
const SIZE_RULE = 'Files may be at most 50 MB'
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

/** A small but real-looking PDF of about `size` bytes. */
function pdf(size: number): Buffer {
  const head = '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n'
  const tail = '\ntrailer << /Root 1 0 R >>\n%%EOF\n'
  return Buffer.from(head + '%'.repeat(Math.max(0, size - head.length - tail.length)) + tail, 'latin1')
}
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(2048, 7)])
const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(4096, 0)])

describe('portal uploads', () => {
  let server: RunningServer
  let browser: Browser
  let staff: StaffApi
  let acme: Company
  let record: RecordSummary
  let client: BrowserContext
  let page: Page
  let cdp: CDPSession
  let pageErrors: string[]
  const uploadRequests: string[] = []

  beforeAll(async () => {
    server = await startServer({ ADMIN_EMAIL, ADMIN_PASSWORD, WORKER: 'on' })
    browser = await launchBrowser()
    staff = await staffApi(server.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD)
    acme = (await staff.get<Company[]>('/api/v1/companies?q=acme')).find((c) => c.name === 'Acme Co')!
    const projects = (await staff.get<RecordType[]>('/api/v1/record-types')).find((t) => t.key === 'projects')!
    record = (await staff.get<RecordSummary[]>(`/api/v1/records?companyId=${acme.id}&typeId=${projects.id}`))[0]!

    // Staff: Allow client uploads on Projects, then share with a root folder for them.
    await staff.patch(`/api/v1/portal/settings/${projects.id}`, { allowUploads: true })
    const buyer = (await staff.get<Contact[]>(`/api/v1/contacts?companyId=${acme.id}`)).find((c) => c.email === CLIENT_EMAIL)!
    await staff.post(`/api/v1/companies/${acme.id}/portal/share`, { contactId: buyer.id, expiresInDays: 30, uploadsFolder: UPLOADS_ROOT })
    const link = await waitForMagicLink(staff, CLIENT_EMAIL)

    client = await browser.newContext({ viewport: DESKTOP })
    page = await client.newPage()
    pageErrors = trackPageErrors(page)
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === `/api/portal/records/${record.id}/files`) uploadRequests.push(r.url())
    })
    cdp = await client.newCDPSession(page)
    await cdp.send('Network.enable')
    await page.goto(link)
    await page.waitForURL(`${server.baseUrl}/portal`)
    await page.goto(`${server.baseUrl}/portal/records/${record.id}`)
    await page.locator('.record-hero h1').waitFor()
  })

  afterAll(async () => {
    await client?.close()
    await browser?.close()
    await server?.stop()
  })

  const zone = () => page.getByRole('region', { name: 'Send files to Northwind Studio' })
  const row = (name: string) => page.locator('.upload-row', { hasText: name })
  const fileRow = (name: string) => page.locator('.file-list .file-row', { has: page.locator('.file-name', { hasText: name }) })
  const staffFiles = () => staff.get<FileInfo[]>(`/api/v1/records/${record.id}/files`)
  /** Slow uploads down so their progress can be watched (and cancelled). */
  const throttle = (bytesPerSecond: number) =>
    cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSecond })

  it('shows a labelled drop-zone with a keyboard-reachable Choose files button', async () => {
    await zone().waitFor()
    expect(await zone().getAttribute('aria-describedby')).toBeTruthy()
    const input = zone().locator('input[type="file"]')
    expect(await input.getAttribute('multiple')).not.toBeNull()
    expect(await input.getAttribute('accept')).toBe('.pdf,.png,.jpg,.jpeg,.docx,.xlsx,.zip')
    // From the last file's link, Tab lands on Choose files.
    await page.locator('.file-list a').last().focus()
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Choose files')
  })

  it('uploads a dropped PDF with a progress bar; it joins the list marked as from the client', async () => {
    const before = (await staffFiles()).length
    const bytes = pdf(1_200_000)
    await throttle(200 * 1024)
    await dropFiles([{ name: 'Site plan.pdf', type: 'application/pdf', base64: bytes.toString('base64') }], { hold: true })
    await page.locator('.upload-zone.dragging').waitFor() // the zone answers the drag
    await screenshot(page, 'portal-uploads-01-dragging')
    await dropFiles([{ name: 'Site plan.pdf', type: 'application/pdf', base64: bytes.toString('base64') }])

    const progress = page.getByRole('progressbar', { name: 'Upload progress for Site plan.pdf' })
    await progress.waitFor()
    await page.waitForFunction(() => {
      const bar = document.querySelector('progress.upload-progress') as HTMLProgressElement | null
      return bar !== null && bar.value > 0.05 && bar.value < 1
    })
    await expect(row('Site plan.pdf').getByText(/^\d+% of 1\.1 MB$/).isVisible()).resolves.toBe(true)
    await screenshot(page, 'portal-uploads-02-progress')
    await throttle(-1)

    await fileRow('Site plan.pdf').waitFor({ timeout: 30_000 })
    expect(await row('Site plan.pdf').count()).toBe(0)
    const shown = fileRow('Site plan.pdf')
    await expect(shown.getByText('Client', { exact: true }).isVisible()).resolves.toBe(true)
    await expect(shown.getByText('Bea Buyer').isVisible()).resolves.toBe(true)
    await expect(page.locator('.upload-zone [aria-live="polite"]').textContent()).resolves.toBe('Site plan.pdf uploaded')
    expect(await page.locator('#files-title .panel-count').textContent()).toBe(String(before + 1))

    const files = await staffFiles()
    expect(files.length).toBe(before + 1)
    const stored = files.find((f) => f.name === 'Site plan.pdf')!
    expect(stored).toMatchObject({ source: 'client' })
    expect(sha256(await staff.bytes(`/api/v1/files/${stored.id}/download`))).toBe(sha256(bytes))
    await screenshot(page, 'portal-uploads-03-uploaded')
  })

  it('sends several chosen files at once, each as its own request', async () => {
    const sent = uploadRequests.length
    await page.locator('input[type="file"]').setInputFiles([
      { name: 'elevation.png', mimeType: 'image/png', buffer: PNG },
      { name: 'notes.pdf', mimeType: 'application/pdf', buffer: pdf(4000) },
    ])
    await fileRow('elevation.png').waitFor()
    await fileRow('notes.pdf').waitFor()
    expect(uploadRequests.length - sent).toBe(2)
  })

  it('cancels an upload in flight; nothing is kept', async () => {
    const before = (await staffFiles()).length
    await throttle(64 * 1024)
    await page.locator('input[type="file"]').setInputFiles([{ name: 'big drawing.pdf', mimeType: 'application/pdf', buffer: pdf(2_000_000) }])
    await page.getByRole('progressbar', { name: 'Upload progress for big drawing.pdf' }).waitFor()
    // Lift the throttle only once the browser has dropped the request: lifted earlier, Chromium's network
    // emulation can flush the rest of the body before the abort reaches it.
    const aborted = page.waitForEvent('requestfailed', (r) => r.method() === 'POST' && r.url().endsWith(`/records/${record.id}/files`))
    await page.getByRole('button', { name: 'Cancel upload of big drawing.pdf' }).click()
    await row('big drawing.pdf').waitFor({ state: 'detached' })
    await aborted
    await throttle(-1)
    await expect(page.locator('.upload-zone [aria-live="polite"]').textContent()).resolves.toBe('Upload of big drawing.pdf cancelled')
    expect(await fileRow('big drawing.pdf').count()).toBe(0)
    await new Promise((r) => setTimeout(r, 500))
    expect((await staffFiles()).length).toBe(before)
  })

  it('rejects an .exe and an oversized file in the browser, and a renamed .exe at the server, inline', async () => {
    const before = (await staffFiles()).length
    const sent = uploadRequests.length
    await page.locator('input[type="file"]').setInputFiles([{ name: 'setup.exe', mimeType: 'application/octet-stream', buffer: EXE }])
    await expect(row('setup.exe').locator('.upload-error').textContent()).resolves.toBe(TYPES_RULE)
    // 50 MB + 1 byte, made in the page: stopped before a byte is sent.
    await page.evaluate(() => {
      const dt = new DataTransfer()
      dt.items.add(new File([new Uint8Array(50 * 1024 * 1024 + 1)], 'huge scan.pdf', { type: 'application/pdf' }))
      const target = document.querySelector('.upload-zone')!
      for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }))
    })
    await expect(row('huge scan.pdf').locator('.upload-error').textContent()).resolves.toBe(SIZE_RULE)
    expect(uploadRequests.length).toBe(sent)

    // Its name passes the browser's check; its content does not pass the server's.
    const refused = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/records/${record.id}/files`))
    await dropFiles([{ name: 'invoice.pdf', type: 'application/pdf', base64: EXE.toString('base64') }])
    expect((await refused).status()).toBe(415)
    await expect(row('invoice.pdf').locator('.upload-error').textContent()).resolves.toBe("This file's content does not match its .pdf extension")
    await expect(page.locator('.upload-zone [aria-live="polite"]').textContent()).resolves.toBe("invoice.pdf was not uploaded: This file's content does not match its .pdf extension")
    expect(uploadRequests.length).toBe(sent + 1)
    // What the server says about a name it refuses is shown too (sent past the browser's check).
    const direct = await page.request.post(`${server.baseUrl}/api/portal/records/${record.id}/files`, {
      headers: { origin: server.baseUrl },
      multipart: { file: { name: 'setup.exe', mimeType: 'application/octet-stream', buffer: EXE } },
    })
    expect(direct.status()).toBe(415)
    expect(((await direct.json()) as { error: { message: string } }).error.message).toBe(TYPES_RULE)

    await screenshot(page, 'portal-uploads-04-rejected')
    expect(await seriousViolations(page)).toEqual([])
    expect((await staffFiles()).length).toBe(before)
    await row('setup.exe').getByRole('button', { name: 'Dismiss setup.exe' }).click()
    expect(await row('setup.exe').count()).toBe(0)
  })

  it("emails the record's owner about the upload", async () => {
    const detail = await staff.get<RecordDetail>(`/api/v1/records/${record.id}`)
    const owner = (await staff.get<StaffUser[]>('/api/v1/users')).find((u) => u.id === detail.ownerId)!
    expect(owner, 'the project should have an owner').toBeTruthy()
    const subject = `Bea Buyer (Acme Co) uploaded Site plan.pdf`
    const deadline = Date.now() + 20_000
    let found: EmailSummary | undefined
    while (!found && Date.now() < deadline) {
      found = (await staff.get<EmailSummary[]>('/api/v1/emails')).find((e) => e.to === owner.email && e.subject === subject)
      if (!found) await new Promise((r) => setTimeout(r, 300))
    }
    expect(found, `no email "${subject}" to ${owner.email}`).toBeTruthy()
    const email = await staff.get<EmailDetail>(`/api/v1/emails/${found!.id}`)
    expect(email.text).toContain(record.name)
    expect(email.links.some((l) => l.endsWith(`/app/records/${record.id}`))).toBe(true)
    // Rejected and cancelled files told nobody anything.
    const all = await staff.get<EmailSummary[]>('/api/v1/emails')
    expect(all.filter((e) => /uploaded (setup\.exe|invoice\.pdf|huge scan\.pdf|big drawing\.pdf)/.test(e.subject))).toEqual([])
  })

  it('fits a phone: the zone stacks, targets are large, nothing scrolls sideways', async () => {
    const phone = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true })
    try {
      await phone.addCookies((await client.cookies()).map((c) => ({ ...c })))
      const p = await phone.newPage()
      const errors = trackPageErrors(p)
      await p.goto(`${server.baseUrl}/portal/records/${record.id}`)
      await p.getByRole('region', { name: 'Send files to Northwind Studio' }).waitFor()
      await p.locator('input[type="file"]').setInputFiles([{ name: 'photo.gif', mimeType: 'image/gif', buffer: Buffer.from('GIF89a') }])
      await p.getByRole('button', { name: 'Dismiss photo.gif' }).waitFor()
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width)
      for (const target of [p.getByRole('button', { name: 'Choose files' }), p.getByRole('button', { name: 'Dismiss photo.gif' }), p.getByRole('button', { name: 'Post' })]) {
        expect((await target.boundingBox())!.height).toBeGreaterThanOrEqual(44)
      }
      await p.locator('.panel-files').screenshot({ path: path.join(SCREENSHOT_DIR, 'portal-uploads-05-phone-files.png') })
      await screenshot(p, 'portal-uploads-06-phone')
      expect(errors).toEqual([])
    } finally {
      await phone.close()
    }
  })

  it('shows staff a Preview with the uploaded file but no drop-zone and no composer', async () => {
    const preview = await browser.newContext({ viewport: DESKTOP })
    try {
      await preview.addCookies(staff.cookies.map((c) => ({ ...c, url: server.baseUrl })))
      const p = await preview.newPage()
      await p.goto(`${server.baseUrl}/portal/preview/${acme.id}`)
      await p.getByRole('heading', { level: 1, name: 'Acme Co — Project Portal' }).waitFor()
      expect(await p.getByRole('region', { name: 'Get notified' }).count()).toBe(0)
      expect(await p.locator('summary', { hasText: 'Manage notifications' }).count()).toBe(0)
      await p.goto(`${server.baseUrl}/portal/preview/${acme.id}/records/${record.id}`)
      await p.getByText("Preview — this is what Acme Co's contacts see. Read-only.").waitFor()
      await p.locator('.file-list .file-name', { hasText: 'Site plan.pdf' }).waitFor()
      await p.locator('.comment-list, .panel-comments .empty-note').first().waitFor()
      expect(await p.getByTestId('dropzone-slot').count()).toBe(0)
      expect(await p.getByTestId('composer-slot').count()).toBe(0)
      expect(await p.locator('input[type="file"]').count()).toBe(0)
      expect(await p.getByRole('textbox', { name: 'Write a comment' }).count()).toBe(0)
      await screenshot(p, 'portal-uploads-07-preview')
    } finally {
      await preview.close()
    }
    expect(pageErrors).toEqual([])
  })

  /** A synthetic drag and drop of files built in the page (`hold`: only drag them over the zone). */
  async function dropFiles(files: { name: string; type: string; base64: string }[], { hold = false } = {}) {
    const dataTransfer = await page.evaluateHandle((list) => {
      const dt = new DataTransfer()
      for (const f of list) dt.items.add(new File([Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))], f.name, { type: f.type }))
      return dt
    }, files)
    const target = page.locator('.upload-zone')
    if (hold) {
      await target.dispatchEvent('dragenter', { dataTransfer })
      await target.dispatchEvent('dragover', { dataTransfer })
      return
    }
    await target.dispatchEvent('dragover', { dataTransfer })
    await target.dispatchEvent('drop', { dataTransfer })
    await dataTransfer.dispose()
  }
})

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze()
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }))
}
