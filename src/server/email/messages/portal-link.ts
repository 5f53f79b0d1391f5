// The magic-link email: transactional, no marketing, says who sent it and what to do if unexpected.
import type { EmailContent } from '../layout.js'

export function portalLinkEmail(p: { workspaceName: string; companyName: string; sharedBy: string; url: string; expiresAt: Date | null; reshare: boolean }): EmailContent {
  const expiry = p.expiresAt
    ? `The link works every time you open it until ${p.expiresAt.toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' })}.`
    : 'The link works every time you open it; it does not expire.'
  return {
    subject: `${p.sharedBy} shared the ${p.companyName} portal with you`,
    paragraphs: [
      p.reshare ? `Here is a fresh link to your ${p.companyName} portal at ${p.workspaceName}. Earlier links no longer work.` : `${p.sharedBy} at ${p.workspaceName} has shared the ${p.companyName} portal with you.`,
      'Open it to see your projects, download files and talk with the team. No password is needed.',
      expiry,
      'Keep this email private: anyone with the link can open your portal. If you did not expect this email, you can ignore it.',
    ],
    action: { label: 'Open your portal', url: p.url },
    reason: `You receive this email because ${p.sharedBy} at ${p.workspaceName} shared a client portal with this address.`,
  }
}

export function linkExpiryReminderEmail(p: { companyName: string; contactName: string; expiresAt: Date; reshareUrl: string }): EmailContent {
  return {
    subject: `${p.contactName}'s ${p.companyName} portal link expires in a week`,
    paragraphs: [
      `The portal link you shared with ${p.contactName} (${p.companyName}) expires on ${p.expiresAt.toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' })}.`,
      'Re-share it to send them a fresh link; their open sessions keep working.',
    ],
    action: { label: 'Re-share the portal', url: p.reshareUrl },
    reason: 'You receive this email because you shared this client portal.',
  }
}
