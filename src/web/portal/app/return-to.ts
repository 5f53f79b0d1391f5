// Deep links survive signing in: a record opened without a session is remembered for a short while,
// and the home page the magic link lands on forwards to it once. Only portal record paths qualify.
const KEY = 'coeffection.portal.returnTo'
const MAX_AGE_MS = 30 * 60 * 1000
const RECORD_PATH = /^\/records\/[0-9a-f-]{36}$/i

export function rememberReturnTo(path: string): void {
  if (!RECORD_PATH.test(path)) return
  try {
    localStorage.setItem(KEY, JSON.stringify({ path, at: Date.now() }))
  } catch {
    // storage unavailable: the client simply lands on home
  }
}

/** The remembered path, at most once and only while fresh. */
export function takeReturnTo(): string | undefined {
  try {
    const raw = localStorage.getItem(KEY)
    if (!raw) return undefined
    localStorage.removeItem(KEY)
    const { path, at } = JSON.parse(raw) as { path?: unknown; at?: unknown }
    if (typeof path !== 'string' || !RECORD_PATH.test(path) || typeof at !== 'number') return undefined
    return Date.now() - at <= MAX_AGE_MS ? path : undefined
  } catch {
    return undefined
  }
}
