import { randomUUID } from 'node:crypto'
import type { Comment } from '../../../shared/contracts/staff.js'
import type { Deps } from '../../deps.js'
import type { StaffPrincipal } from '../../staff/principal.js'
import { getRecordRow } from '../records/records.service.js'
import { staffCommented } from '../notifications/notifications.service.js'
import { touchCompanies } from '../../db/versions.js'
import * as q from './comments.queries.js'

type Row = Awaited<ReturnType<typeof q.listComments>>[number]
export const toComment = (r: Row): Comment => ({
  id: r.id,
  body: r.body,
  authorName: (r.author_contact_id ? r.contact_name : r.user_name) ?? (r.author_contact_id ? 'Client' : 'Former team member'),
  side: r.author_user_id ? 'team' : 'client',
  createdAt: r.created_at,
})

export async function listComments(deps: Deps, staff: StaffPrincipal, recordId: string): Promise<Comment[]> {
  await getRecordRow(deps, staff.workspaceId, recordId)
  return (await q.listComments(deps.db, staff.workspaceId, recordId)).map(toComment)
}

export async function postStaffComment(deps: Deps, staff: StaffPrincipal, recordId: string, body: string): Promise<Comment> {
  const record = await getRecordRow(deps, staff.workspaceId, recordId)
  const id = randomUUID()
  const now = deps.clock()
  await deps.db.transaction().execute(async (trx) => {
    await q.insertComment(trx, {
      id,
      workspace_id: staff.workspaceId,
      record_id: recordId,
      author_user_id: staff.userId,
      author_contact_id: null,
      body,
      created_at: now.toISOString(),
    })
    await staffCommented(trx, now, staff.workspaceId, id)
    await touchCompanies(trx, staff.workspaceId, [record.company_id])
  })
  return (await listComments(deps, staff, recordId)).find((c) => c.id === id)!
}
