// Settings → Notifications: every customer-facing email rendered with the workspace's current settings.
import type { EmailPreview, Workspace } from '../../../shared/contracts/staff.js'
import { renderEmail, type EmailContent } from '../../email/layout.js'
import { portalLinkEmail } from '../../email/messages/portal-link.js'
import { confirmSubscriptionEmail, recordUpdateEmail, staffReplyEmail } from '../../email/messages/notifications.js'
import { brandOf } from '../workspace/workspace.service.js'

export function emailPreviews(ws: Workspace, baseUrl: string, staffName: string): EmailPreview[] {
  const sample = { companyName: 'Acme Co', workspaceName: ws.name, url: `${baseUrl}/portal`, unsubscribeUrl: `${baseUrl}/portal/unsubscribe/…` }
  const list: [string, string, EmailContent][] = [
    ['portal-link', 'Magic link', portalLinkEmail({ ...sample, sharedBy: staffName, expiresAt: new Date(Date.now() + 30 * 86_400_000), reshare: false })],
    ['confirm', 'Confirm subscription', confirmSubscriptionEmail({ ...sample, topics: ['project status changes', 'replies to comments'] })],
    ['record-update', 'Status change', recordUpdateEmail({ ...sample, recordName: 'Website redesign', typeSingular: 'Project', lines: ['Moved to Build', 'Status is now On track'] })],
    ['staff-reply', 'Staff reply', staffReplyEmail({ ...sample, recordName: 'Website redesign', authorName: staffName, body: 'Thanks — the new timeline is attached.' })],
  ]
  return list.map(([kind, label, content]) => ({ kind, label, ...renderEmail(brandOf(ws), content) }))
}
