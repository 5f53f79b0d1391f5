// The demo workspace a new user sees on first start. Written through Kysely directly: it is data, not a flow.
import { randomBytes, randomUUID } from 'node:crypto'
import { Readable } from 'node:stream'
import type { Deps } from '../deps.js'
import type { FieldKind } from './schema.js'
import { hashPassword } from '../security/tokens.js'

const LOGO =
  'data:image/svg+xml;base64,' +
  Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#4f46e5"/><path d="M18 44V20h6l16 15V20h6v24h-6L24 29v15z" fill="#fff"/></svg>',
  ).toString('base64')

type TypeSpec = { key: string; singular: string; plural: string; stages?: [string, string][]; fields: [string, string, FieldKind, string[]?][] }
const TYPES: TypeSpec[] = [
  {
    key: 'projects',
    singular: 'Project',
    plural: 'Projects',
    stages: [
      ['Discovery', '#6366f1'],
      ['Design', '#0ea5e9'],
      ['Build', '#f59e0b'],
      ['Review', '#a855f7'],
      ['Launched', '#22c55e'],
    ],
    fields: [
      ['due_date', 'Due date', 'date'],
      ['budget', 'Budget', 'currency'],
      ['priority', 'Priority', 'select', ['Low', 'Medium', 'High']],
      ['project_lead', 'Project lead', 'user'],
      ['brief', 'Brief', 'long_text'],
      ['website', 'Website', 'url'],
      ['signed_off', 'Signed off', 'checkbox'],
      ['internal_notes', 'Internal notes', 'long_text'],
      ['margin', 'Margin %', 'number'],
    ],
  },
  {
    key: 'tickets',
    singular: 'Ticket',
    plural: 'Tickets',
    stages: [
      ['New', '#64748b'],
      ['In progress', '#0ea5e9'],
      ['Waiting on client', '#f59e0b'],
      ['Resolved', '#22c55e'],
    ],
    fields: [
      ['severity', 'Severity', 'select', ['Low', 'Normal', 'Urgent']],
      ['summary', 'Summary', 'text'],
    ],
  },
  {
    key: 'contracts',
    singular: 'Contract',
    plural: 'Contracts',
    fields: [
      ['value', 'Contract value', 'currency'],
      ['renewal_date', 'Renewal date', 'date'],
      ['terms_url', 'Terms', 'url'],
    ],
  },
]

const ACME_PROJECTS: [string, number, string][] = [
  ['Brand refresh', 0, 'on_track'],
  ['Customer research', 0, 'on_track'],
  ['Website redesign', 1, 'at_risk'],
  ['Packaging system', 1, 'on_track'],
  ['Mobile app MVP', 2, 'on_track'],
  ['Checkout rebuild', 2, 'off_track'],
  ['Loyalty programme', 2, 'at_risk'],
  ['Accessibility audit', 3, 'on_track'],
  ['Trade show kit', 3, 'on_track'],
  ['Annual report 2026', 4, 'done'],
  ['Onboarding emails', 4, 'done'],
  ['Help centre', 4, 'done'],
]

export interface SeedResult {
  adminEmail: string
  adminPassword: string
  generatedPassword: boolean
}

export async function isEmpty(deps: Deps): Promise<boolean> {
  return !(await deps.db.selectFrom('workspaces').select('id').limit(1).executeTakeFirst())
}

export async function seedDemo(deps: Deps, admin: { email?: string | undefined; password?: string | undefined } = {}): Promise<SeedResult> {
  const db = deps.db
  const now = deps.clock()
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * 86_400_000).toISOString()
  const day = (daysAhead: number) => new Date(now.getTime() + daysAhead * 86_400_000).toISOString().slice(0, 10)
  const ws = randomUUID()
  const adminPassword = admin.password ?? randomBytes(9).toString('base64url')
  const adminEmail = admin.email ?? 'admin@northwind.example'

  await db
    .insertInto('workspaces')
    .values({
      id: ws,
      slug: 'northwind',
      name: 'Northwind Studio',
      logo_url: LOGO,
      brand_color: '#4f46e5',
      postal_address: '500 Market Street, Suite 300\nSan Francisco, CA 94105',
      sender_name: 'Northwind Studio',
      created_at: at(120),
    })
    .execute()

  const users = [
    { id: randomUUID(), name: 'Alex Admin', email: adminEmail, role: 'admin' as const, password: adminPassword },
    { id: randomUUID(), name: 'Maya Chen', email: 'maya@northwind.example', role: 'member' as const, password: randomBytes(9).toString('base64url') },
    { id: randomUUID(), name: 'Jordan Lee', email: 'jordan@northwind.example', role: 'member' as const, password: randomBytes(9).toString('base64url') },
  ]
  for (const u of users) {
    await db
      .insertInto('users')
      .values({ id: u.id, workspace_id: ws, name: u.name, email: u.email, role: u.role, password_hash: await hashPassword(u.password), created_at: at(120) })
      .execute()
  }

  const typeIds: Record<string, { id: string; stages: string[]; fields: Record<string, string> }> = {}
  for (const [position, t] of TYPES.entries()) {
    const id = randomUUID()
    await db.insertInto('record_types').values({ id, workspace_id: ws, key: t.key, singular: t.singular, plural: t.plural, has_pipeline: t.stages ? 1 : 0, position }).execute()
    const stages: string[] = []
    for (const [i, [name, color]] of (t.stages ?? []).entries()) {
      const sid = randomUUID()
      stages.push(sid)
      await db.insertInto('stages').values({ id: sid, workspace_id: ws, record_type_id: id, name, color, position: i }).execute()
    }
    const fields: Record<string, string> = {}
    for (const [i, [key, label, kind, options]] of t.fields.entries()) {
      fields[key] = randomUUID()
      await db
        .insertInto('fields')
        .values({ id: fields[key], workspace_id: ws, record_type_id: id, key, label, kind, options: options ? JSON.stringify(options) : null, position: i })
        .execute()
    }
    typeIds[t.key] = { id, stages, fields }
  }

  const companies: Record<string, string> = {}
  for (const [name, domain] of [
    ['Acme Co', 'acme.com'],
    ['Globex Corporation', 'globex.example'],
    ['Initech', 'initech.example'],
    ['Umbrella Health', 'umbrella.example'],
  ] as const) {
    companies[name] = randomUUID()
    await db.insertInto('companies').values({ id: companies[name], workspace_id: ws, name, domain, created_at: at(90), updated_at: at(2) }).execute()
  }
  const contacts: [string, string, string | null][] = [
    ['Acme Co', 'Bea Buyer', 'buyer@acme.com'],
    ['Acme Co', 'Carlos Ortega', 'carlos@acme.com'],
    ['Acme Co', 'Sam Site (no email)', null],
    ['Globex Corporation', 'Hank Scorpio', 'hank@globex.example'],
    ['Initech', 'Bill Lumbergh', 'bill@initech.example'],
    ['Umbrella Health', 'Alice Abernathy', 'alice@umbrella.example'],
  ]
  for (const [company, name, email] of contacts) {
    await db.insertInto('contacts').values({ id: randomUUID(), workspace_id: ws, company_id: companies[company]!, name, email, created_at: at(80) }).execute()
  }

  const projects = typeIds.projects!
  const addRecord = async (typeKey: string, company: string, name: string, stageIndex: number | null, status: string, values: Record<string, unknown>, ageDays: number) => {
    const type = typeIds[typeKey]!
    const id = randomUUID()
    await db
      .insertInto('records')
      .values({
        id,
        workspace_id: ws,
        record_type_id: type.id,
        company_id: companies[company]!,
        name,
        owner_id: users[ageDays % 2]!.id,
        stage_id: stageIndex === null ? null : type.stages[stageIndex]!,
        status: status as 'on_track',
        created_at: at(ageDays + 30),
        updated_at: at(ageDays),
      })
      .execute()
    for (const [key, value] of Object.entries(values)) {
      await db.insertInto('record_values').values({ record_id: id, field_id: type.fields[key]!, workspace_id: ws, value: JSON.stringify(value) }).execute()
    }
    await db.insertInto('record_watchers').values({ record_id: id, user_id: users[2]!.id, workspace_id: ws }).execute()
    return id
  }

  for (const [i, [name, stage, status]] of ACME_PROJECTS.entries()) {
    const id = await addRecord(
      'projects',
      'Acme Co',
      name,
      stage,
      status,
      {
        due_date: day(stage === 4 ? -20 - i : 10 + i * 7),
        budget: (12 + i * 3) * 100_000,
        priority: ['Low', 'Medium', 'High'][i % 3],
        project_lead: users[i % 3]!.id,
        brief: `${name}: scope, milestones and deliverables agreed with Acme's team.`,
        website: 'https://acme.com',
        signed_off: stage >= 3,
        internal_notes: `Internal only: margin is thin on ${name}; do not discount further.`,
        margin: 18 + i,
      },
      i,
    )
    for (let f = 0; f < (i % 3) + 1; f++) {
      const fileId = randomUUID()
      const fileName = `${name.toLowerCase().replaceAll(' ', '-')}-${['brief', 'timeline', 'invoice'][f]}.txt`
      const body = Buffer.from(`${name} — ${['Brief', 'Timeline', 'Invoice'][f]}\n\nPrepared by Northwind Studio for Acme Co.\n`)
      const key = `${ws}/records/${id}/${fileId}-${fileName}`
      await deps.storage.put(key, Readable.from([body]))
      await db
        .insertInto('files')
        .values({
          id: fileId,
          workspace_id: ws,
          record_id: id,
          name: fileName,
          size: body.length,
          content_type: 'text/plain',
          storage_provider: deps.storage.provider,
          storage_key: key,
          source: 'team',
          uploaded_by_user_id: users[f % 3]!.id,
          uploaded_by_contact_id: null,
          created_at: at(i + 5 - f),
        })
        .execute()
    }
    const thread = ['Kick-off notes are attached. Let us know if anything is missing.', 'Thanks! We will review with the team this week.', 'Updated timeline uploaded.']
    for (let c = 0; c < (i % 3) + 1; c++) {
      await db
        .insertInto('comments')
        .values({ id: randomUUID(), workspace_id: ws, record_id: id, author_user_id: users[c % 3]!.id, author_contact_id: null, body: thread[c]!, created_at: at(i + 3 - c) })
        .execute()
    }
  }
  // Settings → Portal: Projects shared with a sensible set of fields so the demo portal looks real.
  await db
    .insertInto('portal_type_settings')
    .values({ record_type_id: projects.id, workspace_id: ws, shareable: 1, show_status: 1, show_files: 1, show_comments: 1, allow_uploads: 0, email_on_staff_reply: 1 })
    .execute()
  for (const key of ['due_date', 'priority', 'brief', 'website', 'signed_off']) {
    await db.insertInto('portal_visible_fields').values({ field_id: projects.fields[key]!, workspace_id: ws, record_type_id: projects.id }).execute()
  }
  await addRecord('projects', 'Globex Corporation', 'Volcano lair signage', 2, 'on_track', { due_date: day(30), budget: 5_000_000, priority: 'High' }, 3)
  await addRecord('projects', 'Initech', 'TPS report portal', 1, 'at_risk', { due_date: day(14), priority: 'Medium' }, 6)
  await addRecord('projects', 'Umbrella Health', 'Patient app', 0, 'on_track', { priority: 'Low' }, 9)
  await addRecord('tickets', 'Acme Co', 'Login page typo', 1, 'on_track', { severity: 'Low', summary: 'Typo on the sign-in page' }, 1)
  await addRecord('tickets', 'Acme Co', 'Slow product search', 2, 'at_risk', { severity: 'Urgent', summary: 'Search takes 5 s on mobile' }, 2)
  await addRecord('contracts', 'Acme Co', 'Master services agreement', null, 'on_track', { value: 24_000_000, renewal_date: day(200), terms_url: 'https://acme.com/msa' }, 40)
  await addRecord('contracts', 'Globex Corporation', 'Retainer 2026', null, 'on_track', { value: 6_000_000, renewal_date: day(90) }, 50)

  return { adminEmail, adminPassword, generatedPassword: admin.password === undefined }
}
