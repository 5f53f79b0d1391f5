// A client's email preferences and the conversation, end to end: buyer@acme.com opts in from the Get
// Notified card, confirms from the emailed link (opening it alone confirms nothing), and sees Manage
// notifications; staff moves a project to the next stage and, after the batch window, the client's
// email names the new stage; the client comments (links clickable, markup shown as text) and the
// owner's email arrives; the client unsubscribes from the status email's link and the next stage
// change sends them nothing — while a second, still subscribed contact of Acme does get it (and then
// turns every email off from Manage notifications).
//
// The server batches record changes (two minutes by default); this test's server runs with a
// 3-second window (NOTIFY_BATCH_MS) so the two stage-change steps stay short.
import { AxeBuilder } from '@axe-core/playwright'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PortalPreferences } from '../../src/shared/contracts/portal.js'
import type { Company, Contact, EmailDetail, EmailSummary, RecordDetail, RecordSummary, RecordType, StaffUser } from '../../src/shared/contracts/staff.js'
import { launchBrowser, screenshot, trackPageErrors } from './helpers/browser.js'
import { startServer, type RunningServer } from './helpers/server.js'
import { staffApi, waitForMagicLink, type StaffApi } from './helpers/staff-api.js'

const ADMIN_EMAIL = 'admin@example.com'
const ADMIN_PASSWORD = 'e2e-password-123'
const CLIENT_EMAIL = 'buyer@acme.com'
const CONTROL_EMAIL = 'carlos@acme.com'
const DESKTOP = { width: 1280, height: 800 }
const PHONE = { width: 390, height: 844 }
const BATCH_MS = 3_000
/** The batch window + the worker's poll + queueing and delivery, with room for a loaded machine. */
const BATCH_WAIT_MS = BATCH_MS + 30_000
const LONG = BATCH_WAIT_MS + 30_000

type Found = { summary: EmailSummary; detail: EmailDetail }

describe('portal notifications', () => {
  let server: RunningServer
  let browser: Browser
  let staff: StaffApi
  let acme: Company
  let projects: RecordType
  let record: RecordSummary
  let client: BrowserContext
  let page: Page
  let pageErrors: string[]
  const seen = new Set<string>()
  let unsubscribeLink = ''
  let movedAt = ''
  let controlLink = ''

  beforeAll(async () => {
    server = await startServer({ ADMIN_EMAIL, ADMIN_PASSWORD, WORKER: 'on', NOTIFY_BATCH_MS: String(BATCH_MS) })
    browser = await launchBrowser()
    staff = await staffApi(server.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD)
    acme = (await staff.get<Company[]>('/api/v1/companies?q=acme')).find((c) => c.name === 'Acme Co')!
    projects = (await staff.get<RecordType[]>('/api/v1/record-types')).find((t) => t.key === 'projects')!
    const records = await staff.get<RecordSummary[]>(`/api/v1/records?companyId=${acme.id}&typeId=${projects.id}`)
    const stages = sortedStages()
    // A project with two stages after its own, so it can move twice.
    record = records.find((r) => stages.findIndex((s) => s.id === r.stageId) >= 0 && stages.findIndex((s) => s.id === r.stageId) <= stages.length - 3)!
    expect(record, 'the seed should have a project early in the pipeline').toBeTruthy()

    const contacts = await staff.get<Contact[]>(`/api/v1/contacts?companyId=${acme.id}`)
    const buyer = contacts.find((c) => c.email === CLIENT_EMAIL)!
    await staff.post(`/api/v1/companies/${acme.id}/portal/share`, { contactId: buyer.id, expiresInDays: 30 })
    const link = await waitForMagicLink(staff, CLIENT_EMAIL, seen)
    client = await browser.newContext({ viewport: DESKTOP })
    page = await client.newPage()
    pageErrors = trackPageErrors(page)
    await page.goto(link)
    await page.waitForURL(`${server.baseUrl}/portal`)
  })

  afterAll(async () => {
    await client?.close()
    await browser?.close()
    await server?.stop()
  })

  it('opts in from the Get Notified card and waits for the confirmation', async () => {
    const card = page.getByRole('region', { name: 'Get notified' })
    await card.waitFor()
    const statusBox = card.getByRole('checkbox', { name: 'Project status changes' })
    const repliesBox = card.getByRole('checkbox', { name: 'Replies to comments' })
    expect(await statusBox.isChecked()).toBe(true)
    expect(await repliesBox.isChecked()).toBe(true)
    await expect(card.getByText('You only get emails after you confirm your address, only about Acme Co, and every email has an unsubscribe link.').isVisible()).resolves.toBe(true)
    // Nothing chosen, nothing to send.
    await statusBox.uncheck()
    await repliesBox.uncheck()
    expect(await card.getByRole('button', { name: 'Notify me' }).isDisabled()).toBe(true)
    await statusBox.check()
    await repliesBox.check()
    await screenshot(page, 'portal-notifications-01-get-notified')

    await card.getByRole('button', { name: 'Notify me' }).click()
    const pending = page.getByRole('heading', { name: 'Check your email to confirm' })
    await pending.waitFor()
    expect(await pending.evaluate((el) => el === document.activeElement)).toBe(true) // focus follows the change
    await expect(page.getByText(CLIENT_EMAIL, { exact: true }).last().isVisible()).resolves.toBe(true)
    expect(await preferences(page)).toMatchObject({ status: 'pending', statusChanges: true, commentReplies: true })

    // Reloading keeps the pending state, with a way to resend.
    await page.reload()
    await pending.waitFor()
    await page.getByRole('button', { name: 'Resend confirmation' }).click()
    await page.getByText('Sent again. It can take a minute to arrive.').waitFor()
    expect(await seriousViolations(page)).toEqual([])
    await screenshot(page, 'portal-notifications-02-pending')
  })

  it('confirms only from the button on the emailed page, then shows Manage notifications', async () => {
    // The resend made the first link stale: the newest confirmation email is the one that works.
    const { detail } = await waitForEmail('the confirmation email', (e) => e.to === CLIENT_EMAIL && e.subject === 'Confirm your Acme Co portal updates', 15_000, { newest: true })
    const confirmLink = detail.links.find((l) => l.includes('/portal/confirm/'))!
    expect(confirmLink).toBeTruthy()

    // Opened like a mail client would: a fresh browser, no portal session.
    const mail = await browser.newContext({ viewport: PHONE })
    try {
      const p = await mail.newPage()
      await p.goto(confirmLink)
      const button = p.getByRole('button', { name: 'Confirm my subscription' })
      await button.waitFor()
      expect((await preferences(page)).status).toBe('pending') // a scanner fetching the link confirms nothing
      await button.click()
      await p.getByRole('heading', { name: 'You are subscribed' }).waitFor()
    } finally {
      await mail.close()
    }
    expect(await preferences(page)).toMatchObject({ status: 'confirmed', statusChanges: true, commentReplies: true })

    await page.reload()
    const manage = page.locator('summary', { hasText: 'Manage notifications' })
    await manage.waitFor()
    expect(await page.getByRole('region', { name: 'Get notified' }).count()).toBe(0)
    expect(await page.getByRole('checkbox', { name: 'Project status changes' }).isVisible()).toBe(false) // quiet until opened
    await manage.click()
    const status = page.getByRole('checkbox', { name: 'Project status changes' })
    const replies = page.getByRole('checkbox', { name: 'Replies to comments' })
    expect(await status.isChecked()).toBe(true)
    expect(await replies.isChecked()).toBe(true)
    // Change a topic and save; then put it back.
    await replies.uncheck()
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Saved', { exact: true }).waitFor()
    expect(await preferences(page)).toMatchObject({ status: 'confirmed', statusChanges: true, commentReplies: false })
    await replies.check()
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Saved', { exact: true }).waitFor()
    expect(await preferences(page)).toMatchObject({ status: 'confirmed', statusChanges: true, commentReplies: true })
    expect(await seriousViolations(page)).toEqual([])
    await screenshot(page, 'portal-notifications-03-manage')
  })

  it(
    'emails the client the new stage after staff moves the project',
    async () => {
      const next = nextStage(record.stageId)
      movedAt = new Date().toISOString()
      await staff.patch<RecordDetail>(`/api/v1/records/${record.id}`, { stageId: next.id })
      const { summary, detail } = await waitForEmail(
        'the stage-change email',
        (e) => e.to === CLIENT_EMAIL && e.subject.startsWith(`${record.name}:`) && e.createdAt >= movedAt,
        BATCH_WAIT_MS,
      )
      expect(summary.subject).toBe(`${record.name}: Moved to ${next.name}`)
      expect(detail.text).toContain(`Moved to ${next.name}`)
      expect(detail.html).toContain(next.name)
      unsubscribeLink = detail.links.find((l) => l.includes('/portal/unsubscribe/'))!
      expect(unsubscribeLink).toBeTruthy()
      record = { ...record, stageId: next.id }
    },
    LONG,
  )

  it('posts a comment from the record page; links are clickable and safe; the owner is emailed', async () => {
    await page.goto(`${server.baseUrl}/portal/records/${record.id}`)
    await page.locator('.record-hero h1').waitFor()
    const box = page.getByRole('textbox', { name: 'Write a comment' })
    const post = page.getByRole('button', { name: 'Post' })
    expect(await post.isDisabled()).toBe(true)
    await box.fill('   ')
    expect(await post.isDisabled()).toBe(true)

    const text = 'Looks good!\nThe spec is at https://example.com/spec?v=2. <script>alert(1)</script> javascript:alert(2)'
    const before = await page.locator('.comment-list > li').count()
    await box.fill(text)
    await box.press('Control+Enter')
    const mine = page.locator('.comment-list > li').nth(before)
    await mine.waitFor()
    expect(await box.inputValue()).toBe('')
    await expect(mine.getByText('Client', { exact: true }).isVisible()).resolves.toBe(true)
    await expect(mine.getByText('Bea Buyer').isVisible()).resolves.toBe(true)
    expect(await mine.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/)
    const body = mine.locator('.comment-body')
    expect(await body.innerText()).toBe(text) // line breaks kept, nothing eaten
    const links = body.locator('a')
    expect(await links.count()).toBe(1)
    expect(await links.first().getAttribute('href')).toBe('https://example.com/spec?v=2')
    expect(await links.first().getAttribute('target')).toBe('_blank')
    expect((await links.first().getAttribute('rel'))?.split(' ').sort()).toEqual(['nofollow', 'noopener', 'noreferrer'])
    expect(await body.locator('script').count()).toBe(0)
    await screenshot(page, 'portal-notifications-04-comment')

    // The server's own message when it refuses (here: more than 10,000 characters, sent past the UI).
    const tooLong = await page.request.post(`${server.baseUrl}/api/portal/records/${record.id}/comments`, { data: { body: 'x'.repeat(10_001) }, headers: { origin: server.baseUrl } })
    expect(tooLong.status()).toBe(400)
    await box.fill('x'.repeat(10_001))
    await page.getByText('1 character over the limit').waitFor()
    expect(await post.isDisabled()).toBe(true)
    await box.fill('')

    const detail = await staff.get<RecordDetail>(`/api/v1/records/${record.id}`)
    const owner = (await staff.get<StaffUser[]>('/api/v1/users')).find((u) => u.id === detail.ownerId)!
    expect(owner, 'the project should have an owner').toBeTruthy()
    const email = await waitForEmail('the owner email', (e) => e.to === owner.email && e.subject === `Bea Buyer (Acme Co) commented on ${record.name}`, 20_000)
    expect(email.detail.text).toContain('The spec is at https://example.com/spec?v=2.')
    expect(email.detail.links.some((l) => l.endsWith(`/app/records/${record.id}`))).toBe(true)
  })

  it('unsubscribes from the status email: opening the link changes nothing, the button does', async () => {
    const mail = await browser.newContext({ viewport: PHONE })
    try {
      const p = await mail.newPage()
      await p.goto(unsubscribeLink)
      await p.getByRole('heading', { name: 'Stop Acme Co portal emails?' }).waitFor()
      expect((await preferences(page)).status).toBe('confirmed')
      await p.getByRole('button', { name: 'Unsubscribe from all portal emails' }).click()
      await p.getByRole('heading', { name: 'You are unsubscribed' }).waitFor()
      await expect(p.getByRole('button', { name: 'Re-subscribe' }).isVisible()).resolves.toBe(true)
      await screenshot(p, 'portal-notifications-05-unsubscribed-page')
    } finally {
      await mail.close()
    }
    expect((await preferences(page)).status).toBe('unsubscribed')
    // The portal home offers to opt in again.
    await page.goto(`${server.baseUrl}/portal`)
    await page.getByRole('region', { name: 'Emails are off' }).waitFor()
    await expect(page.getByRole('button', { name: 'Notify me' }).isVisible()).resolves.toBe(true)
  })

  it(
    'sends the unsubscribed client nothing about the next stage change (a subscribed contact still hears)',
    async () => {
      // A second contact of Acme, subscribed and confirmed: their email proves the batch ran.
      const carlos = (await staff.get<Contact[]>(`/api/v1/contacts?companyId=${acme.id}`)).find((c) => c.email === CONTROL_EMAIL)!
      await staff.post(`/api/v1/companies/${acme.id}/portal/share`, { contactId: carlos.id, expiresInDays: 30 })
      controlLink = await waitForMagicLink(staff, CONTROL_EMAIL, seen)
      const other = await browser.newContext({ viewport: PHONE })
      try {
        const p = await other.newPage()
        const errors = trackPageErrors(p)
        await p.goto(controlLink)
        await p.waitForURL(`${server.baseUrl}/portal`)
        await p.getByRole('button', { name: 'Notify me' }).click()
        await p.getByRole('heading', { name: 'Check your email to confirm' }).waitFor()
        await screenshot(p, 'portal-notifications-06-pending-phone')
        const { detail } = await waitForEmail('the second confirmation', (e) => e.to === CONTROL_EMAIL && e.subject === 'Confirm your Acme Co portal updates', 15_000)
        await p.goto(detail.links.find((l) => l.includes('/portal/confirm/'))!)
        await p.getByRole('button', { name: 'Confirm my subscription' }).click()
        await p.getByRole('heading', { name: 'You are subscribed' }).waitFor()
        await p.goto(`${server.baseUrl}/portal`)
        await p.locator('summary', { hasText: 'Manage notifications' }).waitFor()
        expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width)
        expect(errors).toEqual([])
      } finally {
        await other.close()
      }

      const next = nextStage(record.stageId)
      const at = new Date().toISOString()
      await staff.patch<RecordDetail>(`/api/v1/records/${record.id}`, { stageId: next.id })
      const control = await waitForEmail('the subscribed contact’s stage email', (e) => e.to === CONTROL_EMAIL && e.subject === `${record.name}: Moved to ${next.name}` && e.createdAt >= at, BATCH_WAIT_MS)
      expect(control.detail.text).toContain(`Moved to ${next.name}`)
      const toClient = (await staff.get<EmailSummary[]>('/api/v1/emails')).filter((e) => e.to === CLIENT_EMAIL && e.createdAt >= at)
      expect(toClient).toEqual([])
      expect(pageErrors).toEqual([])
    },
    LONG + 60_000,
  )

  it('turns every email off from Manage notifications', async () => {
    const other = await browser.newContext({ viewport: DESKTOP })
    try {
      const p = await other.newPage()
      await p.goto(controlLink) // the magic link is multi-use within its window
      await p.waitForURL(`${server.baseUrl}/portal`)
      await p.locator('summary', { hasText: 'Manage notifications' }).click()
      await p.getByRole('button', { name: 'Turn off all emails' }).click()
      const off = p.getByRole('heading', { name: 'Emails are off' })
      await off.waitFor()
      expect(await off.evaluate((el) => el === document.activeElement)).toBe(true)
      expect((await preferences(p)).status).toBe('unsubscribed')
      await screenshot(p, 'portal-notifications-07-emails-off')
    } finally {
      await other.close()
    }
  })

  function sortedStages() {
    return [...projects.stages].sort((a, b) => a.position - b.position)
  }

  function nextStage(stageId: string | null) {
    const stages = sortedStages()
    const next = stages[stages.findIndex((s) => s.id === stageId) + 1]
    if (!next) throw new Error('no next stage')
    return next
  }

  /** The first (or, with `newest`, the latest) unseen email matching `match`, with its body and links. */
  async function waitForEmail(what: string, match: (e: EmailSummary) => boolean, timeoutMs: number, { newest = false } = {}): Promise<Found> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const emails = (await staff.get<EmailSummary[]>('/api/v1/emails')).filter((e) => !seen.has(e.id) && match(e)).sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      const summary = newest ? emails.at(-1) : emails[0]
      if (summary) {
        seen.add(summary.id)
        return { summary, detail: await staff.get<EmailDetail>(`/api/v1/emails/${summary.id}`) }
      }
      if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms\n${server.output().slice(-2000)}`)
      await new Promise((r) => setTimeout(r, 500))
    }
  }
})

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze()
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }))
}

/** What the server holds for the signed-in client (the page's cookie). */
async function preferences(page: Page): Promise<PortalPreferences> {
  const origin = new URL(page.url()).origin
  const res = await page.request.get(`${origin}/api/portal/notifications`)
  expect(res.status()).toBe(200)
  return (await res.json()) as PortalPreferences
}
