import { randomUUID } from 'node:crypto'
import type { z } from 'zod'
import type { CreateField, CreateRecordType, CreateStage, Field, RecordType, Stage, UpdateField, UpdateRecordType, UpdateStage } from '../../../shared/contracts/staff.js'
import type { Deps } from '../../deps.js'
import { AppError, notFound } from '../../errors.js'
import type { Executor } from '../../jobs/outbox.js'
import { requireAdmin, type StaffPrincipal } from '../../staff/principal.js'
import { touchWorkspace } from '../../db/versions.js'
import * as q from './record-types.queries.js'

/** All types of a workspace with their ordered stages and fields: three queries, whatever the size. */
export async function listRecordTypes(db: Executor, workspaceId: string): Promise<RecordType[]> {
  const [types, stages, fields] = await Promise.all([q.listTypes(db, workspaceId), q.listStages(db, workspaceId), q.listFields(db, workspaceId)])
  return types.map((t) => ({
    id: t.id,
    key: t.key,
    singular: t.singular,
    plural: t.plural,
    hasPipeline: Boolean(t.has_pipeline),
    stages: stages.filter((s) => s.record_type_id === t.id).map((s): Stage => ({ id: s.id, name: s.name, color: s.color, position: s.position })),
    fields: fields
      .filter((f) => f.record_type_id === t.id)
      .map((f): Field => ({ id: f.id, key: f.key, label: f.label, kind: f.kind, options: f.options ? (JSON.parse(f.options) as string[]) : [], position: f.position })),
  }))
}

export async function getRecordType(deps: Deps, workspaceId: string, id: string): Promise<RecordType> {
  const type = (await listRecordTypes(deps.db, workspaceId)).find((t) => t.id === id)
  if (!type) throw notFound('Record type not found')
  return type
}

export async function createRecordType(deps: Deps, staff: StaffPrincipal, input: z.infer<typeof CreateRecordType>): Promise<RecordType> {
  requireAdmin(staff)
  const existing = await listRecordTypes(deps.db, staff.workspaceId)
  if (existing.some((t) => t.key === input.key)) throw new AppError('VALIDATION', `key "${input.key}" is already used by another record type`, 'key')
  const id = randomUUID()
  await q.insertType(deps.db, {
    id,
    workspace_id: staff.workspaceId,
    key: input.key,
    singular: input.singular,
    plural: input.plural,
    has_pipeline: input.hasPipeline ? 1 : 0,
    position: existing.length,
  })
  await touchWorkspace(deps.db, staff.workspaceId)
  return getRecordType(deps, staff.workspaceId, id)
}

export async function updateRecordType(deps: Deps, staff: StaffPrincipal, id: string, input: z.infer<typeof UpdateRecordType>): Promise<RecordType> {
  requireAdmin(staff)
  await getRecordType(deps, staff.workspaceId, id)
  await q.updateType(deps.db, staff.workspaceId, id, { ...(input.singular && { singular: input.singular }), ...(input.plural && { plural: input.plural }) })
  await touchWorkspace(deps.db, staff.workspaceId)
  return getRecordType(deps, staff.workspaceId, id)
}

/** Moves `id` to `position` and renumbers the rest 0..n-1, keeping the order otherwise. */
function reorder<T extends { id: string }>(items: T[], id: string, position: number): { id: string; position: number }[] {
  const moving = items.find((i) => i.id === id)!
  const rest = items.filter((i) => i.id !== id)
  rest.splice(Math.min(position, rest.length), 0, moving)
  return rest.map((i, index) => ({ id: i.id, position: index }))
}

/** The positions left after `removed` goes: 0..n-2, so the next one added (at n-1) goes last, not beside another. */
function renumber<T extends { id: string; position: number }>(items: T[], removed: string): { id: string; position: number }[] {
  return items
    .filter((i) => i.id !== removed)
    .map((i, index) => ({ id: i.id, position: index, was: i.position }))
    .filter((i) => i.position !== i.was)
    .map(({ id, position }) => ({ id, position }))
}

export async function createStage(deps: Deps, staff: StaffPrincipal, typeId: string, input: z.infer<typeof CreateStage>): Promise<RecordType> {
  requireAdmin(staff)
  const type = await getRecordType(deps, staff.workspaceId, typeId)
  if (!type.hasPipeline) throw new AppError('VALIDATION', `${type.plural} have no pipeline, so they cannot have stages`)
  await q.insertStage(deps.db, { id: randomUUID(), workspace_id: staff.workspaceId, record_type_id: typeId, name: input.name, color: input.color, position: type.stages.length })
  await touchWorkspace(deps.db, staff.workspaceId)
  return getRecordType(deps, staff.workspaceId, typeId)
}

export async function updateStage(deps: Deps, staff: StaffPrincipal, typeId: string, stageId: string, input: z.infer<typeof UpdateStage>): Promise<RecordType> {
  requireAdmin(staff)
  const type = await getRecordType(deps, staff.workspaceId, typeId)
  if (!type.stages.some((s) => s.id === stageId)) throw notFound('Stage not found')
  await deps.db.transaction().execute(async (trx) => {
    await q.updateStage(trx, staff.workspaceId, stageId, { ...(input.name && { name: input.name }), ...(input.color && { color: input.color }) })
    if (input.position !== undefined) {
      for (const s of reorder(type.stages, stageId, input.position)) await q.updateStage(trx, staff.workspaceId, s.id, { position: s.position })
    }
  })
  await touchWorkspace(deps.db, staff.workspaceId)
  return getRecordType(deps, staff.workspaceId, typeId)
}

export async function deleteStage(deps: Deps, staff: StaffPrincipal, typeId: string, stageId: string): Promise<RecordType> {
  requireAdmin(staff)
  const type = await getRecordType(deps, staff.workspaceId, typeId)
  if (!type.stages.some((s) => s.id === stageId)) throw notFound('Stage not found')
  const inUse = await q.countRecordsInStage(deps.db, staff.workspaceId, stageId)
  if (inUse > 0) {
    const what = inUse === 1 ? `1 ${type.singular} is in this stage; move it` : `${inUse} ${type.plural} are in this stage; move them`
    throw new AppError('CONFLICT', `${what} to another stage first`)
  }
  if (type.stages.length === 1) throw new AppError('CONFLICT', 'A pipeline needs at least one stage')
  await deps.db.transaction().execute(async (trx) => {
    await q.deleteStage(trx, staff.workspaceId, stageId)
    for (const s of renumber(type.stages, stageId)) await q.updateStage(trx, staff.workspaceId, s.id, { position: s.position })
  })
  await touchWorkspace(deps.db, staff.workspaceId)
  return getRecordType(deps, staff.workspaceId, typeId)
}

function checkOptions(kind: string, options: string[] | undefined): string[] {
  if (kind !== 'select') {
    // Refuse rather than silently drop what the caller sent (invariant 8).
    if (options?.length) throw new AppError('VALIDATION', `options: only select fields have options, not ${kind} fields`, 'options')
    return []
  }
  const list = options ?? []
  if (list.length === 0) throw new AppError('VALIDATION', 'options: a select field needs at least one option', 'options')
  if (new Set(list).size !== list.length) throw new AppError('VALIDATION', 'options must not repeat', 'options')
  return list
}

export async function createField(deps: Deps, staff: StaffPrincipal, typeId: string, input: z.infer<typeof CreateField>): Promise<RecordType> {
  requireAdmin(staff)
  const type = await getRecordType(deps, staff.workspaceId, typeId)
  if (['name', 'stage', 'status', 'owner', 'type', 'company'].includes(input.key) || type.fields.some((f) => f.key === input.key)) {
    throw new AppError('VALIDATION', `key "${input.key}" is already used on ${type.plural}`, 'key')
  }
  const options = checkOptions(input.kind, input.options)
  await q.insertField(deps.db, {
    id: randomUUID(),
    workspace_id: staff.workspaceId,
    record_type_id: typeId,
    key: input.key,
    label: input.label,
    kind: input.kind,
    options: options.length ? JSON.stringify(options) : null,
    position: type.fields.length,
  })
  await touchWorkspace(deps.db, staff.workspaceId)
  return getRecordType(deps, staff.workspaceId, typeId)
}

export async function updateField(deps: Deps, staff: StaffPrincipal, typeId: string, fieldId: string, input: z.infer<typeof UpdateField>): Promise<RecordType> {
  requireAdmin(staff)
  const type = await getRecordType(deps, staff.workspaceId, typeId)
  const field = type.fields.find((f) => f.id === fieldId)
  if (!field) throw notFound('Field not found')
  const options = input.options && checkOptions(field.kind, input.options)
  await deps.db.transaction().execute(async (trx) => {
    await q.updateField(trx, staff.workspaceId, fieldId, { ...(input.label && { label: input.label }), ...(options?.length && { options: JSON.stringify(options) }) })
    if (input.position !== undefined) {
      for (const f of reorder(type.fields, fieldId, input.position)) await q.updateField(trx, staff.workspaceId, f.id, { position: f.position })
    }
  })
  await touchWorkspace(deps.db, staff.workspaceId)
  return getRecordType(deps, staff.workspaceId, typeId)
}

export async function deleteField(deps: Deps, staff: StaffPrincipal, typeId: string, fieldId: string): Promise<RecordType> {
  requireAdmin(staff)
  const type = await getRecordType(deps, staff.workspaceId, typeId)
  if (!type.fields.some((f) => f.id === fieldId)) throw notFound('Field not found')
  await deps.db.transaction().execute(async (trx) => {
    await q.deleteField(trx, staff.workspaceId, fieldId)
    for (const f of renumber(type.fields, fieldId)) await q.updateField(trx, staff.workspaceId, f.id, { position: f.position })
  })
  await touchWorkspace(deps.db, staff.workspaceId)
  return getRecordType(deps, staff.workspaceId, typeId)
}
