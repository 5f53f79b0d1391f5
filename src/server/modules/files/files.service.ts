import { randomUUID } from 'node:crypto'
import type { Readable } from 'node:stream'
import type { FileInfo } from '../../../shared/contracts/staff.js'
import type { Deps } from '../../deps.js'
import { AppError, notFound } from '../../errors.js'
import { safeName } from '../../storage/file-store.js'
import { deleteStoredFile, openStoredFile, type StoredFile } from '../../storage/workspace-storage.js'
import type { StaffPrincipal } from '../../staff/principal.js'
import { getRecordRow } from '../records/records.service.js'
import { touchCompanies } from '../../db/versions.js'
import * as q from './files.queries.js'

export const MAX_FILE_BYTES = 50 * 1024 * 1024

type Row = NonNullable<Awaited<ReturnType<typeof q.findFile>>>
export const toFileInfo = (r: Row): FileInfo => ({
  id: r.id,
  name: r.name,
  size: Number(r.size),
  contentType: r.content_type,
  source: r.source,
  uploadedBy: (r.source === 'client' ? r.contact_name : r.user_name) ?? (r.source === 'client' ? 'Client' : 'Team'),
  createdAt: r.created_at,
})

export async function listFiles(deps: Deps, staff: StaffPrincipal, recordId: string): Promise<FileInfo[]> {
  await getRecordRow(deps, staff.workspaceId, recordId)
  return (await q.listFiles(deps.db, staff.workspaceId, recordId)).map(toFileInfo)
}

/** Streams the upload into storage first, then records it; a failed stream leaves neither bytes nor row. */
export async function uploadFile(
  deps: Deps,
  staff: StaffPrincipal,
  recordId: string,
  upload: { filename: string; mimetype: string; stream: Readable },
): Promise<FileInfo> {
  const record = await getRecordRow(deps, staff.workspaceId, recordId)
  const name = safeName(upload.filename)
  const id = randomUUID()
  const key = `${staff.workspaceId}/records/${recordId}/${id}-${name}`
  const { size } = await deps.storage.put(key, upload.stream, { maxBytes: MAX_FILE_BYTES })
  try {
    await deps.db.transaction().execute(async (trx) => {
    await q.insertFile(trx, {
      id,
      workspace_id: staff.workspaceId,
      record_id: recordId,
      name,
      size,
      content_type: /^[\w.+-]+\/[\w.+-]+$/.test(upload.mimetype) ? upload.mimetype : 'application/octet-stream',
      storage_provider: deps.storage.provider,
      storage_key: key,
      source: 'team',
      uploaded_by_user_id: staff.userId,
      uploaded_by_contact_id: null,
      created_at: deps.clock().toISOString(),
    })
    await touchCompanies(trx, staff.workspaceId, [record.company_id])
    })
  } catch (err) {
    await deps.storage.delete(key)
    throw err
  }
  return toFileInfo((await q.findFile(deps.db, staff.workspaceId, id))!)
}

export async function openFile(deps: Deps, staff: StaffPrincipal, id: string): Promise<{ file: FileInfo; stored: StoredFile }> {
  const row = await q.findFile(deps.db, staff.workspaceId, id)
  if (!row) throw notFound('File not found')
  return { file: toFileInfo(row), stored: await openStoredFile(deps, staff.workspaceId, row) }
}

export async function deleteFile(deps: Deps, staff: StaffPrincipal, id: string): Promise<void> {
  const row = await q.findFile(deps.db, staff.workspaceId, id)
  if (!row) throw notFound('File not found')
  const record = await getRecordRow(deps, staff.workspaceId, row.record_id)
  await deps.db.transaction().execute(async (trx) => {
    await q.deleteFile(trx, staff.workspaceId, id)
    await touchCompanies(trx, staff.workspaceId, [record.company_id])
  })
  await deleteStoredFile(deps, staff.workspaceId, row).catch(() => undefined)
}

export function requireFilePart<T>(part: T | undefined): T {
  if (!part) throw new AppError('VALIDATION', 'file: choose a file to upload', 'file')
  return part
}
