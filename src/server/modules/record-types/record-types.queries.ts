import type { Insertable, Updateable } from 'kysely'
import type { Executor } from '../../jobs/outbox.js'
import type { FieldRow, RecordTypeRow, StageRow } from '../../db/schema.js'

/** `UPDATE … SET` with nothing to set is not SQL: a patch that changes nothing is a no-op. */
const isEmpty = (patch: object) => Object.keys(patch).length === 0

export const listTypes = (db: Executor, workspaceId: string) =>
  db.selectFrom('record_types').select(['id', 'key', 'singular', 'plural', 'has_pipeline', 'position']).where('workspace_id', '=', workspaceId).orderBy('position').execute()

export const listStages = (db: Executor, workspaceId: string) =>
  db.selectFrom('stages').select(['id', 'record_type_id', 'name', 'color', 'position']).where('workspace_id', '=', workspaceId).orderBy('position').execute()

export const listFields = (db: Executor, workspaceId: string) =>
  db
    .selectFrom('fields')
    .select(['id', 'record_type_id', 'key', 'label', 'kind', 'options', 'position'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('position')
    .execute()

export const insertType = (db: Executor, row: Insertable<RecordTypeRow>) => db.insertInto('record_types').values(row).execute()
export const updateType = async (db: Executor, workspaceId: string, id: string, patch: Updateable<RecordTypeRow>) => {
  if (isEmpty(patch)) return
  await db.updateTable('record_types').set(patch).where('workspace_id', '=', workspaceId).where('id', '=', id).execute()
}

export const insertStage = (db: Executor, row: Insertable<StageRow>) => db.insertInto('stages').values(row).execute()
export const updateStage = async (db: Executor, workspaceId: string, id: string, patch: Updateable<StageRow>) => {
  if (isEmpty(patch)) return
  await db.updateTable('stages').set(patch).where('workspace_id', '=', workspaceId).where('id', '=', id).execute()
}
export const deleteStage = (db: Executor, workspaceId: string, id: string) => db.deleteFrom('stages').where('workspace_id', '=', workspaceId).where('id', '=', id).execute()
export const countRecordsInStage = async (db: Executor, workspaceId: string, stageId: string) =>
  Number(
    (
      await db
        .selectFrom('records')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspace_id', '=', workspaceId)
        .where('stage_id', '=', stageId)
        .executeTakeFirstOrThrow()
    ).n,
  )

export const insertField = (db: Executor, row: Insertable<FieldRow>) => db.insertInto('fields').values(row).execute()
export const updateField = async (db: Executor, workspaceId: string, id: string, patch: Updateable<FieldRow>) => {
  if (isEmpty(patch)) return
  await db.updateTable('fields').set(patch).where('workspace_id', '=', workspaceId).where('id', '=', id).execute()
}
export const deleteField = (db: Executor, workspaceId: string, id: string) => db.deleteFrom('fields').where('workspace_id', '=', workspaceId).where('id', '=', id).execute()
