import type { Insertable, Updateable } from 'kysely'
import type { Executor } from '../../jobs/outbox.js'
import type { CompanyRow } from '../../db/schema.js'
import { containsText } from '../../db/search.js'
import { prepared } from '../../db/prepared.js'
import { jsonArrayAgg } from '../../db/json-array.js'
import type { Contact } from '../../../shared/contracts/staff.js'

const listBase = (db: Executor, workspaceId: string) =>
  db
    .selectFrom('companies as c')
    .select((eb) => [
      'c.id',
      'c.name',
      'c.domain',
      'c.updated_at',
      // Both counts name the workspace too, so they seek the (workspace_id, company_id) indexes instead of scanning them.
      eb.selectFrom('contacts').select(eb.fn.countAll<number>().as('n')).whereRef('contacts.workspace_id', '=', 'c.workspace_id').whereRef('contacts.company_id', '=', 'c.id').as('contact_count'),
      eb.selectFrom('records').select(eb.fn.countAll<number>().as('n')).whereRef('records.workspace_id', '=', 'c.workspace_id').whereRef('records.company_id', '=', 'c.id').as('record_count'),
    ])
    .where('c.workspace_id', '=', workspaceId)

export function listCompanies(db: Executor, workspaceId: string, q?: string) {
  let query = listBase(db, workspaceId)
  if (q) query = query.where(containsText('c.name', q))
  return query.orderBy('c.name').limit(500).execute()
}

// Every company page and reference check runs it: built once (db/prepared.ts).
const oneCompany = prepared((db, workspaceId: string, id: string) => listBase(db, workspaceId).where('c.id', '=', id))

export const findCompany = async (db: Executor, workspaceId: string, id: string) => (await oneCompany(db, workspaceId, id))[0]

/** Contact as the database writes it for the company page (contacts.service's toContact, for one row). */
const CONTACT_JSON = {
  id: 'ct.id',
  companyId: 'ct.company_id',
  companyName: 'c.name',
  name: 'ct.name',
  email: 'ct.email',
} as const satisfies Record<keyof Contact, string>

// The staff company page, on every view of it: the company with its contacts as JSON (Contact[]) in one
// statement, a round trip less than two (~10 % of the page on PostgreSQL, bench: staff_company).
const companyPage = prepared((db, workspaceId: string, id: string) =>
  listBase(db, workspaceId)
    .where('c.id', '=', id)
    .select((eb) =>
      eb
        .selectFrom('contacts as ct')
        .select(jsonArrayAgg(db, CONTACT_JSON, ['ct.name', 'ct.id']).as('json'))
        .whereRef('ct.workspace_id', '=', 'c.workspace_id')
        .whereRef('ct.company_id', '=', 'c.id')
        .as('contacts_json'),
    ),
)

export const findCompanyPage = async (db: Executor, workspaceId: string, id: string) => (await companyPage(db, workspaceId, id))[0]

export const insertCompany = (db: Executor, row: Insertable<CompanyRow>) => db.insertInto('companies').values(row).execute()

export const updateCompany = (db: Executor, workspaceId: string, id: string, patch: Updateable<CompanyRow>) =>
  db.updateTable('companies').set(patch).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()
