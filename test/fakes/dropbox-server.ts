// A local Dropbox API v2 that follows /work/shared/dropbox-contract.md (checklist §11): three
// origins (api, content, dl), the token endpoint with PKCE, Content-Type and Dropbox-API-Arg rules,
// 400 plain-text schema errors, 409 route errors with Stone nesting, 401/429/5xx, upload sessions
// with exact offsets and per-request content_hash, list_folder cursors, temporary links on a fake
// clock, and a request log. Where the contract is UNVERIFIED, the fake takes the stricter reading
// so that the provider stays on the safe side.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { dropboxContentHash } from '../../src/server/storage/content-hash.js'
import { FakeDropboxFs, errorSummary, metadataJson, tagged, type FakeEntry, type FakeFile, type FakeFolder, type StoneValue } from './dropbox-fake-model.js'

export type { FakeEntry, FakeFile, FakeFolder } from './dropbox-fake-model.js'

type Origin = 'api' | 'content' | 'dl'

export interface FakeRequest {
  origin: Origin
  method: string
  /** `files/upload_session/finish`, `oauth2/token`, … (URL path without `/2/`). */
  route: string
  status: number
  /** The parsed argument (JSON body or Dropbox-API-Arg), when it parsed. */
  arg?: unknown
  /** The raw Dropbox-API-Arg header as received (latin1 view of the bytes). */
  argHeader?: string
  contentType?: string
  bodyBytes: number
  /** The bearer token used (this is a fake; the provider must never log one). */
  token?: string
  /** Scheme of the Authorization header (`Bearer`, `Basic`), if any. */
  authScheme?: string
  /** oauth2/token: the parameter names received (body and query). */
  formKeys?: string[]
  errorSummary?: string
  at: Date
}

export interface FakeToken {
  accessToken: string
  refreshToken: string | undefined
  accountId: string
  scopes: string[]
  expiresAt: number
  revoked: boolean
}

export interface FakeRefreshToken {
  refreshToken: string
  clientId: string
  accountId: string
  scopes: string[]
  revoked: boolean
}

export interface FakeCode {
  code: string
  clientId: string
  redirectUri: string | undefined
  challenge: string | undefined
  offline: boolean
  scopes: string[]
  used: boolean
  expiresAt: number
}

export interface FakeSession {
  id: string
  chunks: Buffer[]
  size: number
  closed: boolean
  finished: boolean
  createdAt: number
}

interface FakeCursor {
  id: string
  folderLower: string
  recursive: boolean
  limit: number
  includeDeleted: boolean
  pending: FakeEntry[]
  seen: Map<string, string>
  reset: boolean
}

interface FakeLink {
  id: string
  fileId: string
  createdAt: number
}

export interface FakeAccount {
  accountId: string
  displayName: string
  givenName: string
  surname: string
  email: string
}

interface Injection {
  times: number
  afterProcessing: boolean
  reply: (route: string) => Reply
}

interface Reply {
  status: number
  json?: unknown
  text?: string
  bytes?: Buffer
  headers?: Record<string, string>
}

export interface StartDropboxFakeOptions {
  appKey?: string
  appSecret?: string
  /** Redirect URIs registered in the "App Console"; default: any. */
  redirectUris?: string[]
  account?: Partial<FakeAccount>
  /** Fake time at start. Default 2026-08-01T09:00:00Z. */
  now?: Date
  accessTokenTtlSeconds?: number
  /** list_folder page size when the request has no `limit`. Default 500. */
  defaultListLimit?: number
  /** Per-request body limit (Dropbox: 150 MiB). */
  maxRequestBytes?: number
  /** Upload session size limit (Dropbox: 2^41 − 2^22). */
  maxSessionBytes?: number
}

export const ALL_SCOPES = ['account_info.read', 'files.metadata.read', 'files.content.read', 'files.content.write']
const TEMP_LINK_TTL_MS = 4 * 3600_000
const SESSION_TTL_MS = 7 * 24 * 3600_000
const CODE_TTL_MS = 10 * 60_000

// Stone patterns (full match) from files.stone.
const WRITE_PATH = /^(?:(\/(.|[\r\n])*)|(ns:[0-9]+(\/(.|[\r\n])*)?))$/
const WRITE_PATH_OR_ID = /^(?:(\/(.|[\r\n])*)|(ns:[0-9]+(\/.*)?)|(id:.*))$/
const READ_PATH = /^(?:(\/(.|[\r\n])*|id:.*)|(rev:[0-9a-f]{9,})|(ns:[0-9]+(\/.*)?))$/
const PATH_R_OR_ID = /^(?:(\/(.|[\r\n])*)?|id:.*|(ns:[0-9]+(\/.*)?))$/
const SHA256_HEX = /^[0-9a-f]{64}$/

const RPC_TYPES = ['application/json', 'application/json; charset=utf-8', 'text/plain; charset=dropbox-cors-hack']
const UPLOAD_TYPES = ['application/octet-stream', 'text/plain; charset=dropbox-cors-hack']

class SchemaError extends Error {}

// ---- tiny Stone-ish validators (400 plain text on failure) ------------------------------------

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const describe = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v === 'object' ? 'object' : typeof v === 'string' ? 'string' : typeof v)

function struct(v: unknown, allowed: string[], at = ''): Record<string, unknown> {
  if (!isObject(v)) throw new SchemaError(`${at}expected object, got ${describe(v)}`)
  // Unknown fields: UNVERIFIED whether Dropbox rejects them; the fake does.
  for (const k of Object.keys(v)) if (!allowed.includes(k)) throw new SchemaError(`${at}unknown field '${k}'`)
  return v
}
function str(o: Record<string, unknown>, k: string, opts: { required?: boolean; nullable?: boolean; pattern?: RegExp; at?: string } = {}): string | undefined {
  const at = opts.at ?? ''
  const v = o[k]
  if (v === undefined || (v === null && opts.nullable)) {
    if (opts.required) throw new SchemaError(`${at}missing required field '${k}'`)
    return undefined
  }
  if (typeof v !== 'string') throw new SchemaError(`${at}${k}: expected string, got ${describe(v)}`)
  if (opts.pattern && !opts.pattern.test(v)) throw new SchemaError(`${at}${k}: '${v}' did not match pattern '${opts.pattern.source}'`)
  return v
}
function bool(o: Record<string, unknown>, k: string, at = ''): boolean | undefined {
  const v = o[k]
  if (v === undefined) return undefined
  // A field with a default must be omitted or given a value; null is invalid (§0.4).
  if (typeof v !== 'boolean') throw new SchemaError(`${at}${k}: expected boolean, got ${describe(v)}`)
  return v
}
function uint(o: Record<string, unknown>, k: string, opts: { required?: boolean; nullable?: boolean; min?: number; max?: number; at?: string } = {}): number | undefined {
  const at = opts.at ?? ''
  const v = o[k]
  if (v === undefined || (v === null && opts.nullable)) {
    if (opts.required) throw new SchemaError(`${at}missing required field '${k}'`)
    return undefined
  }
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new SchemaError(`${at}${k}: expected unsigned integer, got ${describe(v)}`)
  if ((opts.min !== undefined && v < opts.min) || (opts.max !== undefined && v > opts.max)) throw new SchemaError(`${at}${k}: ${v} is out of range`)
  return v
}
/** A union member as `"add"` or `{".tag":"add"}` (void), or `{".tag":"update","update":…}`. */
function unionTag(v: unknown, k: string, tags: string[], at = ''): { tag: string; value?: unknown } | undefined {
  if (v === undefined) return undefined
  if (typeof v === 'string') {
    if (!tags.includes(v)) throw new SchemaError(`${at}${k}: unknown tag '${v}'`)
    return { tag: v }
  }
  if (!isObject(v) || typeof v['.tag'] !== 'string') throw new SchemaError(`${at}${k}: expected union, got ${describe(v)}`)
  const tag = v['.tag']
  if (!tags.includes(tag)) throw new SchemaError(`${at}${k}: unknown tag '${tag}'`)
  return { tag, value: v[tag] }
}

const COMMIT_FIELDS = ['path', 'mode', 'autorename', 'client_modified', 'mute', 'property_groups', 'strict_conflict']
function commitInfo(v: unknown, at: string, extraFields: string[] = []) {
  const o = struct(v, [...COMMIT_FIELDS, ...extraFields], at)
  const path = str(o, 'path', { required: true, pattern: WRITE_PATH_OR_ID, at })!
  const m = unionTag(o.mode, 'mode', ['add', 'overwrite', 'update'], at)
  let mode: 'add' | 'overwrite' | { update: string } = 'add'
  if (m?.tag === 'overwrite') mode = 'overwrite'
  if (m?.tag === 'update') {
    if (typeof m.value !== 'string' || !/^[0-9a-f]{9,}$/.test(m.value)) throw new SchemaError(`${at}mode: update: expected rev`)
    mode = { update: m.value }
  }
  const clientModified = str(o, 'client_modified', { nullable: true, pattern: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, at })
  bool(o, 'mute', at)
  return { path, mode, autorename: bool(o, 'autorename', at) ?? false, strictConflict: bool(o, 'strict_conflict', at) ?? false, clientModified }
}

function cursorArg(v: unknown, at: string) {
  const c = struct(v, ['session_id', 'offset'], `${at}cursor: `)
  return { sessionId: str(c, 'session_id', { required: true, at: `${at}cursor: ` })!, offset: uint(c, 'offset', { required: true, at: `${at}cursor: ` })! }
}

// ---- the server ------------------------------------------------------------------------------

type Style = 'rpc' | 'upload' | 'download'
interface Ctx {
  route: string
  arg: unknown
  body: Buffer
  token: FakeToken
  req: http.IncomingMessage
  url: URL
}
interface RouteDef {
  origin: 'api' | 'content'
  style: Style
  scope?: string
  noArg?: boolean
  handler: (ctx: Ctx) => Reply
}

export interface DropboxFake {
  apiUrl: string
  contentUrl: string
  /** The temporary-link origin. */
  dlUrl: string
  tokenUrl: string
  /** A stand-in for https://www.dropbox.com/oauth2/authorize that approves at once (302 to redirect_uri). */
  authorizeUrl: string
  app: { key: string; secret: string }
  account: FakeAccount
  state: {
    files: Map<string, FakeFile>
    folders: Map<string, FakeFolder>
    sessions: Map<string, FakeSession>
    tokens: Map<string, FakeToken>
    refreshTokens: Map<string, FakeRefreshToken>
    codes: Map<string, FakeCode>
    links: Map<string, FakeLink>
    requests: FakeRequest[]
  }
  clock: { now(): Date; advance(ms: number): void; set(d: Date): void }
  /** A ready access token (with a refresh token behind it unless `refresh: false`). */
  issueToken(opts?: { expiresInSeconds?: number; scopes?: string[]; refresh?: boolean }): string
  /** Both tokens, as the token endpoint would have issued them. */
  issueTokens(opts?: { expiresInSeconds?: number; scopes?: string[] }): { accessToken: string; refreshToken: string }
  expireToken(accessToken: string): void
  /** Revokes an access or refresh token, with the whole grant behind it (like auth/token/revoke). */
  revokeToken(token: string): void
  /** The authorize step without a browser: returns the code (and the redirect Location). */
  authorize(urlOrParams: string | URL | Record<string, string>): { code: string; state: string | undefined; location: string | undefined }
  inject429(route: string, opts?: { retryAfter?: number; plainText?: boolean; reason?: 'too_many_requests' | 'too_many_write_operations'; times?: number }): void
  inject5xx(route: string, opts?: { status?: number; times?: number; afterProcessing?: boolean; retryAfter?: number }): void
  /** Any route error, e.g. `injectError('files/upload_session/finish', tagged('too_many_write_operations'))`. */
  injectError(route: string, error: unknown, opts?: { status?: number; times?: number }): void
  /** The next list_folder/continue on every current cursor answers 409 `reset`. */
  resetCursors(): void
  setQuota(bytes: number | null): void
  file(path: string): FakeFile | undefined
  folder(path: string): FakeFolder | undefined
  seedFile(path: string, bytes: Buffer): FakeFile
  seedFolder(path: string): FakeFolder
  calls(route: string): FakeRequest[]
  close(): Promise<void>
}

export async function startDropboxFake(options: StartDropboxFakeOptions = {}): Promise<DropboxFake> {
  let nowMs = (options.now ?? new Date('2026-08-01T09:00:00Z')).getTime()
  const clock = {
    now: () => new Date(nowMs),
    advance: (ms: number) => {
      nowMs += ms
    },
    set: (d: Date) => {
      nowMs = d.getTime()
    },
  }
  const fs = new FakeDropboxFs(clock.now)
  const app = { key: options.appKey ?? 'fake-app-key', secret: options.appSecret ?? 'fake-app-secret' }
  const account: FakeAccount = {
    accountId: 'dbid:' + 'AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc',
    displayName: 'Ada Lovelace',
    givenName: 'Ada',
    surname: 'Lovelace',
    email: 'ada@example.com',
    ...options.account,
  }
  const ttl = options.accessTokenTtlSeconds ?? 14_400
  const defaultListLimit = options.defaultListLimit ?? 500
  const maxRequestBytes = options.maxRequestBytes ?? 150 * 1024 * 1024
  const maxSessionBytes = options.maxSessionBytes ?? 2 ** 41 - 2 ** 22

  const sessions = new Map<string, FakeSession>()
  const tokens = new Map<string, FakeToken>()
  const refreshTokens = new Map<string, FakeRefreshToken>()
  const codes = new Map<string, FakeCode>()
  const links = new Map<string, FakeLink>()
  const cursors = new Map<string, FakeCursor>()
  const requests: FakeRequest[] = []
  const injections = new Map<string, Injection[]>()

  const token64 = (n: number) => randomBytes(n).toString('base64url')
  const newAccessToken = (refresh: FakeRefreshToken | undefined, scopes: string[], expiresIn = ttl): FakeToken => {
    const t: FakeToken = {
      accessToken: 'sl.u.' + token64(96),
      refreshToken: refresh?.refreshToken,
      accountId: account.accountId,
      scopes,
      expiresAt: nowMs + expiresIn * 1000,
      revoked: false,
    }
    tokens.set(t.accessToken, t)
    return t
  }
  const newRefreshToken = (clientId: string, scopes: string[]): FakeRefreshToken => {
    const r: FakeRefreshToken = { refreshToken: token64(48), clientId, accountId: account.accountId, scopes, revoked: false }
    refreshTokens.set(r.refreshToken, r)
    return r
  }
  const revokeGrant = (refresh: string | undefined, access?: string) => {
    if (access) {
      const t = tokens.get(access)
      if (t) t.revoked = true
    }
    if (!refresh) return
    const r = refreshTokens.get(refresh)
    if (r) r.revoked = true
    for (const t of tokens.values()) if (t.refreshToken === refresh) t.revoked = true
  }

  // ---- reply helpers --------------------------------------------------------------------------
  const json = (body: unknown, status = 200): Reply => ({ status, json: body })
  const routeError = (error: unknown, status = 409): Reply => json({ error_summary: errorSummary(error), error }, status)
  const badRequest = (route: string, message: string): Reply => ({ status: 400, text: `Error in call to API function "${route}": ${message}` })
  const authError = (error: StoneValue): Reply => json({ error_summary: errorSummary(error), error }, 401)
  const oauthError = (error: string, description: string, status = 400): Reply => json({ error, error_description: description }, status)

  // ---- routes -------------------------------------------------------------------------------
  const lookupError = (tag: string) => tagged('path', tagged(tag))

  function folderLowerOf(path: string): { folder: string } | { error: Reply } {
    if (path === '') return { folder: '' }
    const e = fs.lookup(path)
    if (!e) return { error: routeError(lookupError('not_found')) }
    if (e.kind !== 'folder') return { error: routeError(lookupError('not_folder')) }
    return { folder: e.pathLower }
  }

  const revOf = (e: FakeEntry) => (e.kind === 'file' ? e.rev : 'folder')

  function listPage(c: FakeCursor, extra: unknown[] = []): Reply {
    const entries: unknown[] = [...extra]
    for (const snap of c.pending.splice(0, c.limit)) {
      // Serve what is there now (a file may have changed or gone since the listing started).
      const e = fs.entry(snap.pathLower)
      if (!e) continue
      c.seen.set(e.pathLower, revOf(e))
      entries.push(metadataJson(e, true))
    }
    return json({ entries, cursor: c.id, has_more: c.pending.length > 0 })
  }

  function takeSession(id: string): FakeSession | undefined {
    const s = sessions.get(id)
    if (!s || s.finished || nowMs - s.createdAt > SESSION_TTL_MS) return undefined
    return s
  }

  const hashMismatch = (arg: Record<string, unknown>, body: Buffer) => typeof arg.content_hash === 'string' && arg.content_hash !== dropboxContentHash(body)

  const routes: Record<string, RouteDef> = {
    'files/create_folder_v2': {
      origin: 'api',
      style: 'rpc',
      scope: 'files.content.write',
      handler: ({ arg }) => {
        const o = struct(arg, ['path', 'autorename'])
        const path = str(o, 'path', { required: true, pattern: WRITE_PATH })!
        const r = fs.createFolder(path, bool(o, 'autorename') ?? false)
        return 'error' in r ? routeError(tagged('path', r.error)) : json({ metadata: metadataJson(r.ok, false) })
      },
    },
    'files/list_folder': {
      origin: 'api',
      style: 'rpc',
      scope: 'files.metadata.read',
      handler: ({ arg, route }) => {
        const o = struct(arg, [
          'path',
          'recursive',
          'include_media_info',
          'include_deleted',
          'include_has_explicit_shared_members',
          'include_mounted_folders',
          'limit',
          'shared_link',
          'include_property_groups',
          'include_non_downloadable_files',
          'include_restorable_info',
        ])
        const path = str(o, 'path', { required: true, pattern: PATH_R_OR_ID })!
        if (path === '/') return badRequest(route, 'request body: path: Specify the root folder as an empty string rather than as "/".')
        const limit = uint(o, 'limit', { nullable: true, min: 1, max: 2000 }) ?? defaultListLimit
        const recursive = bool(o, 'recursive') ?? false
        for (const k of ['include_media_info', 'include_has_explicit_shared_members', 'include_mounted_folders', 'include_non_downloadable_files', 'include_restorable_info']) bool(o, k)
        const includeDeleted = bool(o, 'include_deleted') ?? false
        if (path !== '' && !path.startsWith('id:')) {
          const bad = fs.checkWritePath(path)
          if (bad?.['.tag'] === 'malformed_path') return routeError(lookupError('malformed_path'))
        }
        const f = folderLowerOf(path)
        if ('error' in f) return f.error
        const c: FakeCursor = {
          id: 'AAF' + token64(40),
          folderLower: f.folder,
          recursive,
          limit,
          includeDeleted,
          pending: fs.children(f.folder, recursive),
          seen: new Map(),
          reset: false,
        }
        cursors.set(c.id, c)
        return listPage(c)
      },
    },
    'files/list_folder/continue': {
      origin: 'api',
      style: 'rpc',
      scope: 'files.metadata.read',
      handler: ({ arg, route }) => {
        const o = struct(arg, ['cursor'])
        const id = str(o, 'cursor', { required: true })!
        const c = cursors.get(id)
        if (!c) return badRequest(route, 'request body: cursor: invalid cursor')
        if (c.reset) return routeError(tagged('reset'))
        if (c.pending.length === 0) {
          // Pagination ended: the same cursor now returns the changes since (§11.12).
          c.pending = fs.children(c.folderLower, c.recursive).filter((e) => c.seen.get(e.pathLower) !== revOf(e))
          const gone = [...c.seen.keys()].filter((k) => !fs.entry(k))
          for (const k of gone) c.seen.delete(k)
          const deleted = c.includeDeleted ? gone.map((k) => ({ '.tag': 'deleted', name: k.slice(k.lastIndexOf('/') + 1), path_lower: k, path_display: k })) : []
          return listPage(c, deleted)
        }
        return listPage(c)
      },
    },
    'files/get_temporary_link': {
      origin: 'api',
      style: 'rpc',
      scope: 'files.content.read',
      handler: ({ arg }) => {
        const o = struct(arg, ['path'])
        const path = str(o, 'path', { required: true, pattern: READ_PATH })!
        const e = fs.lookup(path)
        if (!e) return routeError(lookupError('not_found'))
        if (e.kind !== 'file') return routeError(lookupError('not_file'))
        const link: FakeLink = { id: token64(24), fileId: e.id, createdAt: nowMs }
        links.set(link.id, link)
        return json({ metadata: metadataJson(e, false), link: `${urls.dl}/cd/0/get/${link.id}/file` })
      },
    },
    'files/delete_v2': {
      origin: 'api',
      style: 'rpc',
      scope: 'files.content.write',
      handler: ({ arg }) => {
        const o = struct(arg, ['path', 'parent_rev'])
        const path = str(o, 'path', { required: true, pattern: WRITE_PATH_OR_ID })!
        str(o, 'parent_rev', { nullable: true, pattern: /^[0-9a-f]{9,}$/ })
        const e = fs.delete(path)
        if (!e) return routeError(tagged('path_lookup', tagged('not_found')))
        return json({ metadata: metadataJson(e, true) })
      },
    },
    'users/get_current_account': {
      origin: 'api',
      style: 'rpc',
      scope: 'account_info.read',
      noArg: true,
      handler: () =>
        json({
          account_id: account.accountId,
          name: {
            given_name: account.givenName,
            surname: account.surname,
            familiar_name: account.givenName,
            display_name: account.displayName,
            abbreviated_name: (account.givenName[0] ?? '') + (account.surname[0] ?? ''),
          },
          email: account.email,
          email_verified: true,
          disabled: false,
          country: 'GB',
          locale: 'en',
          referral_link: 'https://www.dropbox.com/referrals/AAAfake?src=app9-1',
          is_paired: false,
          account_type: { '.tag': 'basic' },
          root_info: { '.tag': 'user', root_namespace_id: '3179550035', home_namespace_id: '3179550035' },
        }),
    },
    'auth/token/revoke': {
      origin: 'api',
      style: 'rpc',
      noArg: true,
      handler: ({ token }) => {
        revokeGrant(token.refreshToken, token.accessToken)
        return json(null)
      },
    },
    'files/upload': {
      origin: 'content',
      style: 'upload',
      scope: 'files.content.write',
      handler: ({ arg, body }) => {
        const info = commitInfo(arg, '', ['content_hash'])
        const o = arg as Record<string, unknown>
        str(o, 'content_hash', { nullable: true, pattern: SHA256_HEX })
        if (body.length > maxRequestBytes) return routeError(tagged('payload_too_large'))
        if (hashMismatch(o, body)) return routeError(tagged('content_hash_mismatch'))
        const r = fs.commit(info.path, body, info)
        if ('error' in r) {
          // The data is kept in a session so the commit can be retried with finish (§4.3).
          const s: FakeSession = { id: 'pid_upload_session:' + token64(36), chunks: [body], size: body.length, closed: false, finished: false, createdAt: nowMs }
          sessions.set(s.id, s)
          return routeError({ '.tag': 'path', reason: r.error, upload_session_id: s.id })
        }
        return json(metadataJson(r.ok, false))
      },
    },
    'files/upload_session/start': {
      origin: 'content',
      style: 'upload',
      scope: 'files.content.write',
      handler: ({ arg, body, route }) => {
        const o = struct(arg, ['close', 'session_type', 'content_hash'])
        const close = bool(o, 'close') ?? false
        const type = o.session_type === null ? undefined : unionTag(o.session_type, 'session_type', ['sequential', 'concurrent'])
        str(o, 'content_hash', { nullable: true, pattern: SHA256_HEX })
        if (type?.tag === 'concurrent') return badRequest(route, 'fake: concurrent upload sessions are not implemented')
        if (body.length > maxRequestBytes) return routeError(tagged('payload_too_large'))
        if (hashMismatch(o, body)) return routeError(tagged('content_hash_mismatch'))
        const s: FakeSession = { id: 'pid_upload_session:' + token64(36), chunks: [body], size: body.length, closed: close, finished: false, createdAt: nowMs }
        sessions.set(s.id, s)
        return json({ session_id: s.id })
      },
    },
    'files/upload_session/append_v2': {
      origin: 'content',
      style: 'upload',
      scope: 'files.content.write',
      handler: ({ arg, body }) => {
        const o = struct(arg, ['cursor', 'close', 'content_hash'])
        const cursor = cursorArg(o.cursor, '')
        const close = bool(o, 'close') ?? false
        str(o, 'content_hash', { nullable: true, pattern: SHA256_HEX })
        const s = takeSession(cursor.sessionId)
        if (!s) return routeError(tagged('not_found'))
        if (s.closed) return routeError(tagged('closed'))
        // UploadSessionOffsetError is a struct: correct_offset is inlined next to .tag (§4.5).
        if (cursor.offset !== s.size) return routeError({ '.tag': 'incorrect_offset', correct_offset: s.size })
        if (body.length > maxRequestBytes) return routeError(tagged('payload_too_large'))
        if (hashMismatch(o, body)) return routeError(tagged('content_hash_mismatch'))
        if (s.size + body.length > maxSessionBytes) return routeError(tagged('too_large'))
        s.chunks.push(body)
        s.size += body.length
        if (close) s.closed = true
        return json(null)
      },
    },
    'files/upload_session/finish': {
      origin: 'content',
      style: 'upload',
      scope: 'files.content.write',
      handler: ({ arg, body }) => {
        const o = struct(arg, ['cursor', 'commit', 'content_hash'])
        const cursor = cursorArg(o.cursor, '')
        const info = commitInfo(o.commit, 'commit: ')
        str(o, 'content_hash', { nullable: true, pattern: SHA256_HEX })
        const s = takeSession(cursor.sessionId)
        // lookup_failed holds a union, so it nests (§4.6).
        if (!s) return routeError(tagged('lookup_failed', tagged('not_found')))
        if (s.closed && body.length > 0) return routeError(tagged('lookup_failed', tagged('closed')))
        if (cursor.offset !== s.size) return routeError(tagged('lookup_failed', { '.tag': 'incorrect_offset', correct_offset: s.size }))
        if (body.length > maxRequestBytes) return routeError(tagged('payload_too_large'))
        if (hashMismatch(o, body)) return routeError(tagged('content_hash_mismatch'))
        if (s.size + body.length > maxSessionBytes) return routeError(tagged('lookup_failed', tagged('too_large')))
        if (body.length > 0) {
          s.chunks.push(body)
          s.size += body.length
        }
        // "Data has already been appended to the upload session": a failed commit keeps it.
        const r = fs.commit(info.path, Buffer.concat(s.chunks), info)
        if ('error' in r) return routeError(tagged('path', r.error))
        s.finished = true
        s.chunks = []
        return json(metadataJson(r.ok, false))
      },
    },
    'files/download': {
      origin: 'content',
      style: 'download',
      scope: 'files.content.read',
      handler: ({ arg, req }) => {
        const o = struct(arg, ['path', 'rev'])
        const path = str(o, 'path', { required: true, pattern: READ_PATH })!
        str(o, 'rev', { nullable: true, pattern: /^[0-9a-f]{9,}$/ })
        const e = fs.lookup(path)
        if (!e) return routeError(lookupError('not_found'))
        if (e.kind !== 'file') return routeError(lookupError('not_file'))
        return bytesReply(e, req, { 'Dropbox-API-Result': headerSafeJson(metadataJson(e, false)), 'Content-Type': 'application/octet-stream' })
      },
    },
  }

  function bytesReply(f: FakeFile, req: http.IncomingMessage, headers: Record<string, string>): Reply {
    const range = req.headers.range
    if (range) {
      const m = /^bytes=(\d*)-(\d*)$/.exec(range)
      const size = f.bytes.length
      let start = m?.[1] ? Number(m[1]) : NaN
      let end = m?.[2] ? Number(m[2]) : size - 1
      if (m && !m[1] && m[2]) {
        start = Math.max(0, size - Number(m[2]))
        end = size - 1
      }
      if (!m || Number.isNaN(start) || start >= size || end < start) return { status: 416, text: 'Requested range not satisfiable', headers: { 'Content-Range': `bytes */${size}` } }
      end = Math.min(end, size - 1)
      return { status: 206, bytes: f.bytes.subarray(start, end + 1), headers: { ...headers, 'Content-Range': `bytes ${start}-${end}/${size}` } }
    }
    return { status: 200, bytes: f.bytes, headers }
  }

  // ---- OAuth ---------------------------------------------------------------------------------
  function authorize(params: URLSearchParams): { code: string; state: string | undefined; location: string | undefined } | { error: string } {
    if (params.get('client_id') !== app.key) return { error: 'invalid client_id' }
    if (params.get('response_type') !== 'code') return { error: 'response_type must be "code"' }
    const redirectUri = params.get('redirect_uri') ?? undefined
    if (redirectUri !== undefined && options.redirectUris && !options.redirectUris.includes(redirectUri)) return { error: 'redirect_uri is not registered' }
    const challenge = params.get('code_challenge') ?? undefined
    const method = params.get('code_challenge_method') ?? (challenge ? 'plain' : undefined)
    if (challenge !== undefined && method !== 'S256') return { error: 'the fake supports code_challenge_method=S256 only' }
    const tat = params.get('token_access_type') ?? 'legacy'
    if (!['offline', 'online', 'legacy'].includes(tat)) return { error: 'invalid token_access_type' }
    const scopes = params.get('scope')?.split(' ').filter(Boolean) ?? ALL_SCOPES
    const code: FakeCode = {
      code: token64(32),
      clientId: app.key,
      redirectUri,
      challenge,
      offline: tat === 'offline',
      scopes,
      used: false,
      expiresAt: nowMs + CODE_TTL_MS,
    }
    codes.set(code.code, code)
    const state = params.get('state') ?? undefined
    let location: string | undefined
    if (redirectUri) {
      const u = new URL(redirectUri)
      u.searchParams.set('code', code.code)
      if (state !== undefined) u.searchParams.set('state', state)
      location = u.toString()
    }
    return { code: code.code, state, location }
  }

  const safeEqual = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

  function tokenEndpoint(req: http.IncomingMessage, url: URL, body: Buffer, log: FakeRequest): Reply {
    if (req.method !== 'POST') return { status: 405, text: 'Method not allowed' }
    const ct = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
    if (body.length > 0 && ct !== 'application/x-www-form-urlencoded') return oauthError('invalid_request', 'Content-Type must be application/x-www-form-urlencoded')
    // Form body and query parameters are both accepted (the JS SDK uses the query string).
    const p = new URLSearchParams(url.searchParams)
    for (const [k, v] of new URLSearchParams(body.toString('utf8'))) p.set(k, v)
    log.formKeys = [...new Set(p.keys())].sort()
    let clientId = p.get('client_id') ?? undefined
    let secret = p.get('client_secret') ?? undefined
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '')
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8')
      const i = decoded.indexOf(':')
      if (i < 0) return oauthError('invalid_client', 'malformed Basic credentials', 401)
      clientId = decodeURIComponent(decoded.slice(0, i))
      secret = decodeURIComponent(decoded.slice(i + 1))
    }
    if (clientId !== app.key) return oauthError('invalid_client', 'unknown client', basic ? 401 : 400)
    if (secret !== undefined && !safeEqual(secret, app.secret)) return oauthError('invalid_client', 'invalid client credentials', basic ? 401 : 400)
    const grant = p.get('grant_type')
    if (grant === 'authorization_code') {
      const code = codes.get(p.get('code') ?? '')
      if (!code || code.used || nowMs > code.expiresAt || code.clientId !== clientId) return oauthError('invalid_grant', "code doesn't exist or has expired")
      if (code.redirectUri !== undefined && p.get('redirect_uri') !== code.redirectUri) return oauthError('invalid_grant', 'redirect_uri mismatch')
      if (code.challenge !== undefined) {
        const verifier = p.get('code_verifier')
        if (!verifier || !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return oauthError('invalid_grant', 'invalid code verifier')
        if (!safeEqual(createHash('sha256').update(verifier).digest('base64url'), code.challenge)) return oauthError('invalid_grant', 'invalid code verifier')
      } else if (secret === undefined) {
        return oauthError('invalid_client', 'client_secret or code_verifier required')
      }
      code.used = true
      const refresh = code.offline ? newRefreshToken(clientId, code.scopes) : undefined
      const t = newAccessToken(refresh, code.scopes)
      return json({
        access_token: t.accessToken,
        token_type: 'bearer',
        expires_in: ttl,
        ...(refresh ? { refresh_token: refresh.refreshToken } : {}),
        scope: code.scopes.join(' '),
        uid: '12345678',
        account_id: account.accountId,
      })
    }
    if (grant === 'refresh_token') {
      const r = refreshTokens.get(p.get('refresh_token') ?? '')
      if (!r || r.revoked || r.clientId !== clientId) return oauthError('invalid_grant', 'refresh token is invalid or revoked')
      const t = newAccessToken(r, r.scopes)
      // No refresh_token in a refresh response: it does not rotate (§2.2).
      return json({ access_token: t.accessToken, token_type: 'bearer', expires_in: ttl })
    }
    if (!grant) return oauthError('invalid_request', 'missing grant_type')
    return oauthError('unsupported_grant_type', `grant_type "${grant}" is not supported`)
  }

  // ---- request pipeline ----------------------------------------------------------------------
  function parseArg(route: string, def: RouteDef, req: http.IncomingMessage, url: URL, body: Buffer): { arg: unknown; header?: string } | { error: Reply } {
    const ct = req.headers['content-type']
    if (def.style === 'rpc') {
      if (body.length === 0) {
        // No-argument routes: no body (JS SDK) or `null` (Python SDK). An empty body with a JSON type: UNVERIFIED, accepted.
        if (def.noArg) return { arg: null }
        return { error: badRequest(route, 'request body: could not decode input as JSON') }
      }
      if (!ct || !RPC_TYPES.includes(ct.toLowerCase())) {
        return { error: badRequest(route, `Bad HTTP "Content-Type" header: "${ct ?? ''}".  Expecting one of "application/json", "text/plain; charset=dropbox-cors-hack".`) }
      }
      let arg: unknown
      try {
        arg = JSON.parse(body.toString('utf8'))
      } catch {
        return { error: badRequest(route, 'request body: could not decode input as JSON') }
      }
      if (def.noArg && arg !== null) return { error: badRequest(route, 'request body: expected null, got value') }
      return { arg }
    }
    let header = req.headers['dropbox-api-arg']
    if (Array.isArray(header)) header = header[0]
    if (def.style === 'upload') {
      if (!ct || !UPLOAD_TYPES.includes(ct.toLowerCase())) {
        return { error: badRequest(route, `Bad HTTP "Content-Type" header: "${ct ?? ''}".  Expecting one of "application/octet-stream", "text/plain; charset=dropbox-cors-hack".`) }
      }
    } else {
      // Download: no body, no Content-Type (UNVERIFIED what Dropbox does; the fake refuses).
      if (body.length > 0 || ct) return { error: badRequest(route, 'download routes take no request body and no "Content-Type" header') }
      if (header === undefined && req.method === 'GET') header = url.searchParams.get('arg') ?? undefined
    }
    if (header === undefined) return { error: badRequest(route, 'Missing "Dropbox-API-Arg" header') }
    // Node hands header bytes over as latin1: anything ≥ 0x7F means the client did not escape it.
    if (/[\u007f-\uffff]/.test(header)) return { error: badRequest(route, 'HTTP header "Dropbox-API-Arg": could not decode input as JSON') }
    try {
      return { arg: JSON.parse(header), header }
    } catch {
      return { error: badRequest(route, 'HTTP header "Dropbox-API-Arg": could not decode input as JSON') }
    }
  }

  function authenticate(route: string, def: RouteDef, req: http.IncomingMessage, url: URL, log: FakeRequest): { token: FakeToken } | { error: Reply } {
    let header = req.headers.authorization
    if (header === undefined && def.style === 'download' && req.method === 'GET' && url.searchParams.has('authorization')) header = url.searchParams.get('authorization')!
    if (header === undefined) return { error: badRequest(route, 'Must provide HTTP header "Authorization" or URL parameter "authorization".') }
    const m = /^Bearer (\S+)$/i.exec(header)
    if (!m) return { error: { status: 400, text: `Error in call to API function "${route}": The given OAuth 2 access token is malformed.` } }
    log.token = m[1]
    const t = tokens.get(m[1]!)
    if (!t || t.revoked) return { error: authError(tagged('invalid_access_token')) }
    if (nowMs >= t.expiresAt) return { error: authError(tagged('expired_access_token')) }
    if (def.scope && !t.scopes.includes(def.scope)) return { error: authError({ '.tag': 'missing_scope', required_scope: def.scope }) }
    return { token: t }
  }

  function takeInjection(route: string, afterProcessing: boolean): Injection | undefined {
    const q = injections.get(route)
    const i = q?.find((x) => x.afterProcessing === afterProcessing)
    if (!q || !i) return undefined
    if (--i.times <= 0) q.splice(q.indexOf(i), 1)
    return i
  }

  function handleApiOrContent(origin: 'api' | 'content', req: http.IncomingMessage, url: URL, body: Buffer, log: FakeRequest): Reply {
    if (origin === 'api' && log.route === 'oauth2/token') {
      const injected = takeInjection(log.route, false)
      return injected ? injected.reply(log.route) : tokenEndpoint(req, url, body, log)
    }
    if (origin === 'api' && log.route === 'oauth2/authorize') {
      if (req.method !== 'GET') return { status: 405, text: 'Method not allowed' }
      const r = authorize(url.searchParams)
      if ('error' in r) return { status: 400, text: r.error }
      if (r.location) return { status: 302, text: '', headers: { Location: r.location } }
      return { status: 200, text: `Enter this code into your app: ${r.code}`, headers: { 'Content-Type': 'text/html; charset=utf-8' } }
    }
    if (!url.pathname.startsWith('/2/')) return { status: 404, text: 'Not found' }
    const route = log.route
    const def = routes[route]
    // A content route on the api host (or vice versa) does not exist there.
    if (!def || def.origin !== origin) return { status: 404, text: `Unknown API function: "${route}"` }
    if (req.method !== 'POST' && !(def.style === 'download' && req.method === 'GET')) return { status: 405, text: 'Method not allowed' }
    const before = takeInjection(route, false)
    if (before) return before.reply(route)
    const parsed = parseArg(route, def, req, url, body)
    if ('error' in parsed) return parsed.error
    log.arg = parsed.arg
    log.argHeader = parsed.header
    const auth = authenticate(route, def, req, url, log)
    if ('error' in auth) return auth.error
    let reply: Reply
    try {
      reply = def.handler({ route, arg: parsed.arg, body, token: auth.token, req, url })
    } catch (err) {
      if (!(err instanceof SchemaError)) throw err
      const where = def.style === 'rpc' ? 'request body' : 'HTTP header "Dropbox-API-Arg"'
      return badRequest(route, `${where}: ${err.message}`)
    }
    const after = takeInjection(route, true)
    return after ? after.reply(route) : reply
  }

  function handleDl(req: http.IncomingMessage, url: URL): Reply {
    const m = /^\/cd\/0\/get\/([^/]+)\/file$/.exec(url.pathname)
    if (req.method !== 'GET' && req.method !== 'HEAD') return { status: 405, text: 'Method not allowed' }
    const link = m ? links.get(m[1]!) : undefined
    if (!link) return { status: 404, text: 'Not found' }
    if (nowMs - link.createdAt > TEMP_LINK_TTL_MS) return { status: 410, text: 'Gone' }
    const e = fs.byId(link.fileId)
    if (!e || e.kind !== 'file') return { status: 404, text: 'Not found' }
    return bytesReply(e, req, { 'Content-Type': contentTypeOf(e.name), 'Content-Disposition': `attachment; filename="${e.name.replace(/[^\x20-\x7e]|"/g, '_')}"` })
  }

  function send(res: http.ServerResponse, reply: Reply): void {
    const headers: Record<string, string> = { 'X-Dropbox-Request-Id': randomBytes(16).toString('hex'), ...reply.headers }
    let payload: Buffer
    if (reply.bytes) payload = reply.bytes
    else if (reply.text !== undefined) {
      payload = Buffer.from(reply.text, 'utf8')
      headers['Content-Type'] ??= 'text/plain; charset=utf-8'
    } else {
      payload = Buffer.from(JSON.stringify(reply.json ?? null), 'utf8')
      // Exactly application/json (the Python SDK checks equality; §0.5).
      headers['Content-Type'] = 'application/json'
    }
    headers['Content-Length'] = String(payload.length)
    res.writeHead(reply.status, headers)
    res.end(res.req.method === 'HEAD' ? undefined : payload)
  }

  function serve(origin: Origin): http.Server {
    return http.createServer((req, res) => {
      const chunks: Buffer[] = []
      let size = 0
      req.on('data', (c: Buffer) => {
        chunks.push(c)
        size += c.length
      })
      req.on('error', () => undefined)
      req.on('aborted', () => requests.push({ origin, method: req.method ?? '', route: routeOf(req.url ?? '/'), status: 499, bodyBytes: size, at: clock.now() }))
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://fake')
        const body = Buffer.concat(chunks, size)
        const log: FakeRequest = {
          origin,
          method: req.method ?? '',
          route: routeOf(url.pathname),
          status: 0,
          contentType: req.headers['content-type'],
          authScheme: /^(\w+) /.exec(req.headers.authorization ?? '')?.[1],
          bodyBytes: body.length,
          at: clock.now(),
        }
        let reply: Reply
        try {
          reply = origin === 'dl' ? handleDl(req, url) : handleApiOrContent(origin, req, url, body, log)
        } catch (err) {
          reply = { status: 500, text: `fake crashed: ${(err as Error).stack ?? String(err)}` }
        }
        log.status = reply.status
        if (reply.json && typeof reply.json === 'object' && 'error_summary' in reply.json) log.errorSummary = String((reply.json as { error_summary: unknown }).error_summary)
        requests.push(log)
        send(res, reply)
      })
    })
  }

  const servers = { api: serve('api'), content: serve('content'), dl: serve('dl') }
  const listen = (s: http.Server) =>
    new Promise<string>((resolve) => s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)))
  const urls = { api: await listen(servers.api), content: await listen(servers.content), dl: await listen(servers.dl) }

  const inject = (route: string, i: Injection) => {
    const q = injections.get(route) ?? []
    q.push(i)
    injections.set(route, q)
  }

  return {
    apiUrl: urls.api,
    contentUrl: urls.content,
    dlUrl: urls.dl,
    tokenUrl: `${urls.api}/oauth2/token`,
    authorizeUrl: `${urls.api}/oauth2/authorize`,
    app,
    account,
    state: { files: fs.files, folders: fs.folders, sessions, tokens, refreshTokens, codes, links, requests },
    clock,
    issueToken(opts = {}) {
      const scopes = opts.scopes ?? ALL_SCOPES
      const refresh = opts.refresh === false ? undefined : newRefreshToken(app.key, scopes)
      return newAccessToken(refresh, scopes, opts.expiresInSeconds).accessToken
    },
    issueTokens(opts = {}) {
      const scopes = opts.scopes ?? ALL_SCOPES
      const refresh = newRefreshToken(app.key, scopes)
      return { accessToken: newAccessToken(refresh, scopes, opts.expiresInSeconds).accessToken, refreshToken: refresh.refreshToken }
    },
    expireToken(t) {
      const tok = tokens.get(t)
      if (!tok) throw new Error('expireToken: unknown token')
      tok.expiresAt = nowMs - 1000
    },
    revokeToken(t) {
      const tok = tokens.get(t)
      if (tok) revokeGrant(tok.refreshToken, t)
      else if (refreshTokens.has(t)) revokeGrant(t)
      else throw new Error('revokeToken: unknown token')
    },
    authorize(urlOrParams) {
      const params =
        typeof urlOrParams === 'string' || urlOrParams instanceof URL ? new URL(urlOrParams.toString()).searchParams : new URLSearchParams(urlOrParams)
      const r = authorize(params)
      if ('error' in r) throw new Error(`authorize: ${r.error}`)
      return r
    },
    inject429(route, opts = {}) {
      const retryAfter = opts.retryAfter ?? 1
      const reason = opts.reason ?? 'too_many_requests'
      inject(route, {
        times: opts.times ?? 1,
        afterProcessing: false,
        reply: () =>
          opts.plainText
            ? { status: 429, text: 'Too many requests', headers: { 'Retry-After': String(retryAfter) } }
            : { status: 429, json: { error_summary: `${reason}/..`, error: { reason: { '.tag': reason }, retry_after: retryAfter } }, headers: { 'Retry-After': String(retryAfter) } },
      })
    },
    inject5xx(route, opts = {}) {
      const status = opts.status ?? 500
      inject(route, {
        times: opts.times ?? 1,
        afterProcessing: opts.afterProcessing ?? false,
        reply: () => ({
          status,
          text: status === 503 ? 'Service Unavailable' : '<html><body><h1>Internal Server Error</h1></body></html>',
          headers: { 'Content-Type': status === 503 ? 'text/plain' : 'text/html', ...(opts.retryAfter !== undefined ? { 'Retry-After': String(opts.retryAfter) } : {}) },
        }),
      })
    },
    injectError(route, error, opts = {}) {
      inject(route, { times: opts.times ?? 1, afterProcessing: false, reply: () => routeError(error, opts.status ?? 409) })
    },
    resetCursors() {
      for (const c of cursors.values()) c.reset = true
    },
    setQuota(bytes) {
      fs.quota = bytes
    },
    file: (path) => fs.files.get(path.toLowerCase()),
    folder: (path) => fs.folders.get(path.toLowerCase()),
    seedFile(path, bytes) {
      const r = fs.commit(path, bytes, { mode: 'overwrite', autorename: false, strictConflict: false })
      if ('error' in r) throw new Error(`seedFile: ${errorSummary(r.error)}`)
      return r.ok
    },
    seedFolder(path) {
      const r = fs.createFolder(path, false)
      if ('error' in r) throw new Error(`seedFolder: ${errorSummary(r.error)}`)
      return r.ok
    },
    calls: (route) => requests.filter((r) => r.route === route),
    async close() {
      await Promise.all(
        Object.values(servers).map(
          (s) =>
            new Promise<void>((resolve) => {
              s.closeAllConnections()
              s.close(() => resolve())
            }),
        ),
      )
    },
  }
}

const routeOf = (pathname: string) => pathname.replace(/^\/(2\/)?/, '').replace(/\?.*$/, '')

/** Same escaping Dropbox applies to Dropbox-API-Result (presumed, §0.5). */
function headerSafeJson(v: unknown): string {
  return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))
}

function contentTypeOf(name: string): string {
  const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase()
  const types: Record<string, string> = {
    pdf: 'application/pdf',
    png: 'image/png',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    zip: 'application/zip',
    docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    txt: 'text/plain',
  }
  return types[ext] ?? 'application/octet-stream'
}
