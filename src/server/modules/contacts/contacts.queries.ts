import type { Insertable, Updateable } from 'kysely'
import type { Executor } from '../../jobs/outbox.js'
import type { ContactRow } from '../../db/schema.js'
import { containsText } from '../../db/search.js'

const base = (db: Executor, workspaceId: string) =>
  db
    .selectFrom('contacts as ct')
    .innerJoin('companies as co', 'co.id', 'ct.company_id')
    .select(['ct.id', 'ct.company_id', 'co.name as company_name', 'ct.name', 'ct.email'])
    .where('ct.workspace_id', '=', workspaceId)

export function listContacts(db: Executor, workspaceId: string, filter: { q?: string | undefined; companyId?: string | undefined }) {
  let query = base(db, workspaceId)
  if (filter.companyId) query = query.where('ct.company_id', '=', filter.companyId)
  if (filter.q) {
    const term = filter.q
    query = query.where((eb) => eb.or([containsText('ct.name', term), containsText('ct.email', term)]))
  }
  return query.orderBy('ct.name').limit(500).execute()
}

export const findContact = (db: Executor, workspaceId: string, id: string) => base(db, workspaceId).where('ct.id', '=', id).executeTakeFirst()

export const insertContact = (db: Executor, row: Insertable<ContactRow>) => db.insertInto('contacts').values(row).execute()

/** A patch that changes nothing is a no-op (`UPDATE … SET` with nothing to set is not SQL). */
export const updateContact = async (db: Executor, workspaceId: string, id: string, patch: Updateable<ContactRow>) => {
  if (Object.keys(patch).length === 0) return
  await db.updateTable('contacts').set(patch).where('workspace_id', '=', workspaceId).where('id', '=', id).execute()
}

export const deleteContact = (db: Executor, workspaceId: string, id: string) =>
  db.deleteFrom('contacts').where('workspace_id', '=', workspaceId).where('id', '=', id).execute()

export const clearContactAuthorship = async (db: Executor, id: string) => {
  await db.updateTable('comments').set({ author_contact_id: null }).where('author_contact_id', '=', id).execute()
  await db.updateTable('files').set({ uploaded_by_contact_id: null }).where('uploaded_by_contact_id', '=', id).execute()
}
