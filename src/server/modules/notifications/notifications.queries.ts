import type { Insertable } from 'kysely'
import type { Executor } from '../../jobs/outbox.js'
import type { RecordChangeRow } from '../../db/schema.js'

export const insertChanges = (db: Executor, rows: Insertable<RecordChangeRow>[]) => db.insertInto('record_changes').values(rows).execute()

export const pendingChanges = (db: Executor, recordId: string) =>
  db.selectFrom('record_changes').select(['id', 'kind', 'from_value', 'to_value', 'created_at']).where('record_id', '=', recordId).where('notified_at', 'is', null).orderBy('created_at').orderBy('id').execute()

export const markNotified = (db: Executor, ids: string[], at: string) =>
  ids.length ? db.updateTable('record_changes').set({ notified_at: at }).where('id', 'in', ids).execute() : Promise.resolve([])

export const hasPendingJob = async (db: Executor, payload: string) =>
  Boolean(await db.selectFrom('jobs').select('id').where('kind', '=', 'notify.record-updates').where('status', '=', 'pending').where('payload', '=', payload).executeTakeFirst())

/** The record's owner and watchers: who hears about a client's comment or upload. */
export const ownerAndWatchers = (db: Executor, workspaceId: string, recordId: string) =>
  db
    .selectFrom('users as u')
    .select(['u.id', 'u.email', 'u.name'])
    .where('u.workspace_id', '=', workspaceId)
    .where((eb) =>
      eb.or([
        eb('u.id', 'in', eb.selectFrom('records').select('owner_id').where('id', '=', recordId).where('workspace_id', '=', workspaceId)),
        eb('u.id', 'in', eb.selectFrom('record_watchers').select('user_id').where('record_id', '=', recordId).where('workspace_id', '=', workspaceId)),
      ]),
    )
    .execute()

export const recordBasics = (db: Executor, workspaceId: string, recordId: string) =>
  db
    .selectFrom('records as r')
    .innerJoin('companies as c', 'c.id', 'r.company_id')
    .select(['r.id', 'r.name', 'r.company_id', 'r.record_type_id', 'c.name as company_name'])
    .where('r.workspace_id', '=', workspaceId)
    .where('r.id', '=', recordId)
    .executeTakeFirst()

export const staffComment = (db: Executor, workspaceId: string, commentId: string) =>
  db
    .selectFrom('comments as cm')
    .innerJoin('users as u', 'u.id', 'cm.author_user_id')
    .select(['cm.id', 'cm.record_id', 'cm.body', 'u.name as author_name'])
    .where('cm.workspace_id', '=', workspaceId)
    .where('cm.id', '=', commentId)
    .executeTakeFirst()
