// A client's visit to their portal: staff shares Acme's portal with buyer@acme.com, the emailed magic
// link opens in a fresh browser and lands signed in; the home shows the team's pipeline with counts
// and rollups; stages fold; a record opens (also from a deep link, before or after signing in); a
// file downloads byte-identical; nothing hidden crosses the wire; axe finds nothing serious; a phone
// never scrolls sideways; sign out sticks. A staff Preview shows the same portal, read-only.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { AxeBuilder } from '@axe-core/playwright'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { STATUS_LABELS, RECORD_STATUSES } from '../../src/shared/contracts/common.js'
import type { PortalTypeSettings } from '../../src/shared/contracts/portal-admin.js'
import type { Company, Contact, FileInfo, RecordDetail, RecordSummary, RecordType } from '../../src/shared/contracts/staff.js'
import { launchBrowser, screenshot, trackPageErrors } from './helpers/browser.js'
import { startServer, type RunningServer } from './helpers/server.js'
import { staffApi, waitForMagicLink, type StaffApi } from './helpers/staff-api.js'

const ADMIN_EMAIL = 'admin@example.com'
const ADMIN_PASSWORD = 'e2e-password-123'
const CLIENT_EMAIL = 'buyer@acme.com'
const DESKTOP = { width: 1280, height: 800 }
const PHONE = { width: 390, height: 844 }
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')
const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' })

type Captured = { url: string; body: string }

describe('client portal journey', () => {
  let server: RunningServer
  let browser: Browser
  let staff: StaffApi
  let acme: Company
  let projects: RecordType
  let records: RecordSummary[]
  let link: string
  let context: BrowserContext
  let page: Page
  let pageErrors: string[]
  const captured: Captured[] = []
  let recordId = ''

  beforeAll(async () => {
    server = await startServer({ ADMIN_EMAIL, ADMIN_PASSWORD, WORKER: 'on' })
    browser = await launchBrowser()
    staff = await staffApi(server.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD)
    acme = (await staff.get<Company[]>('/api/v1/companies?q=acme')).find((c) => c.name === 'Acme Co')!
    projects = (await staff.get<RecordType[]>('/api/v1/record-types')).find((t) => t.key === 'projects')!
    // An empty stage, moved into the middle of the pipeline: the portal must follow the team's order
    // and show it, collapsed.
    const added = await staff.post<RecordType>(`/api/v1/record-types/${projects.id}/stages`, { name: 'On hold', color: '#64748b' })
    const onHold = added.stages.find((s) => s.name === 'On hold')!
    projects = await staff.patch<RecordType>(`/api/v1/record-types/${projects.id}/stages/${onHold.id}`, { position: 2 })
    records = await staff.get<RecordSummary[]>(`/api/v1/records?companyId=${acme.id}&typeId=${projects.id}`)

    const buyer = (await staff.get<Contact[]>(`/api/v1/contacts?companyId=${acme.id}`)).find((c) => c.email === CLIENT_EMAIL)!
    await staff.post(`/api/v1/companies/${acme.id}/portal/share`, { contactId: buyer.id, expiresInDays: 30 })
    link = await waitForMagicLink(staff, CLIENT_EMAIL)

    context = await browser.newContext({ viewport: DESKTOP, acceptDownloads: true })
    page = await context.newPage()
    pageErrors = trackPageErrors(page)
    page.on('response', async (response) => {
      if (!new URL(response.url()).pathname.startsWith('/api/portal/')) return
      try {
        captured.push({ url: response.url(), body: (await response.body()).toString('utf8') })
      } catch {
        captured.push({ url: response.url(), body: '' }) // a download handed to the browser has no body here
      }
    })
  })

  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await server?.stop()
  })

  it('opens the emailed magic link in a fresh browser and lands on the portal, signed in', async () => {
    expect(link.startsWith(`${server.baseUrl}/portal/l/`)).toBe(true)
    // The link page exchanges the token by a same-origin form POST (its script submits it).
    const exchange = page.waitForResponse((r) => new URL(r.url()).pathname === '/portal/session')
    await page.goto(link)
    const exchanged = await exchange
    expect(exchanged.status(), `POST /portal/session answered ${exchanged.status()} ${await exchanged.text().catch(() => '')}`).toBe(303)
    await page.waitForURL(`${server.baseUrl}/portal`)
    await page.getByRole('heading', { level: 1, name: 'Acme Co — Project Portal' }).waitFor()
    const header = page.getByRole('banner')
    await expect(header.getByText(`Signed in as ${CLIENT_EMAIL}`).isVisible()).resolves.toBe(true)
    await expect(header.getByText('Powered by Northwind Studio').isVisible()).resolves.toBe(true)
    await expect(header.getByRole('button', { name: 'Sign out' }).isVisible()).resolves.toBe(true)
    expect(await page.evaluate(() => document.documentElement.style.getPropertyValue('--brand'))).toMatch(/^#[0-9a-f]{6}$/i)
    expect(page.url()).not.toContain('/portal/l/')
  })

  it('shows every stage in the pipeline order, with the counts and rollups the team sees', async () => {
    const expected = await expectedStages()
    const summaries = page.locator('details.stage > summary')
    await summaries.first().waitFor()
    const shown = await summaries.evaluateAll((els) =>
      els.map((el) => ({
        name: el.querySelector('.stage-name')?.textContent ?? '',
        count: el.querySelector('.stage-count')?.textContent ?? '',
        facts: el.querySelector('.stage-facts')?.textContent ?? '',
        open: (el.parentElement as HTMLDetailsElement).open,
      })),
    )
    expect(shown).toEqual(expected)
    expect(shown.some((s) => s.name === 'On hold' && !s.open)).toBe(true)
    await screenshot(page, 'portal-journey-01-home-desktop')
  })

  it('collapses and expands a stage section; an empty stage says so', async () => {
    const first = page.locator('details.stage').first()
    const isOpen = () => first.evaluate((el) => (el as HTMLDetailsElement).open)
    expect(await isOpen()).toBe(true)
    await first.locator('summary').click()
    expect(await isOpen()).toBe(false)
    expect(await first.locator('.record-card').first().isVisible()).toBe(false)
    await first.locator('summary').click()
    expect(await isOpen()).toBe(true)
    expect(await first.locator('.record-card').first().isVisible()).toBe(true)

    const onHold = page.locator('details.stage', { has: page.locator('.stage-name', { hasText: 'On hold' }) })
    await onHold.locator('summary').click()
    await expect(onHold.getByText('No projects in this stage').isVisible()).resolves.toBe(true)
    await onHold.locator('summary').click()
  })

  it('opens a record, and its deep link shows it directly after a reload', async () => {
    const withFiles = await firstRecordWithFiles()
    recordId = withFiles.id
    await page.getByRole('link', { name: withFiles.name, exact: true }).click()
    await page.waitForURL(`${server.baseUrl}/portal/records/${recordId}`)
    await page.getByRole('heading', { level: 1, name: withFiles.name }).waitFor()
    await page.reload()
    await page.getByRole('heading', { level: 1, name: withFiles.name }).waitFor()
    expect(page.url()).toBe(`${server.baseUrl}/portal/records/${recordId}`)

    const crumb = page.getByRole('navigation', { name: 'Breadcrumb' })
    expect(await crumb.getByRole('link', { name: 'Home' }).getAttribute('href')).toBe('/portal')
    const website = page.locator('.field-row.kind-url a')
    expect(await website.getAttribute('target')).toBe('_blank')
    expect((await website.getAttribute('rel'))?.split(' ').sort()).toEqual(['nofollow', 'noopener', 'noreferrer'])
    expect(await page.getByTestId('composer-slot').count()).toBe(1) // comments are on, posting comes later
    expect(await page.getByTestId('dropzone-slot').count()).toBe(0) // no uploads folder chosen
    await screenshot(page, 'portal-journey-02-record-desktop')

    // A deep link opened in a new tab of the signed-in browser goes straight to the record.
    const other = records.find((r) => r.id !== recordId)!
    const tab = await context.newPage()
    await tab.goto(`${server.baseUrl}/portal/records/${other.id}`)
    await tab.getByRole('heading', { level: 1, name: other.name }).waitFor()
    await tab.goto(`${server.baseUrl}/portal/records/00000000-0000-4000-8000-000000000000`)
    await tab.getByRole('heading', { level: 1, name: "We couldn't find that page" }).waitFor()
    await tab.close()
  })

  it('downloads a file in one click, byte-identical to what staff stored', async () => {
    const fileLink = page.locator('.file-list a[download]').first()
    const href = (await fileLink.getAttribute('href'))!
    const fileId = /\/api\/portal\/files\/([0-9a-f-]{36})\/download$/.exec(href)?.[1]
    expect(fileId).toBeTruthy()
    const [download] = await Promise.all([page.waitForEvent('download'), fileLink.click()])
    const bytes = fs.readFileSync((await download.path())!)
    const staffBytes = await staff.bytes(`/api/v1/files/${fileId}/download`)
    expect(bytes.length).toBeGreaterThan(0)
    expect(sha256(bytes)).toBe(sha256(staffBytes))
    const staffFiles = await staff.get<FileInfo[]>(`/api/v1/records/${recordId}/files`)
    expect(download.suggestedFilename()).toBe(staffFiles.find((f) => f.id === fileId)!.name)
  })

  it('never receives a hidden field: not its value, not its key', async () => {
    const settings = (await staff.get<PortalTypeSettings[]>('/api/v1/portal/settings')).find((s) => s.typeId === projects.id)!
    const hidden = settings.fields.filter((f) => !f.visible)
    const hiddenKeys = hidden.map((f) => f.key)
    expect(hiddenKeys).toEqual(expect.arrayContaining(['internal_notes', 'budget', 'margin']))
    const hiddenTexts = ['Internal only: margin is thin']
    for (const r of records) {
      const detail = await staff.get<RecordDetail>(`/api/v1/records/${r.id}`)
      for (const field of hidden) {
        const value = detail.values[field.key]
        if (field.kind === 'user') continue // a user's name may rightly show as an uploader or author
        if (typeof value === 'string' && value.length >= 6) hiddenTexts.push(value)
        if (typeof value === 'number' && field.kind === 'currency') hiddenTexts.push(String(value), usd.format(value / 100))
      }
    }
    const paths = captured.map((c) => new URL(c.url).pathname)
    expect(paths).toEqual(expect.arrayContaining(['/api/portal/me', '/api/portal/home', `/api/portal/records/${recordId}`]))
    for (const { url, body } of captured) {
      for (const text of hiddenTexts) expect(body, `${url} leaks "${text}"`).not.toContain(text)
      for (const key of hiddenKeys) expect(body.toLowerCase(), `${url} names the hidden field ${key}`).not.toContain(key)
    }
  })

  it('has no serious or critical accessibility violation on home and record, at desktop size', async () => {
    await page.goto(`${server.baseUrl}/portal`)
    await page.locator('details.stage').first().waitFor()
    expect(await seriousViolations(page)).toEqual([])
    await page.goto(`${server.baseUrl}/portal/records/${recordId}`)
    await page.locator('.record-hero h1').waitFor()
    expect(await seriousViolations(page)).toEqual([])
  })

  it('fits a phone: cards stack, nothing scrolls sideways, targets are large, axe passes', async () => {
    const phone = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true })
    try {
      const p = await phone.newPage()
      const errors = trackPageErrors(p)
      await p.goto(link) // the link works again: it is multi-use within its window
      await p.waitForURL(`${server.baseUrl}/portal`)
      await p.locator('details.stage').first().waitFor()
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width)
      const card = await p.locator('.record-card').first().boundingBox()
      expect(card!.width).toBeGreaterThan(PHONE.width - 80) // one full-width card per row
      for (const target of [p.locator('details.stage > summary').first(), p.getByRole('button', { name: 'Sign out' })]) {
        expect((await target.boundingBox())!.height).toBeGreaterThanOrEqual(44)
      }
      expect(await seriousViolations(p)).toEqual([])
      await screenshot(p, 'portal-journey-03-home-phone')

      await p.goto(`${server.baseUrl}/portal/records/${recordId}`)
      await p.locator('.record-hero h1').waitFor()
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width)
      expect((await p.locator('.file-list a[download]').first().boundingBox())!.height).toBeGreaterThanOrEqual(44)
      expect(await seriousViolations(p)).toEqual([])
      await screenshot(p, 'portal-journey-04-record-phone')
      expect(errors).toEqual([])
    } finally {
      await phone.close()
    }
  })

  it('remembers a record opened before signing in, and the magic link lands there', async () => {
    const fresh = await browser.newContext({ viewport: DESKTOP })
    try {
      const p = await fresh.newPage()
      await p.goto(`${server.baseUrl}/portal/records/${recordId}`)
      await p.getByText('Your portal session has ended. Open the link from your email to sign in again').waitFor()
      await p.goto(link)
      await p.waitForURL(`${server.baseUrl}/portal/records/${recordId}`)
      await p.locator('.record-hero h1').waitFor()
    } finally {
      await fresh.close()
    }
  })

  it('shows staff a read-only Preview of the same portal', async () => {
    const preview = await browser.newContext({ viewport: DESKTOP })
    try {
      await preview.addCookies(staff.cookies.map((c) => ({ ...c, url: server.baseUrl })))
      const p = await preview.newPage()
      await p.goto(`${server.baseUrl}/portal/preview/${acme.id}`)
      await p.getByText("Preview — this is what Acme Co's contacts see. Read-only.").waitFor()
      await p.getByRole('heading', { level: 1, name: 'Acme Co — Project Portal' }).waitFor()
      expect(await p.getByRole('button', { name: 'Sign out' }).count()).toBe(0)
      await p.locator(`a[href="/portal/preview/${acme.id}/records/${recordId}"]`).click()
      await p.locator('.record-hero h1').waitFor()
      expect(await p.getByTestId('composer-slot').count()).toBe(0)
      expect(await p.getByTestId('dropzone-slot').count()).toBe(0)
      expect(await p.locator('.file-list a[download]').first().getAttribute('href')).toMatch(new RegExp(`^/api/portal-preview/${acme.id}/files/`))
      await screenshot(p, 'portal-journey-05-preview-record')
    } finally {
      await preview.close()
    }
  })

  it('signs out to a signed-out page that stays signed out on reload', async () => {
    await page.goto(`${server.baseUrl}/portal`)
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(`${server.baseUrl}/portal/signed-out`)
    await page.getByText('You have signed out. Open the link from your email to come back.').waitFor()
    await page.reload()
    await page.getByText('You have signed out. Open the link from your email to come back.').waitFor()
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0)
    await page.goto(`${server.baseUrl}/portal/records/${recordId}`)
    await page.getByText('Your portal session has ended. Open the link from your email to sign in again').waitFor()
    expect((await page.request.get(`${server.baseUrl}/api/portal/me`)).status()).toBe(401)
    await screenshot(page, 'portal-journey-06-session-ended')
    expect(pageErrors).toEqual([])
  })

  /** What the summaries must say, computed from the staff API: stages, records, statuses, files. */
  async function expectedStages() {
    const fileCounts = new Map<string, number>()
    for (const r of records) fileCounts.set(r.id, (await staff.get<FileInfo[]>(`/api/v1/records/${r.id}/files`)).length)
    return [...projects.stages]
      .sort((a, b) => a.position - b.position)
      .map((stage) => {
        const inStage = records.filter((r) => r.stageId === stage.id)
        const rollup = RECORD_STATUSES.map((status) => ({ status, n: inStage.filter((r) => r.status === status).length }))
          .filter((x) => x.n > 0)
          .map((x) => `${x.n} ${STATUS_LABELS[x.status].toLowerCase()}`)
        const files = inStage.reduce((sum, r) => sum + (fileCounts.get(r.id) ?? 0), 0)
        return {
          name: stage.name,
          count: `${inStage.length} ${inStage.length === 1 ? 'project' : 'projects'}`,
          facts: [...rollup, files === 1 ? '1 file' : `${files} files`].join(' · '),
          open: inStage.length > 0,
        }
      })
  }

  async function firstRecordWithFiles(): Promise<RecordSummary> {
    const firstStage = [...projects.stages].sort((a, b) => a.position - b.position)[0]!
    for (const r of records.filter((x) => x.stageId === firstStage.id)) {
      if ((await staff.get<FileInfo[]>(`/api/v1/records/${r.id}/files`)).length > 0) return r
    }
    throw new Error('the seed should give the first stage a record with files')
  }
})

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze()
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }))
}
