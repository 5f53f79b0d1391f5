// Splits comment text into plain text and http(s) links, so links can be clickable without ever
// treating the text as HTML. Only http: and https: URLs that parse become links; anything else
// (javascript:, data:, mailto:, a bare "www.") stays text.

export type Part = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string }

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/gi
/** Punctuation that usually ends a sentence rather than a URL ("see https://x.com/a." → no dot). */
const TRAILING = new Set(['.', ',', ';', ':', '!', '?', "'", '"', ')', ']', '}', '>'])

export function linkify(text: string): Part[] {
  const parts: Part[] = []
  let last = 0
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index
    const candidate = trimTrailing(match[0])
    const href = safeHref(candidate)
    if (!href) continue
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) })
    parts.push({ kind: 'link', text: candidate, href })
    last = start + candidate.length
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) })
  return parts
}

/** Drops trailing punctuation, but keeps a ")" that closes a "(" of the URL itself (Wikipedia-style). */
function trimTrailing(url: string): string {
  let out = url
  while (out.length > 0 && TRAILING.has(out[out.length - 1]!)) {
    if (out.endsWith(')') && count(out, '(') >= count(out, ')')) break
    out = out.slice(0, -1)
  }
  return out
}

function count(s: string, ch: string): number {
  let n = 0
  for (const c of s) if (c === ch) n++
  return n
}

function safeHref(candidate: string): string | undefined {
  try {
    const url = new URL(candidate)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
    if (!url.hostname) return undefined
    return url.href
  } catch {
    return undefined
  }
}
