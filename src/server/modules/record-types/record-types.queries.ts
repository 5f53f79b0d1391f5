import type { Insertable, Updateable } from 'kysely'
import type { Executor } from '../../jobs/outbox.js'
import type { FieldRow, RecordTypeRow, StageRow } from '../../db/schema.js'

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
export const updateType = (db: Executor, workspaceId: string, id: string, patch: Updateable<RecordTypeRow>) =>
  db.updateTable('record_types').set(patch).where('workspace_id', '=', workspaceId).where('id', '=', id).execute()

export const insertStage = (db: Executor, row: Insertable<StageRow>) => db.insertInto('stages').values(row).execute()
export const updateStage = (db: Executor, workspaceId: string, id: string, patch: Updateable<StageRow>) =>
  db.updateTable('stages').set(patch).where('workspace_id', '=', workspaceId).where('id', '=', id).execute()
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
export const updateField = (db: Executor, workspaceId: string, id: string, patch: Updateable<FieldRow>) =>
  db.updateTable('fields').set(patch).where('workspace_id', '=', workspaceId).where('id', '=', id).execute()
export const deleteField = (db: Executor, workspaceId: string, id: string) => db.deleteFrom('fields').where('workspace_id', '=', workspaceId).where('id', '=', id).execute()
