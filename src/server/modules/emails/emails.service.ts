import type { EmailDetail, EmailSummary } from '../../../shared/contracts/staff.js'
import type { Deps } from '../../deps.js'
import { notFound } from '../../errors.js'
import type { StaffPrincipal } from '../../staff/principal.js'
import * as q from './emails.queries.js'

type Row = Awaited<ReturnType<typeof q.listEmails>>[number]
const toSummary = (r: Row): EmailSummary => ({
  id: r.id,
  to: r.to_address,
  subject: r.subject,
  status: r.status,
  attempts: r.attempts,
  lastError: r.last_error,
  createdAt: r.created_at,
  sentAt: r.sent_at,
})

export const listEmails = async (deps: Deps, staff: StaffPrincipal) => (await q.listEmails(deps.db, staff.workspaceId)).map(toSummary)

export async function getEmail(deps: Deps, staff: StaffPrincipal, id: string): Promise<EmailDetail> {
  const r = await q.findEmail(deps.db, staff.workspaceId, id)
  if (!r) throw notFound('Email not found')
  return {
    ...toSummary(r),
    from: r.from_address,
    replyTo: r.reply_to,
    text: r.text_body,
    html: r.html_body,
    links: [...new Set(r.text_body.match(/https?:\/\/[^\s<>"]+/g) ?? [])],
  }
}
