// Choke point 2: the ONLY data access of portal routes. Every query here is filtered by the principal's
// workspace and company (taken from the session, never from the request) and by the shareable record
// types; a hidden field's value is never selected. Anything out of scope is "not found".
// Changes to this file need two reviewers.
import type { Readable } from 'node:stream'
import { AppError } from '../errors.js'
import { notifyTeamOfClientUpload } from '../modules/notifications/notifications.service.js'
import { checkUploadName, guardUpload, MAX_UPLOAD_BYTES } from '../storage/upload-rules.js'
import { deleteStoredFile, openStoredFile, storageFor, type StoredFile } from '../storage/workspace-storage.js'
import type { FieldValue } from '../../shared/contracts/common.js'
import type { PortalComment, PortalFile, PortalHome, PortalMe, PortalRecordDetail, PortalStage } from '../../shared/contracts/portal.js'
import type { Deps } from '../deps.js'
import { randomUUID } from 'node:crypto'
import { notFound } from '../errors.js'
import { touchCompanies } from '../db/versions.js'
import { notifyTeamOfClientComment } from '../modules/notifications/notifications.service.js'
import { findWorkspaceById } from '../modules/workspace/workspace.service.js'
import { recordEvent, type RequestMeta } from './access/events.js'
import type { ClientPrincipal } from './access/access.service.js'
import { projectFields } from './projection.js'
import { listPortalSettings } from './settings.service.js'

/** A staff Preview of a company: the same code path, read-only. */
export interface PreviewPrincipal {
  kind: 'preview'
  workspaceId: string
  companyId: string
  staffUserId: string
  viewVersion: string
}
export type PortalPrincipal = ClientPrincipal | PreviewPrincipal

const NOT_FOUND = 'Not found'

export async function resolvePreview(deps: Deps, staff: { workspaceId: string; userId: string }, companyId: string): Promise<PreviewPrincipal | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(companyId)) return undefined
  const company = await deps.db
    .selectFrom('companies as co')
    .innerJoin('workspaces as w', 'w.id', 'co.workspace_id')
    .select(['co.id', 'co.portal_version as company_version', 'w.portal_version as workspace_version'])
    .where('co.workspace_id', '=', staff.workspaceId)
    .where('co.id', '=', companyId)
    .executeTakeFirst()
  return company && { kind: 'preview', workspaceId: staff.workspaceId, companyId: company.id, staffUserId: staff.userId, viewVersion: `${company.workspace_version}.${company.company_version}` }
}

export async function describePrincipal(deps: Deps, p: PortalPrincipal): Promise<PortalMe> {
  const row = await deps.db
    .selectFrom('companies as co')
    .innerJoin('workspaces as w', 'w.id', 'co.workspace_id')
    .select(['co.name as company_name', 'w.name as workspace_name', 'w.logo_url', 'w.brand_color'])
    .where('co.id', '=', p.companyId)
    .where('co.workspace_id', '=', p.workspaceId)
    .executeTakeFirst()
  if (!row) throw notFound(NOT_FOUND)
  return {
    workspace: { name: row.workspace_name, logoUrl: row.logo_url, brandColor: row.brand_color },
    company: { name: row.company_name },
    contact: p.kind === 'client' ? { name: p.contactName, email: p.contactEmail } : { name: 'Preview', email: 'preview' },
    preview: p.kind === 'preview',
  }
}

async function sharedTypes(deps: Deps, p: PortalPrincipal) {
  return (await listPortalSettings(deps.db, p.workspaceId)).filter((s) => s.shareable)
}

/** The company's records of shared types: the base of every other portal query. */
const scopedRecords = (deps: Deps, p: PortalPrincipal, typeIds: string[]) =>
  deps.db
    .selectFrom('records as r')
    .where('r.workspace_id', '=', p.workspaceId)
    .where('r.company_id', '=', p.companyId)
    .where('r.record_type_id', 'in', typeIds.length ? typeIds : ['-'])

async function userNames(deps: Deps, p: PortalPrincipal, needed: boolean): Promise<Map<string, string>> {
  if (!needed) return new Map()
  const users = await deps.db.selectFrom('users').select(['id', 'name']).where('workspace_id', '=', p.workspaceId).execute()
  return new Map(users.map((u) => [u.id, u.name]))
}

/** Values of visible fields only: the join on portal_visible_fields keeps hidden values in the database. */
const visibleValues = (deps: Deps, p: PortalPrincipal, recordIds: ReturnType<typeof scopedRecords>) =>
  deps.db
    .selectFrom('record_values as v')
    .innerJoin('portal_visible_fields as pv', 'pv.field_id', 'v.field_id')
    .select(['v.record_id', 'v.field_id', 'v.value'])
    .where('v.workspace_id', '=', p.workspaceId)
    .where('pv.workspace_id', '=', p.workspaceId)
    .where('v.record_id', 'in', recordIds.select('r.id'))
    .execute()

function groupValues(rows: { record_id: string; field_id: string; value: string }[]): Map<string, Map<string, FieldValue>> {
  const byRecord = new Map<string, Map<string, FieldValue>>()
  for (const row of rows) {
    if (!byRecord.has(row.record_id)) byRecord.set(row.record_id, new Map())
    byRecord.get(row.record_id)!.set(row.field_id, JSON.parse(row.value) as FieldValue)
  }
  return byRecord
}

/** Home: every shared type with its stages and records. A constant number of queries, whatever the size. */
export async function getHome(deps: Deps, p: PortalPrincipal): Promise<PortalHome> {
  const types = await sharedTypes(deps, p)
  if (types.length === 0) return { types: [] }
  const typeIds = types.map((t) => t.typeId)
  const withFiles = types.filter((t) => t.showFiles).map((t) => t.typeId)
  const [records, values, fileCounts, names] = await Promise.all([
    scopedRecords(deps, p, typeIds).select(['r.id', 'r.name', 'r.record_type_id', 'r.stage_id', 'r.status']).orderBy('r.name').orderBy('r.id').execute(),
    visibleValues(deps, p, scopedRecords(deps, p, typeIds)),
    withFiles.length
      ? deps.db
          .selectFrom('files as f')
          .select((eb) => ['f.record_id', eb.fn.countAll<number>().as('n')])
          .where('f.workspace_id', '=', p.workspaceId)
          .where('f.record_id', 'in', scopedRecords(deps, p, withFiles).select('r.id'))
          .groupBy('f.record_id')
          .execute()
      : Promise.resolve([]),
    userNames(deps, p, types.some((t) => t.fields.some((f) => f.visible && f.kind === 'user'))),
  ])
  const valuesByRecord = groupValues(values)
  const filesByRecord = new Map(fileCounts.map((f) => [f.record_id, Number(f.n)]))

  return {
    types: types.map((t) => {
      const cards = records
        .filter((r) => r.record_type_id === t.typeId)
        .map((r) => ({
          id: r.id,
          name: r.name,
          stageId: t.hasPipeline ? r.stage_id : null,
          ...(t.showStatus ? { status: r.status } : {}),
          ...(t.showFiles ? { fileCount: filesByRecord.get(r.id) ?? 0 } : {}),
          summary: projectFields(t.fields, valuesByRecord.get(r.id) ?? new Map(), names, 3),
        }))
      const stages: PortalStage[] = t.type.stages.map((s) => {
        const inStage = cards.filter((c) => c.stageId === s.id)
        const rollup = t.showStatus
          ? (['on_track', 'at_risk', 'off_track', 'done'] as const)
              .map((status) => ({ status, count: inStage.filter((c) => c.status === status).length }))
              .filter((x) => x.count > 0)
          : undefined
        return {
          id: s.id,
          name: s.name,
          color: s.color,
          count: inStage.length,
          ...(rollup ? { statusRollup: rollup } : {}),
          ...(t.showFiles ? { fileCount: inStage.reduce((sum, c) => sum + (c.fileCount ?? 0), 0) } : {}),
        }
      })
      return { key: t.key, singular: t.singular, plural: t.plural, hasPipeline: t.hasPipeline, stages: t.hasPipeline ? stages : [], records: cards }
    }),
  }
}

async function findScopedRecord(deps: Deps, p: PortalPrincipal, recordId: string) {
  const types = await sharedTypes(deps, p)
  const row = await scopedRecords(
    deps,
    p,
    types.map((t) => t.typeId),
  )
    .select(['r.id', 'r.name', 'r.record_type_id', 'r.stage_id', 'r.status'])
    .where('r.id', '=', recordId)
    .executeTakeFirst()
  if (!row) throw notFound(NOT_FOUND)
  return { row, settings: types.find((t) => t.typeId === row.record_type_id)! }
}

export async function getRecord(deps: Deps, p: PortalPrincipal, recordId: string): Promise<PortalRecordDetail> {
  const { row, settings: t } = await findScopedRecord(deps, p, recordId)
  const one = scopedRecords(deps, p, [t.typeId]).where('r.id', '=', recordId)
  const [values, files, comments, names] = await Promise.all([
    visibleValues(deps, p, one),
    t.showFiles
      ? deps.db
          .selectFrom('files as f')
          .leftJoin('users as u', 'u.id', 'f.uploaded_by_user_id')
          .leftJoin('contacts as c', 'c.id', 'f.uploaded_by_contact_id')
          .select(['f.id', 'f.name', 'f.size', 'f.created_at', 'f.source', 'u.name as user_name', 'c.name as contact_name'])
          .where('f.workspace_id', '=', p.workspaceId)
          .where('f.record_id', 'in', one.select('r.id'))
          .orderBy('f.created_at', 'desc')
          .execute()
      : undefined,
    t.showComments
      ? deps.db
          .selectFrom('comments as cm')
          .leftJoin('users as u', 'u.id', 'cm.author_user_id')
          .leftJoin('contacts as c', 'c.id', 'cm.author_contact_id')
          .select(['cm.id', 'cm.body', 'cm.created_at', 'cm.author_user_id', 'u.name as user_name', 'c.name as contact_name'])
          .where('cm.workspace_id', '=', p.workspaceId)
          .where('cm.record_id', 'in', one.select('r.id'))
          .orderBy('cm.created_at')
          .orderBy('cm.id')
          .execute()
      : undefined,
    userNames(deps, p, t.fields.some((f) => f.visible && f.kind === 'user')),
  ])
  const stage = t.type.stages.find((s) => s.id === row.stage_id)
  const isClient = p.kind === 'client'
  return {
    id: row.id,
    name: row.name,
    type: { key: t.key, singular: t.singular, plural: t.plural },
    stage: t.hasPipeline && stage ? { name: stage.name, color: stage.color } : null,
    ...(t.showStatus ? { status: row.status } : {}),
    fields: projectFields(t.fields, groupValues(values).get(row.id) ?? new Map(), names),
    ...(files && {
      files: files.map((f) => ({
        id: f.id,
        name: f.name,
        size: Number(f.size),
        createdAt: f.created_at,
        source: f.source,
        uploadedBy: f.source === 'client' ? (f.contact_name ?? 'Client') : (f.user_name ?? 'Team'),
      })),
    }),
    ...(comments && {
      comments: comments.map((c) => ({
        id: c.id,
        body: c.body,
        side: c.author_user_id ? ('team' as const) : ('client' as const),
        authorName: (c.author_user_id ? c.user_name : c.contact_name) ?? (c.author_user_id ? 'Team' : 'Client'),
        createdAt: c.created_at,
      })),
    }),
    canUpload: isClient && t.allowUploads && t.showFiles && Boolean(p.uploadsFolder),
    canComment: isClient && t.showComments,
  }
}

/** A file of a shared record of this company whose type shows files; anything else is "not found". */
export async function openFile(deps: Deps, p: PortalPrincipal, fileId: string): Promise<{ file: { id: string; name: string; size: number; recordId: string }; stored: StoredFile }> {
  const types = (await sharedTypes(deps, p)).filter((t) => t.showFiles)
  const row = await deps.db
    .selectFrom('files as f')
    .select(['f.id', 'f.name', 'f.size', 'f.storage_key', 'f.storage_provider', 'f.record_id'])
    .where('f.workspace_id', '=', p.workspaceId)
    .where('f.id', '=', fileId)
    .where(
      'f.record_id',
      'in',
      scopedRecords(
        deps,
        p,
        types.map((t) => t.typeId),
      ).select('r.id'),
    )
    .executeTakeFirst()
  if (!row) throw notFound(NOT_FOUND)
  return { file: { id: row.id, name: row.name, size: Number(row.size), recordId: row.record_id }, stored: await openStoredFile(deps, p.workspaceId, row) }
}

/** A client's comment on a shared record whose type shows comments; the owner and watchers are emailed. */
export async function postComment(deps: Deps, p: ClientPrincipal, recordId: string, body: string, meta: RequestMeta): Promise<PortalComment> {
  const { row, settings } = await findScopedRecord(deps, p, recordId)
  if (!settings.showComments) throw notFound(NOT_FOUND)
  const ws = await findWorkspaceById(deps, p.workspaceId)
  const now = deps.clock()
  const id = randomUUID()
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('comments')
      .values({ id, workspace_id: p.workspaceId, record_id: row.id, author_user_id: null, author_contact_id: p.contactId, body, created_at: now.toISOString() })
      .execute()
    await recordEvent(trx, now, { workspaceId: p.workspaceId, companyId: p.companyId, grantId: p.grantId, contactId: p.contactId, kind: 'commented', detail: row.name, meta })
    await touchCompanies(trx, p.workspaceId, [p.companyId])
    await notifyTeamOfClientComment(deps, trx, { workspaceId: p.workspaceId, recordId: row.id, commentId: id, authorName: p.contactName, body, ws })
  })
  return { id, body, authorName: p.contactName, side: 'client', createdAt: now.toISOString() }
}

/**
 * A client's upload into the staff's own storage, under /{root}/{record}/client-uploads. Only when the
 * type allows uploads and shows files and the grant has a root folder; checked by name, then by content
 * and size while streaming. A rejected or interrupted upload leaves no file and no row.
 */
export async function uploadClientFile(
  deps: Deps,
  p: ClientPrincipal,
  recordId: string,
  upload: { filename: string; stream: Readable },
  meta: RequestMeta,
): Promise<PortalFile> {
  const { row, settings } = await findScopedRecord(deps, p, recordId)
  if (!settings.allowUploads || !settings.showFiles || !p.uploadsFolder) {
    upload.stream.resume()
    throw new AppError('FORBIDDEN', 'Uploads are not enabled for this record')
  }
  let rule
  try {
    rule = checkUploadName(upload.filename)
  } catch (err) {
    upload.stream.resume()
    throw err
  }
  const storage = await storageFor(deps, p.workspaceId)
  const folder = await storage.ensureUploadFolder(p.uploadsFolder, row.name)
  const stored = await storage.putInFolder(folder, upload.filename, guardUpload(upload.stream, rule, { maxBytes: MAX_UPLOAD_BYTES }), MAX_UPLOAD_BYTES)
  const ws = await findWorkspaceById(deps, p.workspaceId)
  const now = deps.clock()
  const id = randomUUID()
  const name = stored.name
  try {
    await deps.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('files')
        .values({
          id,
          workspace_id: p.workspaceId,
          record_id: row.id,
          name,
          size: stored.size,
          content_type: rule.contentType,
          storage_provider: storage.provider,
          storage_key: stored.key,
          source: 'client',
          uploaded_by_user_id: null,
          uploaded_by_contact_id: p.contactId,
          created_at: now.toISOString(),
        })
        .execute()
      await recordEvent(trx, now, { workspaceId: p.workspaceId, companyId: p.companyId, grantId: p.grantId, contactId: p.contactId, kind: 'uploaded', detail: name, meta })
      await touchCompanies(trx, p.workspaceId, [p.companyId])
      await notifyTeamOfClientUpload(deps, trx, { workspaceId: p.workspaceId, recordId: row.id, fileId: id, fileName: name, authorName: p.contactName, ws })
    })
  } catch (err) {
    await deleteStoredFile(deps, p.workspaceId, { storage_provider: storage.provider, storage_key: stored.key }).catch(() => undefined)
    throw err
  }
  return { id, name, size: stored.size, createdAt: now.toISOString(), source: 'client', uploadedBy: p.contactName }
}

