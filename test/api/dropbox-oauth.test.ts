// Connecting Dropbox: PKCE authorization, token exchange and refresh against the fake token
// endpoint; the connected account; disconnect; tokens encrypted at rest.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DropboxAuthError, DropboxError, createDropboxApi } from '../../src/server/storage/dropbox-api.js'
import {
  DEFAULT_AUTHORIZE_URL,
  DROPBOX_SCOPES,
  DropboxOAuthError,
  SecretDecryptionError,
  createAuthorization,
  createRefreshingTokenSource,
  decryptSecret,
  encryptSecret,
  exchangeCode,
  getCurrentAccount,
  parseEncryptionKey,
  pkceChallenge,
  refreshAccessToken,
  revokeToken,
} from '../../src/server/storage/dropbox-oauth.js'
import { startDropboxFake, type DropboxFake } from '../fakes/dropbox-server.js'

const REDIRECT = 'https://crm.example.com/api/v1/settings/storage/dropbox/callback'

let fake: DropboxFake
beforeAll(async () => {
  fake = await startDropboxFake({ redirectUris: [REDIRECT], account: { displayName: 'Grace Hopper', email: 'grace@example.com' } })
})
afterAll(() => fake.close())

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p
  } catch (err) {
    return err
  }
  throw new Error('expected a rejection')
}

/** The browser leg: follow our authorization URL on the fake, which approves and redirects back. */
async function approve(url: string): Promise<{ code: string; state: string }> {
  const res = await fetch(url.replace(DEFAULT_AUTHORIZE_URL, fake.authorizeUrl), { redirect: 'manual' })
  expect(res.status).toBe(302)
  const back = new URL(res.headers.get('location')!)
  expect(`${back.origin}${back.pathname}`).toBe(REDIRECT)
  return { code: back.searchParams.get('code')!, state: back.searchParams.get('state')! }
}

const tokenOpts = (secret = true) => ({ appKey: fake.app.key, ...(secret ? { appSecret: fake.app.secret } : {}), tokenUrl: fake.tokenUrl })
const apiFor = (token: string) => createDropboxApi({ apiUrl: fake.apiUrl, contentUrl: fake.contentUrl, getAccessToken: async () => token })

describe('authorization URL (PKCE S256)', () => {
  it('computes the RFC 7636 challenge', () => {
    expect(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')
  })

  it('builds the Dropbox authorize URL with every parameter', () => {
    const a = createAuthorization({ appKey: 'abc123', redirectUri: REDIRECT })
    const u = new URL(a.url)
    expect(`${u.origin}${u.pathname}`).toBe('https://www.dropbox.com/oauth2/authorize')
    expect(Object.fromEntries(u.searchParams)).toEqual({
      client_id: 'abc123',
      response_type: 'code',
      code_challenge: pkceChallenge(a.verifier),
      code_challenge_method: 'S256',
      token_access_type: 'offline',
      redirect_uri: REDIRECT,
      state: a.state,
      scope: DROPBOX_SCOPES.join(' '),
    })
    expect(a.verifier).toMatch(/^[A-Za-z0-9._~-]{128}$/)
    expect(a.state).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const b = createAuthorization({ appKey: 'abc123', redirectUri: REDIRECT, scopes: null })
    expect(b.verifier).not.toBe(a.verifier)
    expect(b.state).not.toBe(a.state)
    expect(new URL(b.url).searchParams.has('scope')).toBe(false)
  })
})

describe('token exchange', () => {
  it('exchanges the code with the verifier, and the token works for "connected as"', async () => {
    const auth = createAuthorization({ appKey: fake.app.key, redirectUri: REDIRECT })
    const { code, state } = await approve(auth.url)
    expect(state).toBe(auth.state)
    const before = Date.now()
    const tokens = await exchangeCode({ ...tokenOpts(), code, verifier: auth.verifier, redirectUri: REDIRECT })
    expect(tokens).toEqual({
      accessToken: expect.stringMatching(/^sl\./),
      refreshToken: expect.any(String),
      expiresAt: expect.any(Date),
      accountId: fake.account.accountId,
      scope: DROPBOX_SCOPES.join(' '),
      uid: expect.any(String),
    })
    expect(tokens.expiresAt!.getTime()).toBeGreaterThanOrEqual(before + 14_400_000)
    expect(tokens.expiresAt!.getTime()).toBeLessThanOrEqual(Date.now() + 14_400_000)
    const account = await getCurrentAccount(apiFor(tokens.accessToken))
    expect(account).toEqual({ accountId: fake.account.accountId, displayName: 'Grace Hopper', email: 'grace@example.com', emailVerified: true })
    // A no-argument route: the body is `null` with application/json (never `{}`).
    const call = fake.calls('users/get_current_account').at(-1)!
    expect([call.status, call.contentType, call.arg]).toEqual([200, 'application/json', null])
    // Basic auth with the app secret; neither secret nor client_id in the form body.
    expect(fake.calls('oauth2/token').at(-1)).toMatchObject({
      status: 200,
      authScheme: 'Basic',
      contentType: 'application/x-www-form-urlencoded',
      formKeys: ['code', 'code_verifier', 'grant_type', 'redirect_uri'],
    })
  })

  it('works without the secret too (a public PKCE client sends client_id)', async () => {
    const auth = createAuthorization({ appKey: fake.app.key, redirectUri: REDIRECT })
    const { code } = await approve(auth.url)
    const tokens = await exchangeCode({ ...tokenOpts(false), code, verifier: auth.verifier, redirectUri: REDIRECT })
    expect(tokens.refreshToken).toBeTruthy()
    expect(fake.calls('oauth2/token').at(-1)).toMatchObject({ status: 200, authScheme: undefined, formKeys: ['client_id', 'code', 'code_verifier', 'grant_type', 'redirect_uri'] })
  })

  it('refuses a wrong verifier with invalid_grant', async () => {
    const auth = createAuthorization({ appKey: fake.app.key, redirectUri: REDIRECT })
    const { code } = await approve(auth.url)
    const other = createAuthorization({ appKey: fake.app.key, redirectUri: REDIRECT })
    const err = await rejection(exchangeCode({ ...tokenOpts(), code, verifier: other.verifier, redirectUri: REDIRECT }))
    expect(err).toBeInstanceOf(DropboxOAuthError)
    expect(err).toBeInstanceOf(DropboxAuthError)
    expect(err).toMatchObject({ status: 400, tag: 'invalid_grant', oauthError: 'invalid_grant' })
  })

  it('refuses a code used twice', async () => {
    const auth = createAuthorization({ appKey: fake.app.key, redirectUri: REDIRECT })
    const { code } = await approve(auth.url)
    await exchangeCode({ ...tokenOpts(), code, verifier: auth.verifier, redirectUri: REDIRECT })
    const err = await rejection(exchangeCode({ ...tokenOpts(), code, verifier: auth.verifier, redirectUri: REDIRECT }))
    expect(err).toMatchObject({ status: 400, tag: 'invalid_grant', summary: "code doesn't exist or has expired" })
  })

  it('refuses a different redirect_uri, a wrong secret, and an expired code', async () => {
    const a = createAuthorization({ appKey: fake.app.key, redirectUri: REDIRECT })
    const { code } = await approve(a.url)
    expect(await rejection(exchangeCode({ ...tokenOpts(), code, verifier: a.verifier, redirectUri: REDIRECT + '/other' }))).toMatchObject({ tag: 'invalid_grant' })
    expect(await rejection(exchangeCode({ ...tokenOpts(), appSecret: 'wrong', code, verifier: a.verifier, redirectUri: REDIRECT }))).toMatchObject({ tag: 'invalid_client' })
    const b = createAuthorization({ appKey: fake.app.key, redirectUri: REDIRECT })
    const late = await approve(b.url)
    fake.clock.advance(11 * 60_000)
    expect(await rejection(exchangeCode({ ...tokenOpts(), code: late.code, verifier: b.verifier, redirectUri: REDIRECT }))).toMatchObject({ tag: 'invalid_grant' })
  })

  it('rejects an authorize request for an unregistered redirect URI', async () => {
    const a = createAuthorization({ appKey: fake.app.key, redirectUri: 'https://evil.example/cb' })
    const res = await fetch(a.url.replace(DEFAULT_AUTHORIZE_URL, fake.authorizeUrl), { redirect: 'manual' })
    expect(res.status).toBe(400)
  })
})

describe('refresh', () => {
  it('refreshes: a new working access token, the same refresh token (no refresh_token in the response)', async () => {
    const { accessToken, refreshToken } = fake.issueTokens()
    const r = await refreshAccessToken({ ...tokenOpts(), refreshToken })
    expect(r.accessToken).not.toBe(accessToken)
    expect(r.refreshToken).toBe(refreshToken)
    expect(r.expiresAt).toBeInstanceOf(Date)
    expect((await getCurrentAccount(apiFor(r.accessToken))).email).toBe('grace@example.com')
  })

  it('retries a 5xx from the token endpoint, but not invalid_grant', async () => {
    const { refreshToken } = fake.issueTokens()
    const sleeps: number[] = []
    fake.inject5xx('oauth2/token')
    const r = await refreshAccessToken({ ...tokenOpts(), refreshToken, sleep: async (ms) => void sleeps.push(ms) })
    expect(r.accessToken).toMatch(/^sl\./)
    expect(sleeps).toEqual([500])
    const err = await rejection(refreshAccessToken({ ...tokenOpts(), refreshToken: 'not-a-token', sleep: async (ms) => void sleeps.push(ms) }))
    expect(err).toMatchObject({ tag: 'invalid_grant' })
    expect(sleeps).toEqual([500])
  })

  it('disconnect revokes the access token and its refresh token', async () => {
    const { accessToken, refreshToken } = fake.issueTokens()
    await revokeToken(apiFor(accessToken))
    expect(await rejection(getCurrentAccount(apiFor(accessToken)))).toMatchObject({ status: 401, tag: 'invalid_access_token' })
    expect(await rejection(refreshAccessToken({ ...tokenOpts(), refreshToken }))).toMatchObject({ status: 400, tag: 'invalid_grant' })
  })

  it('the token source refreshes ahead of expiry, once for many callers, and skips a token already replaced', async () => {
    let now = 1_000_000
    let refreshes = 0
    let release: () => void = () => undefined
    const gate = new Promise<void>((r) => (release = r))
    const source = createRefreshingTokenSource({
      initial: { accessToken: 'old', expiresAt: new Date(now + 10 * 60_000) },
      now: () => now,
      refresh: async () => {
        refreshes++
        await gate
        return { accessToken: `new-${refreshes}`, expiresAt: new Date(now + 4 * 3600_000) }
      },
    })
    expect(await source.getAccessToken()).toBe('old')
    now += 6 * 60_000 // now within 5 minutes of expiry
    const all = Promise.all([source.getAccessToken(), source.getAccessToken(), source.onUnauthorized('old')])
    release()
    expect(await all).toEqual(['new-1', 'new-1', undefined])
    expect(refreshes).toBe(1)
    await source.onUnauthorized('old') // a late 401 for the replaced token: no new refresh
    expect(refreshes).toBe(1)
    await source.onUnauthorized('new-1')
    expect(refreshes).toBe(2)
    expect(source.current().accessToken).toBe('new-2')
  })
})

describe('tokens at rest (AES-256-GCM)', () => {
  const key = randomBytes(32)
  const token = 'sl.u.' + randomBytes(1000).toString('base64url') // real tokens can be ~1,300 characters

  it('round-trips, with a fresh IV each time and a versioned prefix', () => {
    const a = encryptSecret(token, key)
    const b = encryptSecret(token, key)
    expect(a).toMatch(/^v1:[A-Za-z0-9_-]+$/)
    expect(a).not.toBe(b)
    expect(a).not.toContain(token.slice(5, 40))
    expect(decryptSecret(a, key)).toBe(token)
    expect(decryptSecret(b, key)).toBe(token)
    expect(decryptSecret(encryptSecret('ünïcødé 😀', key), key)).toBe('ünïcødé 😀')
    expect(decryptSecret(encryptSecret('', key), key)).toBe('')
  })

  it('detects tampering anywhere: IV, tag, ciphertext, length, prefix', () => {
    const blob = encryptSecret(token, key)
    const raw = Buffer.from(blob.slice(3), 'base64url')
    for (const at of [0, 11, 12, 27, 28, raw.length - 1]) {
      const t = Buffer.from(raw)
      t[at]! ^= 0x01
      expect(() => decryptSecret('v1:' + t.toString('base64url'), key), `byte ${at}`).toThrow(SecretDecryptionError)
    }
    expect(() => decryptSecret('v1:' + raw.subarray(0, raw.length - 1).toString('base64url'), key)).toThrow(SecretDecryptionError)
    expect(() => decryptSecret('v1:' + raw.subarray(0, 20).toString('base64url'), key)).toThrow(SecretDecryptionError)
    expect(() => decryptSecret('v2:' + blob.slice(3), key)).toThrow(SecretDecryptionError)
    expect(() => decryptSecret(token, key)).toThrow(SecretDecryptionError)
  })

  it('needs the same key and the same context', () => {
    const blob = encryptSecret(token, key, 'workspace-1')
    expect(decryptSecret(blob, key, 'workspace-1')).toBe(token)
    expect(() => decryptSecret(blob, key, 'workspace-2')).toThrow(SecretDecryptionError)
    expect(() => decryptSecret(blob, key)).toThrow(SecretDecryptionError)
    expect(() => decryptSecret(blob, randomBytes(32), 'workspace-1')).toThrow(SecretDecryptionError)
  })

  it('takes the key as 64 hex characters, base64 or base64url, and refuses anything else', () => {
    const hex = key.toString('hex')
    const b64 = key.toString('base64')
    const b64url = key.toString('base64url')
    // A key with both alphabets' characters (config.ts accepts that shape too).
    const mixed = Buffer.from('fb' + 'f'.repeat(62), 'hex')
    const mixedText = mixed.toString('base64').replace(/\//, '_')
    expect(mixedText).toMatch(/\+.*_|_.*\+/)
    expect(parseEncryptionKey(mixedText).equals(mixed)).toBe(true)
    for (const k of [hex, hex.toUpperCase(), b64, b64url, ` ${b64}\n`]) expect(parseEncryptionKey(k).equals(key)).toBe(true)
    const blob = encryptSecret('x', hex)
    expect(decryptSecret(blob, b64)).toBe('x')
    for (const bad of ['', 'short', hex.slice(2), randomBytes(31).toString('base64'), randomBytes(33).toString('hex'), 'z'.repeat(64)]) {
      expect(() => parseEncryptionKey(bad), JSON.stringify(bad)).toThrow(/32 bytes/)
    }
    expect(() => parseEncryptionKey(randomBytes(16))).toThrow(/32 bytes/)
  })

  it('DropboxOAuthError is a DropboxError', () => {
    expect(new DropboxOAuthError({ status: 400, route: 'oauth2/token', tags: ['invalid_grant'], summary: 'x' })).toBeInstanceOf(DropboxError)
  })
})
