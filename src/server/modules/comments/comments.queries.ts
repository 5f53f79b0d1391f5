import type { Insertable } from 'kysely'
import type { Executor } from '../../jobs/outbox.js'
import type { CommentRow } from '../../db/schema.js'

export const listComments = (db: Executor, workspaceId: string, recordId: string) =>
  db
    .selectFrom('comments as cm')
    .leftJoin('users as u', 'u.id', 'cm.author_user_id')
    .leftJoin('contacts as c', 'c.id', 'cm.author_contact_id')
    .select(['cm.id', 'cm.body', 'cm.created_at', 'cm.author_user_id', 'cm.author_contact_id', 'u.name as user_name', 'c.name as contact_name'])
    .where('cm.workspace_id', '=', workspaceId)
    .where('cm.record_id', '=', recordId)
    .orderBy('cm.created_at')
    .orderBy('cm.id')
    .execute()

export const insertComment = (db: Executor, row: Insertable<CommentRow>) => db.insertInto('comments').values(row).execute()
