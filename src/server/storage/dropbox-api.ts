// Dropbox HTTP API v2 transport: the three route styles, error envelopes, token refresh and retries.
// Contract: /work/shared/dropbox-contract.md §0, §1, §2.3, §8. Tokens never leave this file except in
// the Authorization header: no log line, event or error message carries them.
import { Readable } from 'node:stream'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'

export const DEFAULT_API_URL = 'https://api.dropboxapi.com'
export const DEFAULT_CONTENT_URL = 'https://content.dropboxapi.com'

/**
 * JSON that is safe in an HTTP header: 0x7F and every non-ASCII UTF-16 code unit become `\uXXXX`
 * (astral characters therefore become surrogate pairs). Same regex as the official JS SDK.
 */
export function httpHeaderSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))
}

export interface DropboxErrorInit {
  status: number
  route: string
  tags: string[]
  summary: string
  retryAfter?: number
  correctOffset?: number
  requestId?: string
  error?: unknown
  userMessage?: string
}

/** A non-2xx answer from Dropbox. Branch on `tag` / `pathTag` / `is(...)`, never on `summary`. */
export class DropboxError extends Error {
  readonly status: number
  readonly route: string
  /** Top-level tag: `path`, `incorrect_offset`, `too_many_requests`, …; `bad_request` for 400 text; `server_error` for 5xx. */
  readonly tag: string
  /** The tag under the top one: `path/<pathTag>`, `path.reason/<pathTag>` (upload) or `lookup_failed/<pathTag>`. */
  readonly pathTag: string | undefined
  /** The whole tag chain, e.g. `['path', 'conflict', 'folder']`. */
  readonly tags: readonly string[]
  /** `error_summary` (trailing dots vary) or the 400 plain text, for logs only. */
  readonly summary: string
  /** Seconds to wait, from `retry_after` or the `Retry-After` header (429 / 503). */
  readonly retryAfter: number | undefined
  /** `correct_offset` of an `incorrect_offset` error, wherever it was nested. */
  readonly correctOffset: number | undefined
  readonly requestId: string | undefined
  /** The raw `error` object of the envelope. */
  readonly error: unknown
  readonly userMessage: string | undefined

  constructor(init: DropboxErrorInit) {
    super(`Dropbox ${init.route}: HTTP ${init.status} ${init.summary}`.slice(0, 500))
    this.name = new.target.name
    this.status = init.status
    this.route = init.route
    this.tags = init.tags
    this.tag = init.tags[0] ?? (init.status >= 500 ? 'server_error' : 'unknown')
    this.pathTag = init.tags[1]
    this.summary = init.summary
    this.retryAfter = init.retryAfter
    this.correctOffset = init.correctOffset
    this.requestId = init.requestId
    this.error = init.error
    this.userMessage = init.userMessage
  }

  /** Prefix match on the tag chain: `err.is('path', 'conflict', 'folder')`. */
  is(...tags: string[]): boolean {
    return tags.every((t, i) => this.tags[i] === t)
  }

  /** True when any level of the chain carries `tag` (e.g. `too_many_write_operations`, `insufficient_space`). */
  has(tag: string): boolean {
    return this.tags.includes(tag)
  }
}

/**
 * The connection can no longer act for the user: `invalid_access_token` (revoked, unlinked),
 * `expired_access_token` that could not be refreshed, `missing_scope`, `user_suspended`,
 * or an OAuth `invalid_grant` on refresh. The caller marks the connection broken.
 */
export class DropboxAuthError extends DropboxError {}

export interface DropboxApiEvent {
  route: string
  status: number | 'network_error'
  requestId?: string
  attempt: number
  /** Set when the client is about to wait and retry. */
  retryInMs?: number
  reason?: 'rate_limited' | 'server_error' | 'network_error' | 'write_contention' | 'token_refreshed'
}

export interface DropboxApiOptions {
  apiUrl?: string
  contentUrl?: string
  /** Current access token. Called before every attempt, so a refreshed token is picked up. */
  getAccessToken: () => Promise<string>
  /**
   * Called at most once per call on 401 `expired_access_token`, with the token that was refused;
   * it should refresh what `getAccessToken` returns (and may skip if that token was already replaced).
   * What it throws (e.g. DropboxAuthError for `invalid_grant`) is what the call throws.
   */
  onUnauthorized?: (expiredToken: string) => Promise<void>
  /** Injectable for tests; defaults to setTimeout. */
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  fetch?: typeof fetch
  /** Retries after 429 / `too_many_write_operations`. Default 4. */
  maxRateLimitRetries?: number
  /** Retries after 5xx / network errors, for idempotent calls. Default 4. */
  maxServerErrorRetries?: number
  /** Backoff base and cap for 5xx. Defaults 500 ms and 20 s. */
  backoffBaseMs?: number
  backoffMaxMs?: number
  /** A Retry-After longer than this is not waited out: the DropboxError is thrown at once. Default 60 s. */
  maxRetryAfterSeconds?: number
  /** Per-attempt timeout. Default 120 s. */
  timeoutMs?: number
  /** Observability hook (route, status, request id, retry decisions). Never receives tokens. */
  onEvent?: (event: DropboxApiEvent) => void
}

export interface CallOptions {
  /** Whether a 5xx / network failure may be retried. Default true. */
  idempotent?: boolean
  signal?: AbortSignal
}

export interface DownloadResult<T> {
  result: T
  body: Readable
  status: number
  headers: Headers
}

export interface DropboxApi {
  readonly apiUrl: string
  readonly contentUrl: string
  /** An rpc route on the api host. `arg` undefined/null sends the body `null` (no-argument routes). */
  rpc<T>(route: string, arg?: unknown, options?: CallOptions): Promise<T>
  /** An upload route on the content host: `arg` in `Dropbox-API-Arg`, `body` as octet-stream. */
  upload<T>(route: string, arg: unknown, body: Uint8Array, options?: CallOptions): Promise<T>
  /** A download route on the content host; the body is streamed, the result comes from `Dropbox-API-Result`. */
  download<T>(route: string, arg: unknown, options?: CallOptions & { range?: string }): Promise<DownloadResult<T>>
}

const RETRY_AFTER_DEFAULT_S = 5
const WRITE_CONTENTION_BASE_MS = 1000

export function createDropboxApi(options: DropboxApiOptions): DropboxApi {
  const apiUrl = trimSlash(options.apiUrl ?? DEFAULT_API_URL)
  const contentUrl = trimSlash(options.contentUrl ?? DEFAULT_CONTENT_URL)
  const doFetch = options.fetch ?? globalThis.fetch
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const random = options.random ?? Math.random
  const maxRateLimitRetries = options.maxRateLimitRetries ?? 4
  const maxServerErrorRetries = options.maxServerErrorRetries ?? 4
  const backoffBaseMs = options.backoffBaseMs ?? 500
  const backoffMaxMs = options.backoffMaxMs ?? 20_000
  const maxRetryAfterSeconds = options.maxRetryAfterSeconds ?? 60
  const timeoutMs = options.timeoutMs ?? 120_000
  const emit = (e: DropboxApiEvent) => {
    try {
      options.onEvent?.(e)
    } catch {
      // an observer must not break a call
    }
  }
  /** Jittered exponential backoff in [half, full] of min(cap, base·2^n). */
  const backoff = (base: number, n: number) => {
    const full = Math.min(backoffMaxMs, base * 2 ** n)
    return Math.round(full / 2 + (full / 2) * random())
  }

  async function call(route: string, build: (token: string) => { url: string; init: RequestInit }, opts: CallOptions): Promise<Response> {
    const idempotent = opts.idempotent ?? true
    let refreshed = false
    let rateLimited = 0
    let serverErrors = 0
    for (let attempt = 1; ; attempt++) {
      const token = await options.getAccessToken()
      const { url, init } = build(token)
      const signal = opts.signal ? AbortSignal.any([opts.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs)
      let res: Response
      try {
        res = await doFetch(url, { ...init, method: 'POST', signal })
      } catch (err) {
        if (opts.signal?.aborted || !idempotent || serverErrors >= maxServerErrorRetries) throw err
        const wait = backoff(backoffBaseMs, serverErrors++)
        emit({ route, status: 'network_error', attempt, retryInMs: wait, reason: 'network_error' })
        await sleep(wait)
        continue
      }
      const requestId = res.headers.get('x-dropbox-request-id') ?? undefined
      if (res.ok) {
        emit({ route, status: res.status, requestId, attempt })
        return res
      }
      const err = await parseError(route, res)
      emit({ route, status: res.status, requestId, attempt })

      if (res.status === 401) {
        if (err.tag === 'expired_access_token' && !refreshed && options.onUnauthorized) {
          refreshed = true
          await options.onUnauthorized(token)
          emit({ route, status: 401, requestId, attempt, retryInMs: 0, reason: 'token_refreshed' })
          continue
        }
        throw err
      }
      if (res.status === 429 || (res.status === 409 && err.has('too_many_write_operations'))) {
        if (rateLimited >= maxRateLimitRetries) throw err
        const wait =
          err.retryAfter !== undefined
            ? err.retryAfter * 1000
            : res.status === 429
              ? RETRY_AFTER_DEFAULT_S * 1000
              : backoff(WRITE_CONTENTION_BASE_MS, rateLimited)
        if (wait > maxRetryAfterSeconds * 1000) throw err
        rateLimited++
        emit({ route, status: res.status, requestId, attempt, retryInMs: wait, reason: res.status === 429 ? 'rate_limited' : 'write_contention' })
        await sleep(wait)
        continue
      }
      if (res.status >= 500 && idempotent && serverErrors < maxServerErrorRetries) {
        let wait = backoff(backoffBaseMs, serverErrors++)
        if (err.retryAfter !== undefined) wait = Math.max(wait, err.retryAfter * 1000)
        if (wait > maxRetryAfterSeconds * 1000) throw err
        emit({ route, status: res.status, requestId, attempt, retryInMs: wait, reason: 'server_error' })
        await sleep(wait)
        continue
      }
      throw err
    }
  }

  return {
    apiUrl,
    contentUrl,
    async rpc<T>(route: string, arg?: unknown, opts: CallOptions = {}): Promise<T> {
      // `null` + application/json works for no-argument routes as well (Python SDK); `{}` would not.
      const body = JSON.stringify(arg === undefined ? null : arg)
      const res = await call(
        route,
        (token) => ({ url: `${apiUrl}/2/${route}`, init: { headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body } }),
        opts,
      )
      return (await readJson(route, res)) as T
    },
    async upload<T>(route: string, arg: unknown, body: Uint8Array, opts: CallOptions = {}): Promise<T> {
      const header = httpHeaderSafeJson(arg)
      const res = await call(
        route,
        (token) => ({
          url: `${contentUrl}/2/${route}`,
          init: { headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream', 'Dropbox-API-Arg': header }, body: body as Uint8Array<ArrayBuffer> },
        }),
        opts,
      )
      return (await readJson(route, res)) as T
    },
    async download<T>(route: string, arg: unknown, opts: CallOptions & { range?: string } = {}): Promise<DownloadResult<T>> {
      const header = httpHeaderSafeJson(arg)
      const res = await call(
        route,
        (token) => ({
          url: `${contentUrl}/2/${route}`,
          // No body and no Content-Type on download routes, as the SDKs do.
          init: { headers: { Authorization: `Bearer ${token}`, 'Dropbox-API-Arg': header, ...(opts.range ? { Range: opts.range } : {}) } },
        }),
        opts,
      )
      const raw = res.headers.get('dropbox-api-result')
      let result: T
      try {
        // The header is ASCII-escaped JSON; decode as text either way (UNVERIFIED whether Dropbox escapes it).
        result = JSON.parse(raw ?? 'null') as T
      } catch {
        await res.body?.cancel()
        throw new DropboxError({ status: res.status, route, tags: ['bad_response'], summary: 'Dropbox-API-Result is not JSON' })
      }
      const body = res.body ? Readable.fromWeb(res.body as unknown as NodeReadableStream<Uint8Array>) : Readable.from([])
      return { result, body, status: res.status, headers: res.headers }
    },
  }
}

async function readJson(route: string, res: Response): Promise<unknown> {
  const text = await res.text()
  try {
    return JSON.parse(text === '' ? 'null' : text)
  } catch {
    throw new DropboxError({ status: res.status, route, tags: ['bad_response'], summary: `response is not JSON: ${text.slice(0, 200)}` })
  }
}

/** Turns any non-2xx response into a DropboxError (or DropboxAuthError for 401). */
export async function parseError(route: string, res: Response): Promise<DropboxError> {
  const text = await res.text().catch(() => '')
  const requestId = res.headers.get('x-dropbox-request-id') ?? undefined
  const headerRetry = parseRetryAfter(res.headers.get('retry-after'))
  let envelope: { error_summary?: unknown; error?: unknown; user_message?: { text?: unknown } } | undefined
  const contentType = res.headers.get('content-type') ?? ''
  if (contentType.includes('json') || text.startsWith('{')) {
    try {
      const parsed = JSON.parse(text) as unknown
      if (parsed && typeof parsed === 'object' && 'error' in parsed) envelope = parsed as typeof envelope
    } catch {
      // not JSON after all: keep the text
    }
  }
  let tags: string[]
  let summary: string
  let retryAfter = headerRetry
  let correctOffset: number | undefined
  if (envelope) {
    tags = tagChain(envelope.error)
    summary = typeof envelope.error_summary === 'string' ? envelope.error_summary : tags.join('/')
    const bodyRetry = findNumber(envelope.error, 'retry_after')
    // Both should agree; wait for the longer so we never come back early.
    if (bodyRetry !== undefined) retryAfter = Math.max(bodyRetry, headerRetry ?? 0)
    correctOffset = findNumber(envelope.error, 'correct_offset')
  } else {
    summary = text.slice(0, 500) || res.statusText
    if (res.status === 400) tags = text.includes('access token is malformed') ? ['invalid_access_token'] : ['bad_request']
    else if (res.status === 401) tags = ['invalid_access_token']
    else if (res.status === 429) tags = ['too_many_requests'] // plain-text 429 (§8.1)
    else if (res.status >= 500) tags = ['server_error']
    else tags = [`http_${res.status}`]
  }
  const init: DropboxErrorInit = {
    status: res.status,
    route,
    tags,
    summary,
    retryAfter,
    correctOffset,
    requestId,
    error: envelope?.error,
    userMessage: typeof envelope?.user_message?.text === 'string' ? envelope.user_message.text : undefined,
  }
  return res.status === 401 ? new DropboxAuthError(init) : new DropboxError(init)
}

/**
 * The tag chain of a Stone error value. Unions nest their value under the tag name
 * (`{".tag":"path","path":{…}}`); plain structs are inlined (`upload`'s `reason`); the 429
 * `RateLimitError` is a struct whose `reason` holds the tag.
 */
export function tagChain(value: unknown): string[] {
  const tags: string[] = []
  let cur = value
  for (let depth = 0; depth < 8 && cur && typeof cur === 'object'; depth++) {
    const o = cur as Record<string, unknown>
    const tag = o['.tag']
    if (typeof tag === 'string') {
      tags.push(tag)
      const nested = o[tag]
      if (nested && typeof nested === 'object') {
        cur = nested
        continue
      }
    }
    if (o.reason && typeof o.reason === 'object') {
      cur = o.reason
      continue
    }
    break
  }
  return tags
}

/** Depth-first search for a numeric field, tolerant of the mis-nestings seen in the wild (§12). */
function findNumber(value: unknown, key: string, depth = 0): number | undefined {
  if (!value || typeof value !== 'object' || depth > 6) return undefined
  const o = value as Record<string, unknown>
  if (typeof o[key] === 'number') return o[key]
  for (const v of Object.values(o)) {
    const found = findNumber(v, key, depth + 1)
    if (found !== undefined) return found
  }
  return undefined
}

/** `Retry-After` as seconds (delta-seconds, or an HTTP date). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined
  const v = value.trim()
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v)
  const at = Date.parse(v)
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000))
}

const trimSlash = (s: string) => s.replace(/\/+$/, '')
