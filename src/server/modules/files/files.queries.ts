import type { Insertable } from 'kysely'
import type { Executor } from '../../jobs/outbox.js'
import type { FileRow } from '../../db/schema.js'

const base = (db: Executor, workspaceId: string) =>
  db
    .selectFrom('files as f')
    .leftJoin('users as u', 'u.id', 'f.uploaded_by_user_id')
    .leftJoin('contacts as c', 'c.id', 'f.uploaded_by_contact_id')
    .select(['f.id', 'f.record_id', 'f.name', 'f.size', 'f.content_type', 'f.source', 'f.storage_key', 'f.storage_provider', 'f.created_at', 'u.name as user_name', 'c.name as contact_name'])
    .where('f.workspace_id', '=', workspaceId)

export const listFiles = (db: Executor, workspaceId: string, recordId: string) =>
  base(db, workspaceId).where('f.record_id', '=', recordId).orderBy('f.created_at', 'desc').execute()

export const findFile = (db: Executor, workspaceId: string, id: string) => base(db, workspaceId).where('f.id', '=', id).executeTakeFirst()

export const insertFile = (db: Executor, row: Insertable<FileRow>) => db.insertInto('files').values(row).execute()

export const deleteFile = (db: Executor, workspaceId: string, id: string) => db.deleteFrom('files').where('workspace_id', '=', workspaceId).where('id', '=', id).execute()
