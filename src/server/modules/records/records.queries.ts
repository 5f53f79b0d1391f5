import type { Insertable, Updateable } from 'kysely'
import type { Executor } from '../../jobs/outbox.js'
import type { RecordRow } from '../../db/schema.js'
import type { RecordSummary } from '../../../shared/contracts/staff.js'
import { jsonArray, jsonObject } from '../../db/json-array.js'
import { prepared } from '../../db/prepared.js'

const inWorkspace = (db: Executor, workspaceId: string) =>
  db.selectFrom('records as r').innerJoin('companies as c', 'c.id', 'r.company_id').where('r.workspace_id', '=', workspaceId)

const summary = (db: Executor, workspaceId: string) =>
  inWorkspace(db, workspaceId).select(['r.id', 'r.name', 'r.record_type_id', 'r.company_id', 'c.name as company_name', 'r.stage_id', 'r.status', 'r.owner_id', 'r.updated_at'])

/** RecordSummary as the database writes it for lists (records.service's toSummary, for one row). */
const SUMMARY_JSON = {
  id: 'r.id',
  name: 'r.name',
  typeId: 'r.record_type_id',
  companyId: 'r.company_id',
  companyName: 'c.name',
  stageId: 'r.stage_id',
  status: 'r.status',
  ownerId: 'r.owner_id',
  updatedAt: 'r.updated_at',
} as const satisfies Record<keyof RecordSummary, string>

const summaryJson = (db: Executor, workspaceId: string) => inWorkspace(db, workspaceId).select(jsonObject(db, SUMMARY_JSON).as('json'))
const newestFirst = (query: ReturnType<typeof summaryJson>) => query.orderBy('r.updated_at', 'desc').orderBy('r.id', 'desc').limit(1000)

/** RecordSummary[] as JSON text, newest first (at most 1,000). */
export async function listRecordsJson(db: Executor, workspaceId: string, filter: { companyId?: string | undefined; typeId?: string | undefined }): Promise<string> {
  let query = summaryJson(db, workspaceId)
  if (filter.companyId) query = query.where('r.company_id', '=', filter.companyId)
  if (filter.typeId) query = query.where('r.record_type_id', '=', filter.typeId)
  return jsonArray((await newestFirst(query).execute()).map((r) => r.json))
}

// The staff company page's list, on every view of it: built once (db/prepared.ts). Its two company keys are
// the same on every row, so the database writes the other seven and the company's are put in front here: a
// fifth less for PostgreSQL to build and for node to read (~15 % of the page there, bench: staff_company).
// Without the join it can't share newestFirst's type, so the order is spelled again: staff-records.test holds
// this list equal to GET /records?companyId=, item by item and in order.
const { companyId: _companyId, companyName: _companyName, ...OWN_JSON } = SUMMARY_JSON
const ofCompany = prepared((db, workspaceId: string, companyId: string) =>
  db
    .selectFrom('records as r')
    .select(jsonObject(db, OWN_JSON).as('json'))
    .where('r.workspace_id', '=', workspaceId)
    .where('r.company_id', '=', companyId)
    .orderBy('r.updated_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(1000),
)

/** A company's RecordSummary[] as JSON text, newest first (at most 1,000). */
export async function companyRecordsJson(db: Executor, workspaceId: string, company: { id: string; name: string }): Promise<string> {
  const companyKeys = `"companyId":${JSON.stringify(company.id)},"companyName":${JSON.stringify(company.name)},`
  return jsonArray((await ofCompany(db, workspaceId, company.id)).map((r) => `{${companyKeys}${r.json.slice(1)}`))
}

export const countRecordsByType = (db: Executor, workspaceId: string, companyId: string) =>
  db
    .selectFrom('records')
    .select((eb) => ['record_type_id', eb.fn.countAll<number>().as('n')])
    .where('workspace_id', '=', workspaceId)
    .where('company_id', '=', companyId)
    .groupBy('record_type_id')
    .execute()

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
