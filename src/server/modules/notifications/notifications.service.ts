// Who hears about what. Team → client emails use the portal's own view of the record (scope.ts), so an
// email never shows what the portal would not. Several changes to one record within BATCH_MS go out as
// one email; every email has an idempotency key per notification and recipient.
import { randomUUID } from 'node:crypto'
import { STATUS_LABELS, type RecordStatus } from '../../../shared/contracts/common.js'
import type { Deps } from '../../deps.js'
import { queueEmail } from '../../email/outbox.js'
import { clientCommentEmail, clientUploadEmail, recordUpdateEmail, staffReplyEmail } from '../../email/messages/notifications.js'
import { enqueueJob, type Executor } from '../../jobs/outbox.js'
import { confirmedSubscribers, unsubscribeUrl } from '../../portal/notifications/subscriptions.service.js'
import { getRecord as getPortalRecord } from '../../portal/scope.js'
import { listPortalSettings } from '../../portal/settings.service.js'
import { brandOf, customerSender, findWorkspaceById } from '../workspace/workspace.service.js'
import * as q from './notifications.queries.js'

export const BATCH_MS = 2 * 60_000

export interface RecordChange {
  kind: 'stage' | 'status'
  from: string | null
  to: string | null
}

/** Called in the transaction that changed a record's stage or status. */
export async function recordChanged(trx: Executor, now: Date, workspaceId: string, recordId: string, changes: RecordChange[], batchMs = BATCH_MS): Promise<void> {
  if (changes.length === 0) return
  const at = now.toISOString()
  await q.insertChanges(
    trx,
    changes.map((c) => ({ id: randomUUID(), workspace_id: workspaceId, record_id: recordId, kind: c.kind, from_value: c.from, to_value: c.to, created_at: at, notified_at: null })),
  )
  const payload = JSON.stringify({ recordId, workspaceId })
  if (!(await q.hasPendingJob(trx, payload))) {
    await enqueueJob(trx, now, { kind: 'notify.record-updates', payload: { recordId, workspaceId }, workspaceId, runAt: new Date(now.getTime() + batchMs) })
  }
}

/** The batched job: one email per confirmed subscriber for all changes since the last one. */
export async function sendRecordUpdates(deps: Deps, payload: { recordId: string; workspaceId?: string }): Promise<void> {
  const changes = await q.pendingChanges(deps.db, payload.recordId)
  if (changes.length === 0) return
  const now = deps.clock()
  const basics = payload.workspaceId ? await q.recordBasics(deps.db, payload.workspaceId, payload.recordId) : undefined
  const done = () => q.markNotified(deps.db, changes.map((c) => c.id), now.toISOString())
  if (!basics || !payload.workspaceId) return void (await done())
  const workspaceId = payload.workspaceId
  // What the client's portal shows of this record; not shared → nothing to tell.
  const view = await getPortalRecord(deps, { kind: 'preview', workspaceId, companyId: basics.company_id, staffUserId: '', viewVersion: '' }, basics.id).catch(() => undefined)
  const lines: string[] = []
  if (view?.stage && changes.some((c) => c.kind === 'stage')) lines.push(`Moved to ${view.stage.name}`)
  if (view?.status && changes.some((c) => c.kind === 'status')) lines.push(`Status is now ${STATUS_LABELS[view.status as RecordStatus]}`)
  const subscribers = lines.length ? await confirmedSubscribers(deps, workspaceId, basics.company_id, 'status_changes') : []
  const ws = await findWorkspaceById(deps, workspaceId)
  await deps.db.transaction().execute(async (trx) => {
    for (const s of subscribers) {
      const unsubscribe = await unsubscribeUrl(deps, trx, s.id)
      await queueEmail(trx, now, {
        workspaceId,
        to: s.email,
        ...customerSender(ws, deps.config.mailFrom),
        headers: listHeaders(unsubscribe, 'status', ws.slug),
        idempotencyKey: `record-update:${changes[0]!.id}:${s.id}`,
        content: recordUpdateEmail({
          companyName: basics.company_name,
          recordName: view!.name,
          typeSingular: view!.type.singular,
          lines,
          url: `${deps.config.baseUrl}/portal/records/${basics.id}`,
          unsubscribeUrl: unsubscribe,
          workspaceName: ws.name,
        }),
      })
    }
    await q.markNotified(trx, changes.map((c) => c.id), now.toISOString())
  })
}

/** RFC 8058 one-click unsubscribe, plus a List-Id per notification type. */
export const listHeaders = (unsubscribe: string, list: string, slug: string): Record<string, string> => ({
  'List-Unsubscribe': `<${unsubscribe}>`,
  'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  'List-Id': `<${list}.${slug}.coeffection>`,
})

/** A client posted a comment: the record's owner and watchers hear about it (the author is a client, never among them). */
export async function notifyTeamOfClientComment(
  deps: Deps,
  trx: Executor,
  c: { workspaceId: string; recordId: string; commentId: string; authorName: string; body: string; ws: Awaited<ReturnType<typeof findWorkspaceById>> },
) {
  const basics = await q.recordBasics(trx, c.workspaceId, c.recordId)
  if (!basics) return
  for (const u of await q.ownerAndWatchers(trx, c.workspaceId, c.recordId)) {
    await queueEmail(trx, deps.clock(), {
      workspaceId: c.workspaceId,
      to: u.email,
      from: `"Coeffection" <${deps.config.mailFrom}>`,
      idempotencyKey: `client-comment:${c.commentId}:${u.id}`,
      brand: brandOf(c.ws),
      content: clientCommentEmail({ companyName: basics.company_name, recordName: basics.name, authorName: c.authorName, body: c.body, url: `${deps.config.baseUrl}/app/records/${c.recordId}` }),
    })
  }
}

/** A client uploaded a file: the record's owner and watchers hear about it. */
export async function notifyTeamOfClientUpload(
  deps: Deps,
  trx: Executor,
  u: { workspaceId: string; recordId: string; fileId: string; fileName: string; authorName: string; ws: Awaited<ReturnType<typeof findWorkspaceById>> },
) {
  const basics = await q.recordBasics(trx, u.workspaceId, u.recordId)
  if (!basics) return
  for (const user of await q.ownerAndWatchers(trx, u.workspaceId, u.recordId)) {
    await queueEmail(trx, deps.clock(), {
      workspaceId: u.workspaceId,
      to: user.email,
      from: `"Coeffection" <${deps.config.mailFrom}>`,
      idempotencyKey: `client-upload:${u.fileId}:${user.id}`,
      brand: brandOf(u.ws),
      content: clientUploadEmail({ companyName: basics.company_name, recordName: basics.name, authorName: u.authorName, fileName: u.fileName, url: `${deps.config.baseUrl}/app/records/${u.recordId}` }),
    })
  }
}

/** Called in the transaction that stored a staff comment; the job below does the fan-out. */
export const staffCommented = (trx: Executor, now: Date, workspaceId: string, commentId: string) =>
  enqueueJob(trx, now, { kind: 'notify.staff-reply', payload: { workspaceId, commentId }, workspaceId, idempotencyKey: `staff-reply:${commentId}` })

/** Staff replied on a thread: opted-in clients hear about it when the type's "Email client on staff reply" is on. */
export async function notifyClientsOfStaffReply(deps: Deps, payload: { workspaceId: string; commentId: string }): Promise<void> {
  const comment = await q.staffComment(deps.db, payload.workspaceId, payload.commentId)
  if (!comment) return
  const c = { workspaceId: payload.workspaceId, recordId: comment.record_id, commentId: comment.id, authorName: comment.author_name ?? 'The team', body: comment.body }
  const basics = await q.recordBasics(deps.db, c.workspaceId, c.recordId)
  if (!basics) return
  const settings = (await listPortalSettings(deps.db, c.workspaceId)).find((s) => s.typeId === basics.record_type_id)
  if (!settings?.shareable || !settings.showComments || !settings.emailOnStaffReply) return
  const subscribers = await confirmedSubscribers(deps, c.workspaceId, basics.company_id, 'comment_replies')
  if (subscribers.length === 0) return
  const ws = await findWorkspaceById(deps, c.workspaceId)
  const now = deps.clock()
  await deps.db.transaction().execute(async (trx) => {
    for (const s of subscribers) {
      const unsubscribe = await unsubscribeUrl(deps, trx, s.id)
      await queueEmail(trx, now, {
        workspaceId: c.workspaceId,
        to: s.email,
        ...customerSender(ws, deps.config.mailFrom),
        headers: listHeaders(unsubscribe, 'replies', ws.slug),
        idempotencyKey: `staff-reply:${c.commentId}:${s.id}`,
        content: staffReplyEmail({
          companyName: basics.company_name,
          recordName: basics.name,
          authorName: c.authorName,
          body: c.body,
          url: `${deps.config.baseUrl}/portal/records/${basics.id}`,
          unsubscribeUrl: unsubscribe,
          workspaceName: ws.name,
        }),
      })
    }
  })
}
