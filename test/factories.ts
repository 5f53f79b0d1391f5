// Test data built through the same tables the app uses. Two workspaces make cross-tenant tests easy.
import { randomUUID } from 'node:crypto'
import type { Deps } from '../src/server/deps.js'
import { hashPassword } from '../src/server/security/tokens.js'
import type { App } from '../src/server/app.js'
import { ORIGIN } from './helpers/app.js'

export const PASSWORD = 'correct horse battery'
let passwordHash: Promise<string> | undefined
const hashed = () => (passwordHash ??= hashPassword(PASSWORD))

export interface WorkspaceFixture {
  workspaceId: string
  admin: { id: string; email: string }
  member: { id: string; email: string }
  company: { id: string }
  otherCompany: { id: string }
  contact: { id: string; email: string }
  contactWithoutEmail: { id: string }
  projects: { id: string; stageIds: string[]; fieldIds: Record<string, string> }
  contracts: { id: string }
  record: { id: string }
}

export async function createWorkspace(deps: Deps, slug = `ws-${randomUUID().slice(0, 8)}`): Promise<WorkspaceFixture> {
  const db = deps.db
  const now = deps.clock().toISOString()
  const workspaceId = randomUUID()
  await db
    .insertInto('workspaces')
    .values({ id: workspaceId, slug, name: `Studio ${slug}`, logo_url: null, brand_color: '#4f46e5', postal_address: '1 Main St, Springfield', sender_name: `Studio ${slug}`, created_at: now })
    .execute()
  const user = async (role: 'admin' | 'member') => {
    const u = { id: randomUUID(), email: `${role}-${slug}@example.com` }
    await db.insertInto('users').values({ ...u, workspace_id: workspaceId, name: `${role} ${slug}`, role, password_hash: await hashed(), created_at: now }).execute()
    return u
  }
  const admin = await user('admin')
  const member = await user('member')
  const company = { id: randomUUID() }
  const otherCompany = { id: randomUUID() }
  for (const [c, name] of [
    [company, 'Acme Co'],
    [otherCompany, 'Globex'],
  ] as const) {
    await db.insertInto('companies').values({ id: c.id, workspace_id: workspaceId, name, domain: null, created_at: now, updated_at: now }).execute()
  }
  const contact = { id: randomUUID(), email: `buyer-${slug}@acme.example` }
  await db.insertInto('contacts').values({ ...contact, workspace_id: workspaceId, company_id: company.id, name: 'Bea Buyer', created_at: now }).execute()
  const contactWithoutEmail = { id: randomUUID() }
  await db.insertInto('contacts').values({ ...contactWithoutEmail, workspace_id: workspaceId, company_id: company.id, name: 'No Email', email: null, created_at: now }).execute()

  const projectsId = randomUUID()
  await db.insertInto('record_types').values({ id: projectsId, workspace_id: workspaceId, key: 'projects', singular: 'Project', plural: 'Projects', has_pipeline: 1, position: 0 }).execute()
  const stageIds = [randomUUID(), randomUUID(), randomUUID()]
  for (const [i, id] of stageIds.entries()) {
    await db.insertInto('stages').values({ id, workspace_id: workspaceId, record_type_id: projectsId, name: ['Planned', 'Doing', 'Done'][i]!, color: '#336699', position: i }).execute()
  }
  const fieldIds: Record<string, string> = {}
  const fields = [
    ['due_date', 'date', null],
    ['budget', 'currency', null],
    ['priority', 'select', '["Low","High"]'],
    ['website', 'url', null],
    ['notes', 'long_text', null],
    ['done_flag', 'checkbox', null],
    ['lead', 'user', null],
    ['hours', 'number', null],
  ] as const
  for (const [i, [key, kind, options]] of fields.entries()) {
    fieldIds[key] = randomUUID()
    await db.insertInto('fields').values({ id: fieldIds[key], workspace_id: workspaceId, record_type_id: projectsId, key, label: key, kind, options, position: i }).execute()
  }
  const contractsId = randomUUID()
  await db.insertInto('record_types').values({ id: contractsId, workspace_id: workspaceId, key: 'contracts', singular: 'Contract', plural: 'Contracts', has_pipeline: 0, position: 1 }).execute()

  const record = { id: randomUUID() }
  await db
    .insertInto('records')
    .values({ id: record.id, workspace_id: workspaceId, record_type_id: projectsId, company_id: company.id, name: 'Website redesign', owner_id: admin.id, stage_id: stageIds[0]!, status: 'on_track', created_at: now, updated_at: now })
    .execute()
  return { workspaceId, admin, member, company, otherCompany, contact, contactWithoutEmail, projects: { id: projectsId, stageIds, fieldIds }, contracts: { id: contractsId }, record }
}

/** Signs in through the real endpoint and returns headers for later requests. */
export async function signInStaff(app: App, email: string): Promise<Record<string, string>> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', headers: ORIGIN, payload: { email, password: PASSWORD } })
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.body}`)
  const cookie = res.cookies.find((c) => c.name === 'coeffection_staff')!
  return { cookie: `${cookie.name}=${cookie.value}`, ...ORIGIN }
}
