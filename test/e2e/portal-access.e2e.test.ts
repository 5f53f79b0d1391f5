// The portal doorway end to end: staff configures Projects in Settings → Portal, shares Acme's portal with
// buyer@acme.com, the email arrives, a fresh browser opens its link and lands signed in; staff revokes,
// and the client's next navigation — and the link itself — no longer work.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { PortalShareInfo } from '../../src/shared/contracts/portal-admin.js'
import type { EmailDetail, EmailSummary } from '../../src/shared/contracts/staff.js'
import { launchBrowser, screenshot, signInAsStaff, trackPageErrors } from './helpers/browser.js'
import { startServer, type RunningServer } from './helpers/server.js'

const ADMIN_EMAIL = 'admin@example.com'
const ADMIN_PASSWORD = 'e2e-password-123'
const CLIENT_EMAIL = 'buyer@acme.com'

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

describe('portal access', () => {
  let server: RunningServer
  let browser: Browser
  let staffContext: BrowserContext
  let clientContext: BrowserContext | undefined
  let staff: Page
  let staffErrors: string[]

  beforeAll(async () => {
    server = await startServer({ ADMIN_EMAIL, ADMIN_PASSWORD, WORKER: 'on' })
    browser = await launchBrowser()
    staffContext = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    staff = await staffContext.newPage()
    staffErrors = trackPageErrors(staff)
  })

  afterAll(async () => {
    await clientContext?.close()
    await staffContext?.close()
    await browser?.close()
    await server?.stop()
  })

  it('configures, shares, signs the client in through the email link, and revokes', async () => {
    const base = server.baseUrl
    await signInAsStaff(staff, base, ADMIN_EMAIL, ADMIN_PASSWORD)

    // ── Settings → Portal: Budget off → on → off, each change saved at once and kept over a reload ──
    await staff.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click()
    await staff.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Portal' }).click()
    await staff.waitForURL(`${base}/app/settings/portal`)
    const projectsCard = () => staff.getByRole('region', { name: 'Projects' })
    const openConfigure = async () => {
      await projectsCard().locator('summary', { hasText: 'Configure' }).click()
      await projectsCard().getByLabel('Budget').waitFor()
    }
    await openConfigure()
    expect(await projectsCard().getByLabel('Shareable').isChecked()).toBe(true)
    expect(await projectsCard().getByLabel('Name — always shown').isDisabled()).toBe(true)
    const budget = () => projectsCard().getByLabel('Budget')
    expect(await budget().isChecked()).toBe(false)

    const setBudget = async (on: boolean) => {
      const patched = staff.waitForResponse((r) => /\/api\/v1\/portal\/settings\/[0-9a-f-]{36}$/.test(r.url()) && r.request().method() === 'PATCH')
      await (on ? budget().check() : budget().uncheck())
      const response = await patched
      expect(response.status()).toBe(200)
      expect(((await response.json()) as { fields: { label: string; visible: boolean }[] }).fields.find((f) => f.label === 'Budget')?.visible).toBe(on)
      await projectsCard().getByText('Saved ✓').waitFor()
      await staff.reload()
      await openConfigure()
      expect(await budget().isChecked()).toBe(on)
    }
    await setBudget(true)
    await screenshot(staff, 'portal-01-settings-budget-on')
    await setBudget(false)

    // ── Acme Co → Share portal ──
    await staff.getByRole('link', { name: 'Companies' }).click()
    await staff.getByRole('link', { name: 'Acme Co' }).click()
    await staff.waitForURL(/\/app\/companies\/[0-9a-f-]{36}$/)
    const companyId = staff.url().split('/').pop()!
    const preview = staff.getByRole('link', { name: /Preview portal/ })
    expect(await preview.getAttribute('href')).toBe(`/portal/preview/${companyId}`)
    expect(await preview.getAttribute('target')).toBe('_blank')

    await staff.getByRole('button', { name: 'Share portal' }).click()
    const dialog = staff.getByRole('dialog', { name: 'Share portal' })
    const bea = dialog.getByRole('radio', { name: /Bea Buyer/ })
    await bea.waitFor()
    expect(await dialog.getByRole('radio', { name: /Sam Site \(no email\)/ }).isDisabled()).toBe(true)
    await dialog.getByText('No email on file — add one to share').waitFor()
    const send = dialog.getByRole('button', { name: 'Send magic link →' })
    expect(await send.isDisabled()).toBe(true)
    expect(await dialog.getByRole('radio', { name: '30 days' }).isChecked()).toBe(true)
    await dialog.getByText(/Projects \(\d+\): Name, Stage, Status/).waitFor()
    expect(await dialog.getByText(/Projects \(\d+\):/).textContent()).not.toContain('Budget')

    await bea.check()
    await dialog.getByRole('radio', { name: '30 days' }).check()
    const shared = staff.waitForResponse((r) => r.url().endsWith(`/api/v1/companies/${companyId}/portal/share`))
    await send.click()
    expect((await shared).status()).toBe(200)
    await dialog.getByText(`Magic link sent to ${CLIENT_EMAIL}`).waitFor()
    const accessRow = () => dialog.getByRole('listitem', { name: 'Bea Buyer' })
    await accessRow().getByText('Not yet').waitFor()
    await screenshot(staff, 'portal-02-share-dialog-sent')

    // ── The email arrives with the link ──
    const email = await waitFor('the portal link email to be sent', async () => {
      const list = (await (await staff.request.get(`${base}/api/v1/emails`)).json()) as EmailSummary[]
      return list.find((e) => e.to === CLIENT_EMAIL && e.status === 'sent')
    })
    expect(email.subject).toContain('Acme Co')
    const detail = (await (await staff.request.get(`${base}/api/v1/emails/${email.id}`)).json()) as EmailDetail
    const link = detail.links.find((l) => l.startsWith(`${base}/portal/l/`))
    expect(link, detail.text).toBeTruthy()
    const mailDir = path.join(server.dataDir, 'mail')
    expect(fs.readdirSync(mailDir).some((f) => f.endsWith('.eml') && fs.readFileSync(path.join(mailDir, f), 'utf8').includes(CLIENT_EMAIL))).toBe(true)

    // ── A fresh browser opens it and lands signed in, with the token gone from the URL ──
    clientContext = await browser.newContext({ viewport: { width: 390, height: 844 } })
    const client = await clientContext.newPage()
    const clientErrors = trackPageErrors(client)
    // The link page exchanges the token by a same-origin POST (its script submits the form), then lands on /portal.
    await client.goto(link!)
    await client.waitForURL((url) => !url.pathname.startsWith('/portal/l/'))
    await client.waitForLoadState('load')
    expect(client.url(), `the exchange did not land on /portal: ${(await client.textContent('body'))?.slice(0, 300)}`).toBe(`${base}/portal`)
    const token = link!.split('/').pop()!
    expect(client.url()).not.toContain(token)
    const me = await client.request.get(`${base}/api/portal/me`)
    expect(me.status()).toBe(200)
    expect(((await me.json()) as { contact: { email: string } }).contact.email).toBe(CLIENT_EMAIL)
    await client.getByText(`Signed in as ${CLIENT_EMAIL}`).waitFor()
    await screenshot(client, 'portal-03-client-signed-in')

    // ── The reminder email's ?reshare=<grantId> opens the dialog with that Re-share ready ──
    const info = (await (await staff.request.get(`${base}/api/v1/companies/${companyId}/portal`)).json()) as PortalShareInfo
    const grant = info.access.find((a) => a.contactEmail === CLIENT_EMAIL)!
    expect(grant.openSessions).toBe(1)
    await staff.goto(`${base}/app/companies/${companyId}?reshare=${grant.grantId}`)
    const confirmReshare = dialog.getByRole('button', { name: 'Send new link' })
    await confirmReshare.waitFor()
    await expect.poll(() => staff.evaluate(() => document.activeElement?.textContent)).toBe('Send new link')
    await accessRow().getByText(/ago|now/).waitFor() // last used: relative time, no longer "Not yet"
    await dialog.getByRole('button', { name: 'Cancel' }).click()

    // ── Staff revokes: confirm step, then the row disappears ──
    await accessRow().getByRole('button', { name: /Revoke Bea Buyer/ }).click()
    await dialog.getByText('Their link and sessions stop working immediately.').waitFor()
    await screenshot(staff, 'portal-04-revoke-confirm')
    const revoked = staff.waitForResponse((r) => r.url().endsWith(`/api/v1/portal/grants/${grant.grantId}/revoke`))
    await accessRow().getByRole('button', { name: 'Revoke access' }).click()
    expect((await revoked).status()).toBe(200)
    await accessRow().waitFor({ state: 'detached' })
    await dialog.getByText(/Access revoked for Bea Buyer/).waitFor()
    await dialog.getByText(/^Activity/).click()
    await dialog.getByRole('cell', { name: 'Access revoked' }).waitFor()
    await dialog.getByRole('cell', { name: 'Link opened' }).waitFor()
    await screenshot(staff, 'portal-05-revoked-activity')

    // ── The client's next navigation is signed out… ──
    await client.reload()
    const after = await client.request.get(`${base}/api/portal/me`)
    expect(after.status()).toBe(401)
    await client.getByText(/session has ended|signed out|no longer valid/i).first().waitFor()
    expect(await client.getByText(`Signed in as ${CLIENT_EMAIL}`).count()).toBe(0)
    await screenshot(client, 'portal-06-client-after-revoke')

    // ── …and the link itself is dead ──
    const reopened = await client.goto(link!)
    expect(reopened?.status()).toBe(410)
    await client.getByText('This link is no longer valid').waitFor()
    expect((await client.request.get(`${base}/api/portal/me`)).status()).toBe(401)
    await screenshot(client, 'portal-07-link-no-longer-valid')

    expect(staffErrors).toEqual([])
    expect(clientErrors).toEqual([])
  })
})
