// Server-rendered pages of the link flow. They work without script; a small same-origin script
// (no inline JS, the CSP forbids it) submits the Continue form automatically.
import { escapeHtml } from '../email/layout.js'

export interface PageBrand {
  name: string
  logoUrl: string | null
  brandColor: string
}

function page(brand: PageBrand, title: string, body: string): string {
  const color = /^#[0-9a-fA-F]{6}$/.test(brand.brandColor) ? brand.brandColor : '#4f46e5'
  const logo = brand.logoUrl ? `<img src="${escapeHtml(brand.logoUrl)}" alt="" width="40" height="40">` : ''
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)} · ${escapeHtml(brand.name)}</title>
<style>
:root{--brand:${color}}*{box-sizing:border-box}body{margin:0;min-height:100vh;display:grid;place-items:center;background:#f5f6f8;font:16px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1d2129}
main{background:#fff;max-width:440px;width:calc(100% - 32px);padding:32px;border-radius:12px;border-top:4px solid var(--brand);box-shadow:0 1px 3px rgba(0,0,0,.08)}
header{display:flex;gap:12px;align-items:center;font-weight:600;margin-bottom:16px}img{border-radius:8px}h1{font-size:1.35rem;margin:0 0 8px}
button{font:inherit;background:var(--brand);color:#fff;border:0;border-radius:8px;padding:12px 20px;min-height:44px;cursor:pointer;width:100%}p{color:#444}
</style></head><body><main><header>${logo}<span>${escapeHtml(brand.name)}</span></header>${body}</main></body></html>`
}

export function continuePage(brand: PageBrand, token: string): string {
  return page(
    brand,
    'Open your portal',
    `<h1>Opening your portal…</h1><p>Press Continue if nothing happens.</p>
<form method="post" action="/portal/session" id="exchange"><input type="hidden" name="token" value="${escapeHtml(token)}"><button type="submit">Continue</button></form>
<script src="/portal/link.js"></script>`,
  )
}

export function invalidLinkPage(brand: PageBrand): string {
  return page(
    brand,
    'Link no longer valid',
    `<h1>This link is no longer valid</h1><p>Portal links can expire, be replaced by a newer link, or be switched off.</p>
<p>Ask your contact at ${escapeHtml(brand.name)} to share the portal with you again; you will get a fresh link by email.</p>`,
  )
}

/** Submits the Continue form once; served as a file because the CSP allows only same-origin scripts. */
export const LINK_SCRIPT = `document.getElementById('exchange')?.requestSubmit();\n`

export function confirmPage(brand: PageBrand, token: string): string {
  return page(
    brand,
    'Confirm your updates',
    `<h1>Confirm your email updates</h1><p>Press the button to start receiving the updates you asked for.</p>
<form method="post" action="/portal/confirm"><input type="hidden" name="token" value="${escapeHtml(token)}"><button type="submit">Confirm my subscription</button></form>`,
  )
}

export function messagePage(brand: PageBrand, title: string, text: string): string {
  return page(brand, title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>`)
}

export function invalidTokenPage(brand: PageBrand): string {
  return messagePage(brand, 'This link is no longer valid', `This link has expired or was already used. Ask your contact at ${brand.name} if you need help.`)
}

export function unsubscribePage(brand: PageBrand, token: string, state: { subscribed: boolean; companyName: string }): string {
  const form = (action: string, label: string) =>
    `<form method="post" action="/portal/unsubscribe/${escapeHtml(token)}"><input type="hidden" name="action" value="${action}"><button type="submit">${label}</button></form>`
  return page(
    brand,
    state.subscribed ? 'Unsubscribe' : 'Unsubscribed',
    state.subscribed
      ? `<h1>Stop ${escapeHtml(state.companyName)} portal emails?</h1><p>You will no longer get status or reply emails from ${escapeHtml(brand.name)}. You can re-subscribe from here at any time.</p>${form('unsubscribe', 'Unsubscribe from all portal emails')}`
      : `<h1>You are unsubscribed</h1><p>${escapeHtml(brand.name)} will not email you about ${escapeHtml(state.companyName)} updates. Changed your mind?</p>${form('resubscribe', 'Re-subscribe')}`,
  )
}
