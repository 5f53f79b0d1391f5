// A staff member talking to /api/v1 directly (fetch with the staff cookie), for end-to-end tests that
// set things up or read the truth behind what a page shows.
export type StaffApi = {
  get: <T>(path: string) => Promise<T>
  post: <T>(path: string, body: unknown) => Promise<T>
  patch: <T>(path: string, body: unknown) => Promise<T>
  /** The raw bytes of a GET (e.g. a file download). */
  bytes: (path: string) => Promise<Buffer>
  /** name=value pairs, for a browser context that should be this staff member. */
  cookies: { name: string; value: string }[]
}

export async function staffApi(baseUrl: string, email: string, password: string): Promise<StaffApi> {
  const signIn = await fetch(`${baseUrl}/api/v1/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ email, password }),
  })
  if (!signIn.ok) throw new Error(`staff sign-in failed: ${signIn.status} ${await signIn.text()}`)
  const cookies = signIn.headers.getSetCookie().map((c) => {
    const pair = c.split(';')[0]!
    const eq = pair.indexOf('=')
    return { name: pair.slice(0, eq), value: pair.slice(eq + 1) }
  })
  const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ')

  async function send(method: string, path: string, body?: unknown): Promise<Response> {
    const res = await fetch(baseUrl + path, {
      method,
      headers: { cookie, origin: baseUrl, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`)
    return res
  }
  const json = async <T>(res: Promise<Response>) => (await (await res).json()) as T
  return {
    get: (path) => json(send('GET', path)),
    post: (path, body) => json(send('POST', path, body)),
    patch: (path, body) => json(send('PATCH', path, body)),
    bytes: async (path) => Buffer.from(await (await send('GET', path)).arrayBuffer()),
    cookies,
  }
}

type EmailSummary = { id: string; to: string; subject: string; createdAt: string }

/** The newest portal magic link emailed to `to` that is not in `seen` (ids of emails already read). */
export async function waitForMagicLink(api: StaffApi, to: string, seen: Set<string> = new Set(), timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const emails = await api.get<EmailSummary[]>('/api/v1/emails')
    const fresh = emails.filter((e) => e.to === to && !seen.has(e.id)).sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    for (const email of fresh) {
      const detail = await api.get<{ links: string[] }>(`/api/v1/emails/${email.id}`)
      const link = detail.links.find((l) => l.includes('/portal/l/'))
      seen.add(email.id)
      if (link) return link
    }
    if (Date.now() > deadline) throw new Error(`no portal link emailed to ${to} within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 200))
  }
}
