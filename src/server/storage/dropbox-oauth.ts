// Connecting a Dropbox account: OAuth 2 authorization code + PKCE (S256) with offline refresh
// tokens, the connected account, disconnect, and AES-256-GCM for tokens at rest.
// Contract: /work/shared/dropbox-contract.md §2 and §7.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import { DropboxAuthError, DropboxError, type DropboxApi } from './dropbox-api.js'

export const DEFAULT_AUTHORIZE_URL = 'https://www.dropbox.com/oauth2/authorize'
export const DEFAULT_TOKEN_URL = 'https://api.dropboxapi.com/oauth2/token'
/** What the provider uses (contract §2.1 scope table). */
export const DROPBOX_SCOPES = Object.freeze(['account_info.read', 'files.metadata.read', 'files.content.read', 'files.content.write'])

/** base64url(SHA-256(verifier)), no padding (RFC 7636 S256). */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url')
}

export interface Authorization {
  /** Send the admin's browser here. */
  url: string
  /** Check it equals the `state` query parameter of the callback (keep it server-side, e.g. in the session). */
  state: string
  /** Keep it server-side until the callback; it is the proof for exchangeCode. */
  verifier: string
}

export function createAuthorization(options: {
  appKey: string
  redirectUri: string
  authorizeUrl?: string
  /** Default DROPBOX_SCOPES; `null` omits `scope` (the app's configured scopes apply). */
  scopes?: readonly string[] | null
  state?: string
}): Authorization {
  // 96 random bytes → 128 base64url characters, all from RFC 7636's unreserved set (the SDKs use 128).
  const verifier = randomBytes(96).toString('base64url')
  const state = options.state ?? randomBytes(32).toString('base64url')
  const url = new URL(options.authorizeUrl ?? DEFAULT_AUTHORIZE_URL)
  const params: Record<string, string> = {
    client_id: options.appKey,
    response_type: 'code',
    code_challenge: pkceChallenge(verifier),
    code_challenge_method: 'S256',
    token_access_type: 'offline',
    redirect_uri: options.redirectUri,
    state,
  }
  const scopes = options.scopes === undefined ? DROPBOX_SCOPES : options.scopes
  if (scopes && scopes.length > 0) params.scope = scopes.join(' ')
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v)
  return { url: url.toString(), state, verifier }
}

/**
 * An OAuth error from the token endpoint (`{"error":"invalid_grant","error_description":…}`).
 * `tag` is the OAuth `error`. It is a DropboxAuthError: `invalid_grant` on refresh means the
 * refresh token was revoked, so the connection is broken.
 */
export class DropboxOAuthError extends DropboxAuthError {
  get oauthError(): string {
    return this.tag
  }
}

export interface TokenEndpointOptions {
  appKey: string
  /** With a secret the client authenticates with HTTP Basic; without, it sends client_id (PKCE only). */
  appSecret?: string
  tokenUrl?: string
  fetch?: typeof fetch
  now?: () => number
}

export interface DropboxTokens {
  accessToken: string
  refreshToken: string
  /** null if Dropbox sent no `expires_in` (legacy long-lived token). */
  expiresAt: Date | null
  /** `account_id`, or `team_id` for a team-linked app. */
  accountId: string
  scope: string | undefined
  uid: string | undefined
}

export interface RefreshedToken {
  accessToken: string
  expiresAt: Date | null
  /** Dropbox does not rotate refresh tokens; if it ever sends one, it is here, else the one passed in. */
  refreshToken: string
  scope: string | undefined
}

interface TokenResponse {
  access_token?: unknown
  token_type?: unknown
  expires_in?: unknown
  refresh_token?: unknown
  scope?: unknown
  uid?: unknown
  account_id?: unknown
  team_id?: unknown
}

async function postToken(options: TokenEndpointOptions, params: Record<string, string>): Promise<TokenResponse> {
  const route = 'oauth2/token'
  const body = new URLSearchParams(params)
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' }
  if (options.appSecret !== undefined) headers.Authorization = `Basic ${Buffer.from(`${options.appKey}:${options.appSecret}`).toString('base64')}`
  else body.set('client_id', options.appKey)
  const res = await (options.fetch ?? globalThis.fetch)(options.tokenUrl ?? DEFAULT_TOKEN_URL, { method: 'POST', headers, body })
  const text = await res.text()
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  if (!res.ok) {
    const requestId = res.headers.get('x-dropbox-request-id') ?? undefined
    const e = json as { error?: unknown; error_description?: unknown } | undefined
    if (e && typeof e.error === 'string') {
      const description = typeof e.error_description === 'string' ? e.error_description : e.error
      throw new DropboxOAuthError({ status: res.status, route, tags: [e.error], summary: description, requestId, error: e })
    }
    throw new DropboxError({ status: res.status, route, tags: [res.status >= 500 ? 'server_error' : `http_${res.status}`], summary: text.slice(0, 200), requestId })
  }
  if (!json || typeof json !== 'object' || typeof (json as TokenResponse).access_token !== 'string') {
    throw new DropboxError({ status: res.status, route, tags: ['bad_response'], summary: 'token response without access_token' })
  }
  return json as TokenResponse
}

const expiry = (r: TokenResponse, now: number) => (typeof r.expires_in === 'number' ? new Date(now + r.expires_in * 1000) : null)
const optString = (v: unknown) => (typeof v === 'string' ? v : undefined)

/** Trades the code from the callback (and the verifier kept since createAuthorization) for tokens. */
export async function exchangeCode(options: TokenEndpointOptions & { code: string; verifier: string; redirectUri: string }): Promise<DropboxTokens> {
  const now = (options.now ?? Date.now)()
  const r = await postToken(options, {
    grant_type: 'authorization_code',
    code: options.code,
    code_verifier: options.verifier,
    redirect_uri: options.redirectUri,
  })
  const refreshToken = optString(r.refresh_token)
  if (!refreshToken) {
    throw new DropboxError({ status: 200, route: 'oauth2/token', tags: ['no_refresh_token'], summary: 'Dropbox returned no refresh token (token_access_type=offline is required)' })
  }
  const accountId = optString(r.account_id) ?? optString(r.team_id)
  if (!accountId) throw new DropboxError({ status: 200, route: 'oauth2/token', tags: ['bad_response'], summary: 'token response without account_id' })
  return { accessToken: r.access_token as string, refreshToken, expiresAt: expiry(r, now), accountId, scope: optString(r.scope), uid: optString(r.uid) }
}

/**
 * A new short-lived access token from the refresh token. 5xx and network failures are retried
 * (refresh is idempotent); `invalid_grant` (revoked) throws DropboxOAuthError at once.
 */
export async function refreshAccessToken(
  options: TokenEndpointOptions & { refreshToken: string; retries?: number; sleep?: (ms: number) => Promise<void> },
): Promise<RefreshedToken> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const retries = options.retries ?? 2
  for (let attempt = 0; ; attempt++) {
    try {
      const now = (options.now ?? Date.now)()
      const r = await postToken(options, { grant_type: 'refresh_token', refresh_token: options.refreshToken })
      return { accessToken: r.access_token as string, expiresAt: expiry(r, now), refreshToken: optString(r.refresh_token) ?? options.refreshToken, scope: optString(r.scope) }
    } catch (err) {
      const transient = !(err instanceof DropboxError) || err.status >= 500
      if (!transient || attempt >= retries) throw err
      await sleep(500 * 2 ** attempt)
    }
  }
}

export interface TokenState {
  accessToken: string
  expiresAt: Date | null
}

/**
 * getAccessToken / onUnauthorized for createDropboxApi: refreshes 5 minutes before expiry (as the
 * SDKs do) and on `expired_access_token`, one refresh at a time however many calls need it.
 * `refresh` should call refreshAccessToken and persist the result (encrypted).
 */
export function createRefreshingTokenSource(options: { initial: TokenState; refresh: () => Promise<TokenState>; now?: () => number; earlyMs?: number }) {
  const now = options.now ?? Date.now
  const earlyMs = options.earlyMs ?? 300_000
  let current = options.initial
  let inFlight: Promise<void> | undefined
  const refreshOnce = () => {
    inFlight ??= options
      .refresh()
      .then((next) => {
        current = next
      })
      .finally(() => {
        inFlight = undefined
      })
    return inFlight
  }
  return {
    async getAccessToken(): Promise<string> {
      if (inFlight) await inFlight
      else if (current.expiresAt && now() >= current.expiresAt.getTime() - earlyMs) await refreshOnce()
      return current.accessToken
    },
    async onUnauthorized(expiredToken: string): Promise<void> {
      if (inFlight) return inFlight
      // Another call already replaced the refused token: nothing to do.
      if (expiredToken !== current.accessToken) return
      return refreshOnce()
    },
    current: (): TokenState => current,
  }
}

export interface DropboxAccount {
  accountId: string
  displayName: string
  email: string
  emailVerified: boolean | undefined
}

/** users/get_current_account, for "connected as {displayName} ({email})". */
export async function getCurrentAccount(api: DropboxApi): Promise<DropboxAccount> {
  const r = await api.rpc<{ account_id: string; name?: { display_name?: string }; email?: string; email_verified?: boolean }>('users/get_current_account', null)
  return { accountId: r.account_id, displayName: r.name?.display_name ?? '', email: r.email ?? '', emailVerified: r.email_verified }
}

/** auth/token/revoke: disables this access token and its refresh token (disconnect). */
export async function revokeToken(api: DropboxApi): Promise<void> {
  await api.rpc('auth/token/revoke', null)
}

// ---- Tokens at rest -------------------------------------------------------------------------

const SECRET_PREFIX = 'v1:'
const IV_BYTES = 12
const TAG_BYTES = 16

export class SecretDecryptionError extends Error {
  constructor() {
    super('Could not decrypt the stored secret (wrong key or tampered data)')
  }
}

/** A 32-byte key from configuration: 64 hex characters, or base64 / base64url of 32 bytes. */
export function parseEncryptionKey(key: string | Uint8Array): Buffer {
  if (typeof key !== 'string') {
    if (key.length !== 32) throw new Error('The token encryption key must be 32 bytes')
    return Buffer.from(key)
  }
  const v = key.trim()
  if (/^[0-9a-fA-F]{64}$/.test(v)) return Buffer.from(v, 'hex')
  // Same shape config.ts accepts: 43 characters of base64 or base64url, optional padding.
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(v)) {
    const b = Buffer.from(v.replace(/-/g, '+').replace(/_/g, '/'), 'base64')
    if (b.length === 32) return b
  }
  throw new Error('The token encryption key must be 32 bytes, written as 64 hex characters or base64')
}

const aad = (context: string | undefined) => Buffer.from(`coeffection:${SECRET_PREFIX}${context ?? ''}`, 'utf8')

/**
 * AES-256-GCM with a random 96-bit IV: `v1:` + base64url(iv ‖ tag ‖ ciphertext). An optional
 * `context` (e.g. the workspace id) is bound as associated data, so a blob cannot be moved to
 * another row.
 */
export function encryptSecret(plain: string, key: string | Uint8Array, context?: string): string {
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', parseEncryptionKey(key), iv, { authTagLength: TAG_BYTES })
  cipher.setAAD(aad(context))
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return SECRET_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64url')
}

/** The inverse of encryptSecret. Throws SecretDecryptionError on any tampering or a wrong key. */
export function decryptSecret(blob: string, key: string | Uint8Array, context?: string): string {
  const k = parseEncryptionKey(key)
  if (!blob.startsWith(SECRET_PREFIX)) throw new SecretDecryptionError()
  const body = blob.slice(SECRET_PREFIX.length)
  if (!/^[A-Za-z0-9_-]*$/.test(body)) throw new SecretDecryptionError()
  const raw = Buffer.from(body, 'base64url')
  if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretDecryptionError()
  try {
    const decipher = createDecipheriv('aes-256-gcm', k, raw.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES })
    decipher.setAAD(aad(context))
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES))
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8')
  } catch {
    throw new SecretDecryptionError()
  }
}
