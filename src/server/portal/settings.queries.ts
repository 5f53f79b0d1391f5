import type { Insertable } from 'kysely'
import type { Executor } from '../jobs/outbox.js'
import type { PortalTypeSettingsRow } from '../db/schema.js'

export const listTypeSettings = (db: Executor, workspaceId: string) =>
  db
    .selectFrom('portal_type_settings')
    .select(['record_type_id', 'shareable', 'show_status', 'show_files', 'show_comments', 'allow_uploads', 'email_on_staff_reply'])
    .where('workspace_id', '=', workspaceId)
    .execute()

export const listVisibleFieldIds = (db: Executor, workspaceId: string) =>
  db.selectFrom('portal_visible_fields').select(['field_id', 'record_type_id']).where('workspace_id', '=', workspaceId).execute()

export async function upsertTypeSettings(db: Executor, row: Insertable<PortalTypeSettingsRow>) {
  const { record_type_id: _id, workspace_id: _ws, ...update } = row
  await db
    .insertInto('portal_type_settings')
    .values(row)
    .onConflict((oc) => oc.column('record_type_id').doUpdateSet(update))
    .execute()
}

export async function replaceVisibleFields(db: Executor, workspaceId: string, typeId: string, fieldIds: string[]) {
  await db.deleteFrom('portal_visible_fields').where('workspace_id', '=', workspaceId).where('record_type_id', '=', typeId).execute()
  if (fieldIds.length) {
    await db
      .insertInto('portal_visible_fields')
      .values(fieldIds.map((field_id) => ({ field_id, workspace_id: workspaceId, record_type_id: typeId })))
      .execute()
  }
}
