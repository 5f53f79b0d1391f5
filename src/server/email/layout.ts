// The branded layout every email shares: logo and name on top, postal address and reason in the footer.
export interface Brand {
  name: string
  logoUrl: string | null
  brandColor: string
  postalAddress: string
  /** Optional extra footer text set in Settings → Notifications. */
  footer?: string | null
}

export interface EmailContent {
  subject: string
  /** Paragraphs of plain text; each is escaped into the HTML part. */
  paragraphs: string[]
  action?: { label: string; url: string }
  /** Why the recipient gets this email (CAN-SPAM); shown in the footer. */
  reason: string
  /** Extra footer lines, e.g. an unsubscribe link. */
  footerLinks?: { label: string; url: string }[]
}

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

export function renderEmail(brand: Brand, content: EmailContent): { subject: string; text: string; html: string } {
  const color = /^#[0-9a-fA-F]{6}$/.test(brand.brandColor) ? brand.brandColor : '#1a73e8'
  const logo =
    brand.logoUrl && brand.logoUrl.startsWith('https://')
      ? `<img src="${escapeHtml(brand.logoUrl)}" alt="${escapeHtml(brand.name)}" height="32" style="vertical-align:middle;margin-right:8px">`
      : ''
  const paragraphs = content.paragraphs
    .map((p) => `<p style="margin:0 0 16px;line-height:1.5">${escapeHtml(p).replaceAll('\n', '<br>')}</p>`)
    .join('')
  const action = content.action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(content.action.url)}" style="background:${color};color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(content.action.label)}</a></p>`
    : ''
  const footerLinks = (content.footerLinks ?? [])
    .map((l) => `<a href="${escapeHtml(l.url)}" style="color:#555">${escapeHtml(l.label)}</a>`)
    .join(' · ')
  const html = `<!doctype html><html><body style="margin:0;background:#f5f6f8;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1d2129">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center" style="padding:24px">
<table role="presentation" width="100%" style="max-width:560px;background:#fff;border-radius:8px;border-top:4px solid ${color}" cellpadding="0" cellspacing="0">
<tr><td style="padding:20px 28px;font-weight:600;font-size:18px">${logo}${escapeHtml(brand.name)}</td></tr>
<tr><td style="padding:0 28px 12px">${paragraphs}${action}</td></tr>
<tr><td style="padding:16px 28px;border-top:1px solid #eee;font-size:12px;color:#666;line-height:1.5">
${brand.footer ? `${escapeHtml(brand.footer)}<br>` : ''}${escapeHtml(content.reason)}<br>${escapeHtml(brand.name)} · ${escapeHtml(brand.postalAddress).replaceAll('\n', ', ')}${footerLinks ? `<br>${footerLinks}` : ''}
</td></tr></table></td></tr></table></body></html>`
  const text = [
    brand.name,
    '',
    ...content.paragraphs.flatMap((p) => [p, '']),
    ...(content.action ? [`${content.action.label}: ${content.action.url}`, ''] : []),
    '--',
    ...(brand.footer ? [brand.footer] : []),
    content.reason,
    `${brand.name} · ${brand.postalAddress.replaceAll('\n', ', ')}`,
    ...(content.footerLinks ?? []).map((l) => `${l.label}: ${l.url}`),
  ].join('\n')
  return { subject: content.subject, text, html }
}
