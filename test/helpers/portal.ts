// Helpers for the portal access tests: share → token (read from the queued email), exchange → cookie,
// fresh staff sessions after clock jumps, and whole-database dumps to prove what was (not) written.
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { expect } from 'vitest'
import type { Deps } from '../../src/server/deps.js'
import { createStaffSession, STAFF_COOKIE } from '../../src/server/staff/sessions.js'
import { createWorkspace, signInStaff, type WorkspaceFixture } from '../factories.js'
import { buildTestApp, type TestApp } from './app.js'
import type { TestDatabase } from './databases.js'

export type Res = Awaited<ReturnType<TestApp['app']['inject']>>
export type { InjectOptions } from 'fastify'
type Headers = Record<string, string>

export const PORTAL_TABLES = ['portal_type_settings', 'portal_visible_fields', 'portal_grants', 'portal_links', 'portal_sessions', 'portal_events'] as const
export const DAY = 86_400_000
export const HOUR = 3_600_000
export const SECOND = 1_000

let ipCounter = 0
const TEST_NETS = ['192.0.2', '198.51.100', '203.0.113'] // documentation ranges: header values only, never contacted
/**
 * A client address for the x-forwarded-for header, cycling through 750 (hosts .1–.250), so the per-IP limit
 * of the link endpoint is not hit by accident. Hosts .251–.254 are left for tests that pin an address.
 */
export const nextIp = () => {
  const n = ipCounter++ % (TEST_NETS.length * 250)
  return `${TEST_NETS[n % TEST_NETS.length]}.${Math.floor(n / TEST_NETS.length) + 1}`
}

export interface PortalWorld {
  t: TestApp
  ws: WorkspaceFixture
  other: WorkspaceFixture
  /** Headers from the real sign-in endpoint (valid for 14 days of the test clock). */
  adminHeaders: Headers
  memberHeaders: Headers
  /** A staff session started now on the test clock, for use after the clock moved on. */
  admin(): Promise<Headers>
  member(): Promise<Headers>
  origin: string
}

export async function buildPortalWorld(db: TestDatabase, env: Record<string, string> = {}): Promise<PortalWorld> {
  const t = await buildTestApp(db, { env })
  const ws = await createWorkspace(t.deps)
  const other = await createWorkspace(t.deps)
  const origin = t.deps.config.baseUrl
  const [adminHeaders, memberHeaders] = origin === 'http://localhost:3000' ? await Promise.all([signInStaff(t.app, ws.admin.email), signInStaff(t.app, ws.member.email)]) : await Promise.all([signInAt(t, ws.admin.email), signInAt(t, ws.member.email)])
  return {
    t,
    ws,
    other,
    adminHeaders,
    memberHeaders,
    origin,
    admin: () => staffSession(t, ws, ws.admin.id),
    member: () => staffSession(t, ws, ws.member.id),
  }
}

/** Sign-in through the real endpoint for an app whose BASE_URL is not the default one. */
export async function signInAt(t: TestApp, email: string): Promise<Headers> {
  const origin = t.deps.config.baseUrl
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', headers: { origin }, payload: { email, password: 'correct horse battery' } })
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.body}`)
  const cookie = res.cookies.find((c) => c.name === STAFF_COOKIE)!
  return { cookie: `${cookie.name}=${cookie.value}`, origin }
}

/** A staff session created directly at the current test-clock time (the sign-in endpoint is rate-limited). */
export async function staffSession(t: TestApp, ws: WorkspaceFixture, userId: string): Promise<Headers> {
  const { token } = await createStaffSession(t.deps.db, t.deps.clock(), { id: userId, workspace_id: ws.workspaceId })
  return { cookie: `${STAFF_COOKIE}=${token}`, origin: t.deps.config.baseUrl }
}

/** A contact of `companyId` (default: the workspace's Acme Co) with a unique address. */
export async function newContact(t: TestApp, ws: WorkspaceFixture, options: { email?: string | null; companyId?: string; name?: string } = {}): Promise<{ id: string; email: string | null }> {
  const id = randomUUID()
  const email = options.email === undefined ? `client-${id.slice(0, 8)}@acme.example` : options.email
  await t.deps.db
    .insertInto('contacts')
    .values({ id, workspace_id: ws.workspaceId, company_id: options.companyId ?? ws.company.id, name: options.name ?? `Client ${id.slice(0, 4)}`, email, created_at: t.deps.clock().toISOString() })
    .execute()
  return { id, email }
}

const linkPattern = (baseUrl: string) => new RegExp(`${baseUrl.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/portal/l/([A-Za-z0-9_-]+)`)

/** Every magic-link token in an email text. */
export function tokensIn(text: string, baseUrl: string): string[] {
  return [...text.matchAll(new RegExp(linkPattern(baseUrl), 'g'))].map((m) => m[1]!)
}

async function emailIds(deps: Deps): Promise<Set<string>> {
  return new Set((await deps.db.selectFrom('emails').select('id').execute()).map((r) => r.id))
}

export interface Sent {
  res: Res
  token: string
  email: { id: string; to_address: string; text_body: string; html_body: string; subject: string; reply_to: string | null }
  grantId: string
}

/** Runs a staff request that should send exactly one magic link; returns the token from the queued email. */
async function sending(t: TestApp, act: () => Promise<Res>): Promise<Sent> {
  const before = await emailIds(t.deps)
  const res = await act()
  expect(res.statusCode, res.body).toBe(200)
  const added = (await t.deps.db.selectFrom('emails').selectAll().where('idempotency_key', 'like', 'portal-link:%').execute()).filter((e) => !before.has(e.id))
  expect(added).toHaveLength(1)
  const email = added[0]!
  const tokens = tokensIn(email.text_body, t.deps.config.baseUrl)
  expect(tokens).toHaveLength(1)
  const linkId = email.idempotency_key.slice('portal-link:'.length)
  const link = await t.deps.db.selectFrom('portal_links').select('grant_id').where('id', '=', linkId).executeTakeFirstOrThrow()
  return { res, token: tokens[0]!, email, grantId: link.grant_id }
}

export const share = (t: TestApp, headers: Headers, companyId: string, contactId: string, expiresInDays: number | null = 30, extra: Headers = {}) =>
  sending(t, () => t.app.inject({ method: 'POST', url: `/api/v1/companies/${companyId}/portal/share`, headers: { ...headers, ...extra }, payload: { contactId, expiresInDays } }))

/** A new contact of the world's Acme Co, shared to by the admin: the usual first step of an access test. */
export async function shareToNewContact(w: PortalWorld, expiresInDays: number | null = 30) {
  const contact = await newContact(w.t, w.ws)
  return { contact, ...(await share(w.t, await w.admin(), w.ws.company.id, contact.id, expiresInDays)) }
}

export const reshare = (t: TestApp, headers: Headers, grantId: string, expiresInDays: number | null = 30) =>
  sending(t, () => t.app.inject({ method: 'POST', url: `/api/v1/portal/grants/${grantId}/reshare`, headers, payload: { expiresInDays } }))

export const revoke = (t: TestApp, headers: Headers, grantId: string) => t.app.inject({ method: 'POST', url: `/api/v1/portal/grants/${grantId}/revoke`, headers })

/** GET of the link page, as a mail scanner or a browser would do it. */
export const openLink = (t: TestApp, token: string, headers: Headers = {}) => t.app.inject({ method: 'GET', url: `/portal/l/${token}`, headers: { 'x-forwarded-for': nextIp(), ...headers } })

export interface Exchanged {
  res: Res
  /** The `cookie` request header that carries the new session, or undefined when none was set. */
  cookie: string | undefined
  /** The raw session id (the cookie's value). */
  sessionId: string | undefined
}

export function portalCookieNameOf(t: TestApp): string {
  return t.deps.config.secureCookies ? '__Host-portal_sid' : 'portal_sid'
}

/** The Continue form's POST: link token → portal session cookie. */
export async function exchange(t: TestApp, token: string, headers: Headers = {}): Promise<Exchanged> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/portal/session',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: t.deps.config.baseUrl, 'x-forwarded-for': nextIp(), ...headers },
    payload: `token=${encodeURIComponent(token)}`,
  })
  const set = res.cookies.find((c) => c.name === portalCookieNameOf(t) && c.value)
  return { res, cookie: set ? `${set.name}=${set.value}` : undefined, sessionId: set?.value }
}

/** Exchanges a token that must work and returns the session's cookie header. */
export async function signInClient(t: TestApp, token: string, headers: Headers = {}): Promise<string> {
  const { res, cookie } = await exchange(t, token, headers)
  expect(res.statusCode, res.body).toBe(303)
  expect(res.headers.location).toBe('/portal')
  expect(cookie).toBeDefined()
  return cookie!
}

export const portalMe = (t: TestApp, cookie: string, headers: Headers = {}) => t.app.inject({ method: 'GET', url: '/api/portal/me', headers: { cookie, ...headers } })

export const signOut = (t: TestApp, cookie: string, headers: Headers = {}) =>
  t.app.inject({ method: 'POST', url: '/api/portal/sign-out', headers: { cookie, origin: t.deps.config.baseUrl, ...headers } })

/** Asserts the link is dead both ways: the page is the invalid one and the exchange creates nothing. */
export async function expectLinkInvalid(t: TestApp, token: string): Promise<void> {
  const page = await openLink(t, token)
  expect(page.statusCode).toBe(410)
  expect(page.body).toContain('no longer valid')
  const ex = await exchange(t, token)
  expect(ex.res.statusCode).toBe(410)
  expect(ex.cookie).toBeUndefined()
}

export async function expectLinkWorks(t: TestApp, token: string): Promise<string> {
  const page = await openLink(t, token)
  expect(page.statusCode, page.body).toBe(200)
  const cookie = await signInClient(t, token)
  expect((await portalMe(t, cookie)).statusCode).toBe(200)
  return cookie
}

/** Names of every table of the app's database (the migration tables included). */
export async function allTables(deps: Deps): Promise<string[]> {
  if (deps.dialect === 'sqlite') {
    const rows = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(deps.db)
    return rows.rows.map((r) => r.name)
  }
  const rows = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(deps.db)
  return rows.rows.map((r) => r.table_name)
}

/** Every row of every table, each table's rows sorted, so two dumps compare equal iff nothing changed. */
export async function dumpDatabase(deps: Deps): Promise<Record<string, Record<string, unknown>[]>> {
  const out: Record<string, Record<string, unknown>[]> = {}
  for (const table of await allTables(deps)) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(deps.db)).rows
    out[table] = rows.map((r) => JSON.parse(JSON.stringify(r)) as Record<string, unknown>).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))
  }
  return out
}

/** `table.column` of every stored value that contains `needle`. */
export async function whereStored(deps: Deps, needle: string): Promise<string[]> {
  const hits = new Set<string>()
  for (const [table, rows] of Object.entries(await dumpDatabase(deps))) {
    for (const row of rows) for (const [column, value] of Object.entries(row)) if (JSON.stringify(value ?? null).includes(needle)) hits.add(`${table}.${column}`)
  }
  return [...hits].sort()
}

/** Rows of the portal tables, for tests that only care about access state. */
export async function portalRows(deps: Deps): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {}
  for (const table of PORTAL_TABLES) out[table] = (await deps.db.selectFrom(table).selectAll().execute()).map((r) => JSON.stringify(r)).sort()
  return out
}

/** Proves that `act` changed no row of any table. */
export async function expectNoRowChanged<T>(deps: Deps, act: () => Promise<T>): Promise<T> {
  const before = await dumpDatabase(deps)
  const result = await act()
  expect(await dumpDatabase(deps)).toEqual(before)
  return result
}

export async function sessionCount(deps: Deps, grantId?: string): Promise<number> {
  let q = deps.db.selectFrom('portal_sessions').select((eb) => eb.fn.countAll<number>().as('n'))
  if (grantId) q = q.where('grant_id', '=', grantId)
  return Number((await q.executeTakeFirstOrThrow()).n)
}
