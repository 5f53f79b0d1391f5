import type { Insertable, Updateable } from 'kysely'
import type { Executor } from '../../jobs/outbox.js'
import type { RecordRow } from '../../db/schema.js'

const summary = (db: Executor, workspaceId: string) =>
  db
    .selectFrom('records as r')
    .innerJoin('companies as c', 'c.id', 'r.company_id')
    .select(['r.id', 'r.name', 'r.record_type_id', 'r.company_id', 'c.name as company_name', 'r.stage_id', 'r.status', 'r.owner_id', 'r.updated_at'])
    .where('r.workspace_id', '=', workspaceId)

export function listRecords(db: Executor, workspaceId: string, filter: { companyId?: string | undefined; typeId?: string | undefined }) {
  let query = summary(db, workspaceId)
  if (filter.companyId) query = query.where('r.company_id', '=', filter.companyId)
  if (filter.typeId) query = query.where('r.record_type_id', '=', filter.typeId)
  return query.orderBy('r.updated_at', 'desc').limit(1000).execute()
}

export const findRecord = (db: Executor, workspaceId: string, id: string) => summary(db, workspaceId).select('r.created_at').where('r.id', '=', id).executeTakeFirst()

export const listValues = (db: Executor, workspaceId: string, recordId: string) =>
  db
    .selectFrom('record_values as v')
    .innerJoin('fields as f', 'f.id', 'v.field_id')
    .select(['f.key', 'v.value'])
    .where('v.workspace_id', '=', workspaceId)
    .where('v.record_id', '=', recordId)
    .execute()

export const listWatchers = (db: Executor, workspaceId: string, recordId: string) =>
  db.selectFrom('record_watchers').select('user_id').where('workspace_id', '=', workspaceId).where('record_id', '=', recordId).execute()

export const insertRecord = (db: Executor, row: Insertable<RecordRow>) => db.insertInto('records').values(row).execute()

export const updateRecord = (db: Executor, workspaceId: string, id: string, patch: Updateable<RecordRow>) =>
  db.updateTable('records').set(patch).where('workspace_id', '=', workspaceId).where('id', '=', id).execute()

export async function setValue(db: Executor, workspaceId: string, recordId: string, fieldId: string, value: string | null) {
  await db.deleteFrom('record_values').where('record_id', '=', recordId).where('field_id', '=', fieldId).execute()
  if (value !== null) await db.insertInto('record_values').values({ record_id: recordId, field_id: fieldId, workspace_id: workspaceId, value }).execute()
}

export async function setWatchers(db: Executor, workspaceId: string, recordId: string, userIds: string[]) {
  await db.deleteFrom('record_watchers').where('record_id', '=', recordId).execute()
  if (userIds.length) await db.insertInto('record_watchers').values(userIds.map((user_id) => ({ record_id: recordId, user_id, workspace_id: workspaceId }))).execute()
}
