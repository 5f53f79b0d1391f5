import { randomUUID } from 'node:crypto'
import type { z } from 'zod'
import type { FieldValue } from '../../../shared/contracts/common.js'
import type { CreateRecord, RecordDetail, RecordSummary, RecordType, UpdateRecord } from '../../../shared/contracts/staff.js'
import type { Deps } from '../../deps.js'
import { AppError, notFound } from '../../errors.js'
import type { StaffPrincipal } from '../../staff/principal.js'
import { companyExists } from '../companies/companies.service.js'
import { getRecordType, listRecordTypes } from '../record-types/record-types.service.js'
import { assertStaffIds } from '../users/users.service.js'
import { checkValues } from './field-values.js'
import { recordChanged, type RecordChange } from '../notifications/notifications.service.js'
import { touchCompanies } from '../../db/versions.js'
import * as q from './records.queries.js'

type DetailRow = NonNullable<Awaited<ReturnType<typeof q.findRecord>>>
/** One row's RecordSummary; lists are written by the database with the same keys (records.queries' SUMMARY_JSON). */
const toSummary = (r: DetailRow): RecordSummary => ({
  id: r.id,
  name: r.name,
  typeId: r.record_type_id,
  companyId: r.company_id,
  companyName: r.company_name,
  stageId: r.stage_id,
  status: r.status,
  ownerId: r.owner_id,
  updatedAt: r.updated_at,
})

/** RecordSummary[] as JSON text, for sending as it is. */
export const listRecordsJson = (deps: Deps, staff: StaffPrincipal, filter: { companyId?: string | undefined; typeId?: string | undefined }) =>
  q.listRecordsJson(deps.db, staff.workspaceId, filter)

export const companyRecordsJson = (deps: Deps, staff: StaffPrincipal, company: { id: string; name: string }) => q.companyRecordsJson(deps.db, staff.workspaceId, company)

/** How many records of each type a company has. */
export const countRecordsByType = async (deps: Deps, staff: StaffPrincipal, companyId: string): Promise<Map<string, number>> =>
  new Map((await q.countRecordsByType(deps.db, staff.workspaceId, companyId)).map((r) => [r.record_type_id, Number(r.n)]))

export async function getRecordRow(deps: Deps, workspaceId: string, id: string): Promise<DetailRow> {
  const row = await q.findRecord(deps.db, workspaceId, id)
  if (!row) throw notFound('Record not found')
  return row
}

export async function getRecord(deps: Deps, staff: StaffPrincipal, id: string): Promise<RecordDetail> {
  const row = await getRecordRow(deps, staff.workspaceId, id)
  const [values, watchers] = await Promise.all([q.listValues(deps.db, staff.workspaceId, id), q.listWatchers(deps.db, staff.workspaceId, id)])
  return {
    ...toSummary(row),
    createdAt: row.created_at,
    watcherIds: watchers.map((w) => w.user_id),
    values: Object.fromEntries(values.map((v) => [v.key, JSON.parse(v.value) as FieldValue])),
  }
}

function checkStage(type: RecordType, stageId: string | null | undefined): string | null {
  if (!type.hasPipeline) {
    if (stageId) throw new AppError('VALIDATION', `stageId: ${type.plural} have no pipeline`, 'stageId')
    return null
  }
  if (stageId === undefined || stageId === null) {
    const first = type.stages[0]
    if (!first) throw new AppError('VALIDATION', `stageId: ${type.plural} have no stages yet; add one in Settings → Record types`, 'stageId')
    return first.id
  }
  if (!type.stages.some((s) => s.id === stageId)) throw new AppError('VALIDATION', `stageId is not a stage of the ${type.singular} pipeline`, 'stageId')
  return stageId
}

async function checkRefs(deps: Deps, staff: StaffPrincipal, input: { companyId?: string | undefined; ownerId?: string | null | undefined; watcherIds?: string[] | undefined }) {
  if (input.companyId && !(await companyExists(deps, staff.workspaceId, input.companyId))) {
    throw new AppError('VALIDATION', 'companyId does not name a company of this workspace', 'companyId')
  }
  if (input.ownerId) await assertStaffIds(deps, staff.workspaceId, [input.ownerId], 'ownerId')
  if (input.watcherIds?.length) await assertStaffIds(deps, staff.workspaceId, input.watcherIds, 'watcherIds')
}

async function checkUserValues(deps: Deps, staff: StaffPrincipal, checked: ReturnType<typeof checkValues>) {
  for (const { field, value } of checked) {
    if (field.kind === 'user' && typeof value === 'string') await assertStaffIds(deps, staff.workspaceId, [value], `values.${field.key}`)
  }
}

export async function createRecord(deps: Deps, staff: StaffPrincipal, input: z.infer<typeof CreateRecord>): Promise<RecordDetail> {
  const type = (await listRecordTypes(deps.db, staff.workspaceId)).find((t) => t.id === input.typeId)
  if (!type) throw new AppError('VALIDATION', 'typeId does not name a record type of this workspace', 'typeId')
  const stageId = checkStage(type, input.stageId)
  const checked = checkValues(type, input.values ?? {})
  await checkRefs(deps, staff, input)
  await checkUserValues(deps, staff, checked)
  const id = randomUUID()
  const now = deps.clock().toISOString()
  await deps.db.transaction().execute(async (trx) => {
    await q.insertRecord(trx, {
      id,
      workspace_id: staff.workspaceId,
      record_type_id: type.id,
      company_id: input.companyId,
      name: input.name,
      owner_id: input.ownerId === undefined ? staff.userId : input.ownerId,
      stage_id: stageId,
      status: input.status ?? 'on_track',
      created_at: now,
      updated_at: now,
    })
    for (const { field, value } of checked) await q.setValue(trx, staff.workspaceId, id, field.id, value === null ? null : JSON.stringify(value))
    if (input.watcherIds) await q.setWatchers(trx, staff.workspaceId, id, [...new Set(input.watcherIds)])
    await touchCompanies(trx, staff.workspaceId, [input.companyId])
  })
  return getRecord(deps, staff, id)
}

export async function updateRecord(deps: Deps, staff: StaffPrincipal, id: string, input: z.infer<typeof UpdateRecord>): Promise<RecordDetail> {
  const row = await getRecordRow(deps, staff.workspaceId, id)
  const type = await getRecordType(deps, staff.workspaceId, row.record_type_id)
  // On create, no stage means the first one; on update, null would silently move the record there.
  if (input.stageId === null && type.hasPipeline) throw new AppError('VALIDATION', `stageId: a ${type.singular} is always in a stage of its pipeline`, 'stageId')
  const stageId = input.stageId === undefined ? undefined : checkStage(type, input.stageId)
  const checked = checkValues(type, input.values ?? {})
  await checkRefs(deps, staff, input)
  await checkUserValues(deps, staff, checked)
  const now = deps.clock()
  const changes: RecordChange[] = [
    ...(stageId !== undefined && stageId !== row.stage_id ? [{ kind: 'stage' as const, from: row.stage_id, to: stageId }] : []),
    ...(input.status !== undefined && input.status !== row.status ? [{ kind: 'status' as const, from: row.status, to: input.status }] : []),
  ]
  await deps.db.transaction().execute(async (trx) => {
    await recordChanged(trx, now, staff.workspaceId, id, changes, deps.config.notifyBatchMs)
    await q.updateRecord(trx, staff.workspaceId, id, {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.companyId !== undefined && { company_id: input.companyId }),
      ...(stageId !== undefined && { stage_id: stageId }),
      ...(input.status !== undefined && { status: input.status }),
      ...(input.ownerId !== undefined && { owner_id: input.ownerId }),
      updated_at: now.toISOString(),
    })
    for (const { field, value } of checked) await q.setValue(trx, staff.workspaceId, id, field.id, value === null ? null : JSON.stringify(value))
    if (input.watcherIds) await q.setWatchers(trx, staff.workspaceId, id, [...new Set(input.watcherIds)])
    await touchCompanies(trx, staff.workspaceId, [row.company_id, input.companyId])
  })
  return getRecord(deps, staff, id)
}
