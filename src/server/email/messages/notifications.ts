// Customer-facing and team notification emails: (data) => content. Only portal-visible data goes in.
import type { EmailContent } from '../layout.js'

export function recordUpdateEmail(p: { companyName: string; recordName: string; typeSingular: string; lines: string[]; url: string; unsubscribeUrl: string; workspaceName: string }): EmailContent {
  return {
    subject: `${p.recordName}: ${p.lines[0] ?? 'updated'}`,
    paragraphs: [`There is news on ${p.typeSingular.toLowerCase()} “${p.recordName}” for ${p.companyName}:`, ...p.lines.map((l) => `• ${l}`)],
    action: { label: `Open ${p.recordName}`, url: p.url },
    reason: `You receive this email because you asked ${p.workspaceName} to email you about ${p.companyName} status changes.`,
    footerLinks: [{ label: 'Unsubscribe or change your email preferences', url: p.unsubscribeUrl }],
  }
}

export function staffReplyEmail(p: { companyName: string; recordName: string; authorName: string; body: string; url: string; unsubscribeUrl: string; workspaceName: string }): EmailContent {
  return {
    subject: `${p.authorName} replied on ${p.recordName}`,
    paragraphs: [`${p.authorName} (${p.workspaceName}) wrote on “${p.recordName}”:`, p.body],
    action: { label: 'Reply in your portal', url: p.url },
    reason: `You receive this email because you asked ${p.workspaceName} to email you about replies to ${p.companyName} comments.`,
    footerLinks: [{ label: 'Unsubscribe or change your email preferences', url: p.unsubscribeUrl }],
  }
}

export function clientCommentEmail(p: { companyName: string; recordName: string; authorName: string; body: string; url: string }): EmailContent {
  return {
    subject: `${p.authorName} (${p.companyName}) commented on ${p.recordName}`,
    paragraphs: [`${p.authorName} from ${p.companyName} wrote on “${p.recordName}” in the client portal:`, p.body],
    action: { label: 'Open the record', url: p.url },
    reason: 'You receive this email because you own or watch this record.',
  }
}

export function clientUploadEmail(p: { companyName: string; recordName: string; authorName: string; fileName: string; url: string }): EmailContent {
  return {
    subject: `${p.authorName} (${p.companyName}) uploaded ${p.fileName}`,
    paragraphs: [`${p.authorName} from ${p.companyName} uploaded “${p.fileName}” to “${p.recordName}” in the client portal.`],
    action: { label: 'Open the record', url: p.url },
    reason: 'You receive this email because you own or watch this record.',
  }
}

export function confirmSubscriptionEmail(p: { companyName: string; workspaceName: string; topics: string[]; url: string }): EmailContent {
  return {
    subject: `Confirm your ${p.companyName} portal updates`,
    paragraphs: [
      `You asked ${p.workspaceName} to email you about ${p.topics.join(' and ')} in the ${p.companyName} portal.`,
      'Please confirm to start receiving them. If you did not ask for this, ignore this email and nothing will be sent.',
    ],
    action: { label: 'Confirm my subscription', url: p.url },
    reason: `You receive this one email because someone asked for ${p.companyName} portal updates at this address.`,
  }
}
