// The world of the notification tests: a real SMTP server (smtp-server + mailparser), the app sending to
// it with an https BASE_URL (so List-Unsubscribe carries an https URL), a fresh workspace per test,
// clients signed in through the real share → link → session flow and subscribed through the real
// opt-in → confirmation email → confirm page POST flow, and helpers to read parsed messages.
import type { AddressObject, ParsedMail } from 'mailparser'
import { expect } from 'vitest'
import { BATCH_MS } from '../../src/server/modules/notifications/notifications.service.js'
import { createWorkspace, type WorkspaceFixture } from '../factories.js'
import { buildTestApp, type TestApp } from './app.js'
import type { TestDatabase } from './databases.js'
import { newContact, nextIp, share, signInClient, staffSession, type Res } from './portal.js'
import { startSmtpServer, type TestSmtpServer } from './smtp.js'

export type { ParsedMail }
export type Headers = Record<string, string>

export const NOTIFY_BASE_URL = 'https://portal.example.test'
export { BATCH_MS }

export interface Topics {
  statusChanges: boolean
  commentReplies: boolean
}
export const ALL_TOPICS: Topics = { statusChanges: true, commentReplies: true }

export interface Client {
  contactId: string
  name: string
  email: string
  companyId: string
  grantId: string
  /** The `cookie` request header of the client's portal session. */
  cookie: string
}

export interface Tenant {
  ws: WorkspaceFixture
  admin: Headers
  member: Headers
}

export interface NotifyWorld {
  t: TestApp
  smtp: TestSmtpServer
  origin: string
  /** Runs every due job; returns the messages the SMTP server received since the last call. */
  deliver(): Promise<ParsedMail[]>
  /** Lets the batching window pass, then deliver(). */
  afterWindow(): Promise<ParsedMail[]>
  close(): Promise<void>
}

export async function buildNotifyWorld(db: TestDatabase): Promise<NotifyWorld> {
  const smtp = await startSmtpServer()
  // A pooled transport: smtp-server waits 100 ms on every new connection (its early-talker check), and
  // the suite sends hundreds of messages. Delivery semantics (one sendMail per email job) are unchanged.
  const t = await buildTestApp(db, { env: { SMTP_URL: `${smtp.url}?pool=true`, BASE_URL: NOTIFY_BASE_URL } })
  let seen = 0
  const deliver = async () => {
    // A due job may enqueue more due jobs (a notification queues its emails): drain until none is left.
    while ((await t.worker.drain()) > 0);
    const fresh = smtp.messages.slice(seen)
    seen = smtp.messages.length
    return fresh
  }
  return {
    t,
    smtp,
    origin: t.deps.config.baseUrl,
    deliver,
    async afterWindow() {
      t.clock.advance(BATCH_MS)
      return deliver()
    },
    async close() {
      t.deps.mailer.close()
      await t.close()
      await smtp.close()
    },
  }
}

/** A workspace of its own (Acme Co and Globex, Projects with stages Planned → Doing → Done) and staff sessions at the current clock. */
export async function newTenant(w: NotifyWorld): Promise<Tenant> {
  const ws = await createWorkspace(w.t.deps)
  return { ws, admin: await staffSession(w.t, ws, ws.admin.id), member: await staffSession(w.t, ws, ws.member.id) }
}

/**
 * A new contact of `companyId` (default Acme Co), shared the portal and signed in with the emailed link.
 * The magic-link email is delivered on the way and must be the only message that arrives.
 */
export async function newClient(w: NotifyWorld, tenant: Tenant, options: { companyId?: string; name?: string } = {}): Promise<Client> {
  const companyId = options.companyId ?? tenant.ws.company.id
  const name = options.name ?? `Client ${Math.random().toString(36).slice(2, 8)}`
  const contact = await newContact(w.t, tenant.ws, { companyId, name })
  const { token, grantId } = await share(w.t, tenant.admin, companyId, contact.id)
  const cookie = await signInClient(w.t, token)
  const delivered = await w.deliver()
  expect(delivered.map((m) => addresses(m.to))).toEqual([[contact.email]])
  expect(textOf(delivered[0]!)).toContain(`${w.origin}/portal/l/`)
  return { contactId: contact.id, name, email: contact.email!, companyId, grantId, cookie }
}

/** PUT /api/portal/notifications as the client (the Get Notified card and Manage notifications). */
export const putPreferences = (w: NotifyWorld, client: Client, topics: Topics, headers: Headers = {}) =>
  w.t.app.inject({ method: 'PUT', url: '/api/portal/notifications', headers: { cookie: client.cookie, origin: w.origin, ...headers }, payload: topics })

const confirmPattern = (origin: string) => new RegExp(`${origin.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/portal/confirm/([A-Za-z0-9_-]+)`)

/** The confirmation token in a message's text part (and the same link in its HTML part). */
export function confirmTokenIn(w: NotifyWorld, m: ParsedMail): string {
  const match = (m.text ?? '').match(confirmPattern(w.origin))
  expect(match, m.text).not.toBeNull()
  expect(htmlOf(m)).toContain(`href="${match![0]}"`)
  return match![1]!
}

/** Opts in; the confirmation email is delivered and must be the only message. Returns its token and the message. */
export async function optIn(w: NotifyWorld, client: Client, topics: Topics = ALL_TOPICS): Promise<{ token: string; message: ParsedMail }> {
  const res = await putPreferences(w, client, topics)
  expect(res.statusCode, res.body).toBe(200)
  expect(res.json()).toEqual({ status: 'pending', ...topics })
  const delivered = await w.deliver()
  expect(delivered.map((m) => addresses(m.to))).toEqual([[client.email]])
  return { token: confirmTokenIn(w, delivered[0]!), message: delivered[0]! }
}

/** The confirmation page's POST, as the browser sends the form. */
export const postConfirm = (w: NotifyWorld, token: string, headers: Headers = {}) =>
  w.t.app.inject({
    method: 'POST',
    url: '/portal/confirm',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: w.origin, 'x-forwarded-for': nextIp(), ...headers },
    payload: `token=${encodeURIComponent(token)}`,
  })

/** Opt in and confirm: afterwards the client receives the updates they chose. */
export async function subscribe(w: NotifyWorld, client: Client, topics: Topics = ALL_TOPICS): Promise<void> {
  const { token } = await optIn(w, client, topics)
  const res = await postConfirm(w, token)
  expect(res.statusCode, res.body).toBe(200)
  expect(await subscriptionOf(w, client)).toMatchObject({ status: 'confirmed' })
}

/** A signed-in client of Acme Co (or `companyId`) who opted in and confirmed. */
export async function subscribedClient(w: NotifyWorld, tenant: Tenant, options: { companyId?: string; name?: string; topics?: Topics } = {}): Promise<Client> {
  const client = await newClient(w, tenant, options)
  await subscribe(w, client, options.topics)
  return client
}

export const subscriptionOf = (w: NotifyWorld, client: Client) =>
  w.t.deps.db.selectFrom('portal_subscriptions').selectAll().where('contact_id', '=', client.contactId).where('company_id', '=', client.companyId).executeTakeFirst()

// ── staff actions ──

const expectOk = (res: Res, status = 200): Res => {
  expect(res.statusCode, res.body).toBe(status)
  return res
}

export const patchRecord = async (w: NotifyWorld, tenant: Tenant, recordId: string, body: object) =>
  expectOk(await w.t.app.inject({ method: 'PATCH', url: `/api/v1/records/${recordId}`, headers: tenant.admin, payload: body }))

export const staffComment = async (w: NotifyWorld, headers: Headers, recordId: string, body: string) =>
  expectOk(await w.t.app.inject({ method: 'POST', url: `/api/v1/records/${recordId}/comments`, headers, payload: { body } }), 201)

export const clientComment = (w: NotifyWorld, client: Client, recordId: string, body: string) =>
  w.t.app.inject({ method: 'POST', url: `/api/portal/records/${recordId}/comments`, headers: { cookie: client.cookie, origin: w.origin }, payload: { body } })

export const patchPortalSettings = async (w: NotifyWorld, tenant: Tenant, typeId: string, body: object) =>
  expectOk(await w.t.app.inject({ method: 'PATCH', url: `/api/v1/portal/settings/${typeId}`, headers: tenant.admin, payload: body }))

export const patchWorkspace = async (w: NotifyWorld, tenant: Tenant, body: object) =>
  expectOk(await w.t.app.inject({ method: 'PATCH', url: '/api/v1/workspace', headers: tenant.admin, payload: body }))

// ── reading messages ──

export const addresses = (a: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value.map((v) => v.address ?? ''))

export const recipients = (messages: ParsedMail[]): string[] => messages.flatMap((m) => addresses(m.to)).sort()

export function htmlOf(m: ParsedMail): string {
  expect(typeof m.html).toBe('string')
  return m.html as string
}

export function textOf(m: ParsedMail): string {
  expect(typeof m.text).toBe('string')
  return m.text!
}

/** A header as sent (unfolded), without its name; undefined when absent. */
export function rawHeader(m: ParsedMail, name: string): string | undefined {
  const line = m.headerLines.find((h) => h.key === name.toLowerCase())?.line
  return line?.replace(/\r?\n[ \t]+/g, ' ').replace(/^[^:]+:\s*/, '')
}

/** Everything a recipient can read in a message: subject, headers, text and HTML parts. */
export const everything = (m: ParsedMail): string => [m.subject ?? '', ...m.headerLines.map((h) => h.line), m.text ?? '', typeof m.html === 'string' ? m.html : ''].join('\n')

/** The message sent to `email` (exactly one). */
export function messageTo(messages: ParsedMail[], email: string): ParsedMail {
  const found = messages.filter((m) => addresses(m.to).includes(email))
  expect(found, `messages to ${email}`).toHaveLength(1)
  return found[0]!
}

const unsubscribePattern = (origin: string) => new RegExp(`<(${origin.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/portal/unsubscribe/([A-Za-z0-9_-]+))>`)

/**
 * Asserts the RFC 8058 headers and the unsubscribe link in both body parts of a client notification,
 * and returns the link's URL and token.
 */
export function unsubscribeLinkOf(w: NotifyWorld, m: ParsedMail, list: 'status' | 'replies'): { url: string; token: string } {
  const header = rawHeader(m, 'list-unsubscribe')
  const match = header?.match(unsubscribePattern(w.origin))
  expect(match, `List-Unsubscribe: ${header}`).toBeTruthy()
  const url = match![1]!
  expect(url.startsWith('https://')).toBe(true)
  expect(rawHeader(m, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click')
  expect(rawHeader(m, 'list-id')).toMatch(new RegExp(`^<${list}\\.[a-z0-9-]+\\.coeffection>$`))
  expect(textOf(m)).toContain(url)
  expect(htmlOf(m)).toContain(`href="${url}"`)
  return { url, token: match![2]! }
}

/** The RFC 8058 one-click POST, as a mail provider sends it: no Origin, no cookie. */
export const oneClickUnsubscribe = (w: NotifyWorld, token: string) =>
  w.t.app.inject({
    method: 'POST',
    url: `/portal/unsubscribe/${token}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': nextIp() },
    payload: 'List-Unsubscribe=One-Click',
  })

/** The unsubscribe page's form POST (action=unsubscribe|resubscribe) sent with `origin` (null: none) and any extra headers. */
export const pageAction = (w: NotifyWorld, token: string, action: 'unsubscribe' | 'resubscribe', origin: string | null = w.origin, headers: Headers = {}) =>
  w.t.app.inject({
    method: 'POST',
    url: `/portal/unsubscribe/${token}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': nextIp(), ...(origin ? { origin } : {}), ...headers },
    payload: `action=${action}`,
  })

/**
 * The headers a browser sends with a form POST from one of our pages: they are served with
 * `Referrer-Policy: no-referrer`, so the Origin is serialized as "null"; Sec-Fetch-Site tells the truth.
 */
export const BROWSER_FORM_FROM_OUR_PAGE: Headers = { origin: 'null', 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'navigate' }

export const getPage = (w: NotifyWorld, url: string) => w.t.app.inject({ method: 'GET', url, headers: { 'x-forwarded-for': nextIp() } })

export async function countRows(w: NotifyWorld, table: 'comments' | 'emails' | 'jobs' | 'portal_events'): Promise<number> {
  const row = await w.t.deps.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
