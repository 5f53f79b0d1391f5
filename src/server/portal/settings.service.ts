// Admin → Settings → Portal: which record types and fields the portal can ever expose. Opt-in everywhere:
// a type is shared only when switched on (Projects by default), a field only when checked.
import type { PortalTypeSettings, UpdatePortalTypeSettings } from '../../shared/contracts/portal-admin.js'
import type { RecordType } from '../../shared/contracts/staff.js'
import type { Deps } from '../deps.js'
import { AppError, notFound } from '../errors.js'
import type { Executor } from '../jobs/outbox.js'
import { listRecordTypes } from '../modules/record-types/record-types.service.js'
import { requireAdmin, type StaffPrincipal } from '../staff/principal.js'
import { touchWorkspace } from '../db/versions.js'
import * as q from './settings.queries.js'

/** Defaults for a type nobody has configured yet. */
export const defaultsFor = (type: Pick<RecordType, 'key'>) => ({
  shareable: type.key === 'projects',
  showStatus: false,
  showFiles: true,
  showComments: true,
  allowUploads: false,
  emailOnStaffReply: false,
})

export async function listPortalSettings(db: Executor, workspaceId: string): Promise<(PortalTypeSettings & { type: RecordType })[]> {
  const [types, settings, visible] = await Promise.all([listRecordTypes(db, workspaceId), q.listTypeSettings(db, workspaceId), q.listVisibleFieldIds(db, workspaceId)])
  const visibleIds = new Set(visible.map((v) => v.field_id))
  return types.map((type) => {
    const row = settings.find((s) => s.record_type_id === type.id)
    const flags = row
      ? {
          shareable: Boolean(row.shareable),
          showStatus: Boolean(row.show_status),
          showFiles: Boolean(row.show_files),
          showComments: Boolean(row.show_comments),
          allowUploads: Boolean(row.allow_uploads),
          emailOnStaffReply: Boolean(row.email_on_staff_reply),
        }
      : defaultsFor(type)
    return {
      type,
      typeId: type.id,
      key: type.key,
      singular: type.singular,
      plural: type.plural,
      hasPipeline: type.hasPipeline,
      ...flags,
      fields: type.fields.map((f) => ({ id: f.id, key: f.key, label: f.label, kind: f.kind, visible: visibleIds.has(f.id) })),
    }
  })
}

export const getPortalSettings = async (deps: Deps, staff: StaffPrincipal): Promise<PortalTypeSettings[]> =>
  (await listPortalSettings(deps.db, staff.workspaceId)).map(({ type: _type, ...rest }) => rest)

export async function updatePortalTypeSettings(deps: Deps, staff: StaffPrincipal, typeId: string, input: UpdatePortalTypeSettings): Promise<PortalTypeSettings> {
  requireAdmin(staff)
  const current = (await listPortalSettings(deps.db, staff.workspaceId)).find((s) => s.typeId === typeId)
  if (!current) throw notFound('Record type not found')
  if (input.visibleFieldIds) {
    const known = new Set(current.fields.map((f) => f.id))
    const stray = input.visibleFieldIds.find((id) => !known.has(id))
    if (stray) throw new AppError('VALIDATION', `visibleFieldIds: ${stray} is not a field of ${current.plural}`, 'visibleFieldIds')
  }
  const next = { ...current, ...input }
  await deps.db.transaction().execute(async (trx) => {
    await q.upsertTypeSettings(trx, {
      record_type_id: typeId,
      workspace_id: staff.workspaceId,
      shareable: next.shareable ? 1 : 0,
      show_status: next.showStatus ? 1 : 0,
      show_files: next.showFiles ? 1 : 0,
      show_comments: next.showComments ? 1 : 0,
      allow_uploads: next.allowUploads ? 1 : 0,
      email_on_staff_reply: next.emailOnStaffReply ? 1 : 0,
    })
    if (input.visibleFieldIds) await q.replaceVisibleFields(trx, staff.workspaceId, typeId, [...new Set(input.visibleFieldIds)])
    await touchWorkspace(trx, staff.workspaceId)
  })
  return (await getPortalSettings(deps, staff)).find((s) => s.typeId === typeId)!
}
