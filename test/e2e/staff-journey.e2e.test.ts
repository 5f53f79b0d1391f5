// A staff member's day: sign in, open Acme Co, move a project along its pipeline, attach a file and
// get the same bytes back, and leave a comment — everything checked again after a reload.
import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchBrowser, screenshot, signInAsStaff, trackPageErrors } from './helpers/browser.js'
import { startServer, type RunningServer } from './helpers/server.js'

const ADMIN_EMAIL = 'admin@example.com'
const ADMIN_PASSWORD = 'e2e-password-123'
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

describe('staff journey', () => {
  let server: RunningServer
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let pageErrors: string[]

  beforeAll(async () => {
    server = await startServer({ ADMIN_EMAIL, ADMIN_PASSWORD, WORKER: 'on' })
    browser = await launchBrowser()
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true })
    page = await context.newPage()
    pageErrors = trackPageErrors(page)
  })

  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await server?.stop()
  })

  it('signs in, updates a project, round-trips a file and comments', async () => {
    // Signed out, the app sends us to sign in.
    await page.goto(`${server.baseUrl}/app/companies`)
    await page.waitForURL(/\/app\/sign-in/)
    await signInAsStaff(page, server.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD)
    await page.getByRole('link', { name: 'Acme Co' }).waitFor()
    await screenshot(page, 'staff-01-companies')

    // Acme Co → its first project.
    await page.getByRole('link', { name: 'Acme Co' }).click()
    const projects = page.getByRole('region', { name: /^Projects/ })
    await projects.waitFor()
    await screenshot(page, 'staff-02-company')
    const firstProject = projects.getByRole('link').first()
    const projectName = (await firstProject.textContent()) ?? ''
    await firstProject.click()
    await page.waitForURL(/\/app\/records\/[0-9a-f-]{36}$/)
    const recordId = page.url().split('/').pop()!
    await page.getByRole('heading', { level: 1, name: projectName }).waitFor()

    // Move it to another stage; the change saves at once and survives a reload.
    const stage = page.getByLabel('Stage', { exact: true })
    await stage.waitFor()
    const current = await stage.inputValue()
    const options = await stage.locator('option').evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value))
    const target = options.find((v) => v && v !== current)!
    expect(target).toBeTruthy()
    const patched = page.waitForResponse((r) => r.url().endsWith(`/api/v1/records/${recordId}`) && r.request().method() === 'PATCH')
    await stage.selectOption(target)
    expect((await patched).status()).toBe(200)
    await page.reload()
    await page.getByLabel('Stage', { exact: true }).waitFor()
    expect(await page.getByLabel('Stage', { exact: true }).inputValue()).toBe(target)

    // Upload ~200 KB, then download it and compare the bytes.
    const fileName = `e2e-brief-${Date.now()}.pdf`
    const original = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(200 * 1024)])
    const uploaded = page.waitForResponse((r) => r.url().endsWith(`/api/v1/records/${recordId}/files`) && r.request().method() === 'POST')
    await page.getByLabel('Upload a file').setInputFiles({ name: fileName, mimeType: 'application/pdf', buffer: original })
    expect((await uploaded).status()).toBeLessThan(300)
    const downloadLink = page.getByRole('link', { name: `Download ${fileName}` })
    await downloadLink.waitFor()
    await screenshot(page, 'staff-03-record-with-file')
    const [download] = await Promise.all([page.waitForEvent('download'), downloadLink.click()])
    expect(download.suggestedFilename()).toBe(fileName)
    const downloaded = fs.readFileSync(await download.path())
    expect(downloaded.length).toBe(original.length)
    expect(sha256(downloaded)).toBe(sha256(original))

    // Comment; it is still there after a reload, line break and all.
    const body = `Stage moved by the e2e test ${Date.now()}\nSecond line stays on its own line.`
    await page.getByLabel('Add a comment').fill(body)
    await page.getByRole('button', { name: 'Post comment' }).click()
    await page.locator('.comment-body', { hasText: 'Second line stays' }).waitFor()
    await page.reload()
    const posted = page.locator('.comment-body', { hasText: 'Second line stays' })
    await posted.waitFor()
    expect(await posted.textContent()).toBe(body)
    await screenshot(page, 'staff-04-record-after-reload')

    expect(pageErrors).toEqual([])
  })

  it('creates a company from the list and renames it from its page; an empty name is refused inline', async () => {
    await page.goto(`${server.baseUrl}/app/companies`)
    await page.getByRole('button', { name: 'New company' }).click()
    const create = page.getByRole('dialog', { name: 'New company' })
    await create.getByRole('button', { name: 'Create company' }).click()
    await create.getByText(/name/i).first().waitFor()
    await create.getByLabel('Name').fill('Zeta Labs')
    await create.getByRole('button', { name: 'Create company' }).click()
    await page.waitForURL(/\/app\/companies\/[0-9a-f-]{36}$/)
    await page.getByRole('heading', { level: 1, name: 'Zeta Labs' }).waitFor()

    await page.getByRole('button', { name: 'Edit details' }).click()
    const edit = page.getByRole('dialog', { name: 'Edit company' })
    expect(await edit.getByLabel('Name').inputValue()).toBe('Zeta Labs')
    await edit.getByLabel('Name').fill('Zeta Labs Ltd')
    await edit.getByRole('button', { name: 'Save' }).click()
    await page.getByRole('heading', { level: 1, name: 'Zeta Labs Ltd' }).waitFor()
    await page.reload()
    await page.getByRole('heading', { level: 1, name: 'Zeta Labs Ltd' }).waitFor()
    expect(pageErrors).toEqual([])
  })
})
