// The Dropbox provider of FileStore, plus what the upload flow and settings need (folders, links).
// put() is an upload session: nothing is committed (`finish`) until the whole stream has ended
// within maxBytes, so a rejected, oversized or aborted upload never lands in the customer's Dropbox.
// Only one chunk (8 MiB by default) is held in memory at a time.
import type { Readable } from 'node:stream'
import { AppError } from '../errors.js'
import { DropboxContentHasher, dropboxContentHash } from './content-hash.js'
import { DropboxAuthError, DropboxError, type DropboxApi } from './dropbox-api.js'
import { safeName, type FileStore, type PutResult } from './file-store.js'
import { TooLargeError } from './local-store.js'

export const DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024
/** Dropbox's per-request body limit (150 MiB). */
const MAX_CHUNK_SIZE = 150 * 1024 * 1024
/** get_temporary_link: "will expire in four hours". */
export const TEMPORARY_LINK_TTL_MS = 4 * 3600_000
const MAX_OFFSET_RECOVERIES = 3
const MAX_CURSOR_RESETS = 3

/** FileMetadata as Dropbox returns it (only the fields we read; unknown fields are ignored). */
export interface DropboxFileMetadata {
  name: string
  id: string
  path_lower?: string | null
  path_display?: string | null
  size: number
  rev?: string
  content_hash?: string
  server_modified?: string
  client_modified?: string
}

export interface DropboxPutResult extends PutResult {
  size: number
  /** Where the file really landed (`path_display`), after autorename: store this, not the key. */
  path: string
  id: string
  rev: string | undefined
  contentHash: string
}

export interface DropboxFolder {
  name: string
  /** `path_display`: pass it back to listFolders / createFolder / join. */
  path: string
  id: string
}

export interface DropboxStore extends FileStore {
  readonly provider: 'dropbox'
  readonly rootPath: string
  /**
   * The Dropbox path for a key (see the rules at `resolvePath`). Throws AppError VALIDATION.
   * get / temporaryLink / delete / listFolders also take the `id:…` that put() returns, which
   * keeps working after the file is moved or renamed in Dropbox.
   */
  resolve(key: string): string
  /** `base` (a path or key) + sanitised child names. Use it for record folders and file names. */
  join(base: string, ...names: string[]): string
  put(key: string, body: Readable, options?: { maxBytes?: number }): Promise<DropboxPutResult>
  /** create_folder_v2 with autorename:false; an existing folder is success (`created: false`). */
  createFolder(path: string): Promise<{ path: string; created: boolean }>
  /** The sub-folders of `path` ("" or "/" = the root), all pages, sorted by name. */
  listFolders(path?: string, options?: { limit?: number }): Promise<DropboxFolder[]>
  /** A pre-signed link for a download redirect, valid for 4 hours. */
  temporaryLink(path: string): Promise<{ url: string; expiresAt: Date; name: string; size: number }>
}

export interface DropboxStoreOptions {
  api: DropboxApi
  /** A Dropbox folder every key lives under, e.g. "/Coeffection". Default "" (the root or the app folder). */
  rootPath?: string
  /** Bytes per upload request. Default 8 MiB; keep it a multiple of 4 MiB against real Dropbox. */
  chunkSize?: number
  now?: () => Date
}

const invalidPath = () => new AppError('VALIDATION', 'Invalid storage path')
const CONTROL = /[\u0000-\u001f\u007f]/

/** Validates an absolute Dropbox path; returns it without a trailing slash ("" for the root). */
function checkAbsolute(p: string): string {
  if (p === '' || p === '/') return ''
  if (!p.startsWith('/')) throw invalidPath()
  const parts = p.slice(1).replace(/\/+$/, '').split('/')
  for (const c of parts) {
    // Empty, dot, control characters, backslash, trailing space, > 255 UTF-16 units: all refused.
    if (c === '' || c === '.' || c === '..' || CONTROL.test(c) || c.includes('\\') || c !== c.trimEnd() || c.length > 255) throw invalidPath()
  }
  return '/' + parts.join('/')
}

/** A Dropbox file or folder id, as returned in metadata (`id:a4ayc_80_OEAAAAAAAAAXw`). */
const DROPBOX_ID = /^id:[A-Za-z0-9_-]{1,128}$/

const within = (path: string, root: string) => root === '' || path.toLowerCase() === root.toLowerCase() || path.toLowerCase().startsWith(root.toLowerCase() + '/')

/**
 * Key → Dropbox path.
 * - A relative key (`ws/records/id-name.pdf`) is split on `/` and `\`; every component goes through
 *   `safeName` and the result is joined under the root. `.` and `..` components are refused.
 * - An absolute path (`/Clients/Acme`, e.g. a folder picked from listFolders) is kept as it is, but
 *   must be a clean path (no `.`/`..`, control characters, backslashes) inside the root.
 */
export function resolvePath(root: string, key: string): string {
  if (key.startsWith('/')) {
    const abs = checkAbsolute(key)
    if (!within(abs, root)) throw invalidPath()
    return abs
  }
  const parts = key.split(/[/\\]/).filter((c) => c !== '')
  if (parts.some((c) => c.trim() === '.' || c.trim() === '..')) throw invalidPath()
  return [root, ...parts.map((c) => safeName(c))].join('/')
}

export function createDropboxStore(options: DropboxStoreOptions): DropboxStore {
  const { api } = options
  const root = checkAbsolute(options.rootPath ?? '')
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) throw new Error('chunkSize must be 1 byte … 150 MiB')
  const now = options.now ?? (() => new Date())
  const resolve = (key: string) => resolvePath(root, key)
  /** A file to write: a path (never an id), below the root. */
  const resolveFile = (key: string) => {
    if (key.startsWith('id:')) throw invalidPath()
    const p = resolve(key)
    if (p === root) throw invalidPath()
    return p
  }
  /** A file to read or delete: a path below the root, or an id we were given by Dropbox. */
  const resolveExisting = (key: string) => (DROPBOX_ID.test(key) ? key : resolveFile(key))

  async function start(data: Buffer): Promise<string> {
    const r = await api.upload<{ session_id: string }>('files/upload_session/start', { close: false, content_hash: dropboxContentHash(data) }, data)
    return r.session_id
  }

  /**
   * Sends `data` at `offset` through `send`. On `incorrect_offset` whose `correct_offset` shows that
   * Dropbox already holds part or all of it (a retried request whose first answer was lost), sends
   * only the rest. Returns the result and the offset after `data`.
   */
  async function sendAt<T>(offset: number, data: Buffer, send: (offset: number, rest: Buffer) => Promise<T>, mustSend: boolean): Promise<T | undefined> {
    let rest = data
    for (let recoveries = 0; ; recoveries++) {
      try {
        return await send(offset, rest)
      } catch (err) {
        const c = err instanceof DropboxError && err.has('incorrect_offset') ? err.correctOffset : undefined
        if (c === undefined || recoveries >= MAX_OFFSET_RECOVERIES || c <= offset || c > offset + rest.length) throw err
        rest = rest.subarray(c - offset)
        offset = c
        if (rest.length === 0 && !mustSend) return undefined
      }
    }
  }

  const append = (sessionId: string, offset: number, data: Buffer) =>
    sendAt(
      offset,
      data,
      (at, rest) =>
        api.upload<null>('files/upload_session/append_v2', { cursor: { session_id: sessionId, offset: at }, close: false, content_hash: dropboxContentHash(rest) }, rest),
      false,
    )

  const finish = async (sessionId: string, offset: number, data: Buffer, path: string) =>
    (await sendAt(
      offset,
      data,
      (at, rest) =>
        api.upload<DropboxFileMetadata>(
          'files/upload_session/finish',
          { cursor: { session_id: sessionId, offset: at }, commit: { path, mode: 'add', autorename: true }, content_hash: dropboxContentHash(rest) },
          rest,
        ),
      true,
    ))!

  return {
    provider: 'dropbox',
    rootPath: root,
    resolve,
    join(base, ...names) {
      let p = resolve(base)
      for (const name of names) {
        if (name.trim() === '.' || name.trim() === '..') throw invalidPath()
        // Separators inside a name are not structure: "Q1/Q2 plan" is one folder, "../../x" is "x".
        p = `${p}/${safeName(name.replace(/[/\\]+/g, ' '))}`
      }
      return p
    },

    async put(key, body, putOptions = {}) {
      const path = resolveFile(key)
      const maxBytes = putOptions.maxBytes
      const whole = new DropboxContentHasher()
      let size = 0
      let sessionId: string | undefined
      let offset = 0
      let pieces: Buffer[] = []
      let filled = 0
      const sendChunk = async (data: Buffer) => {
        if (sessionId === undefined) sessionId = await start(data)
        else await append(sessionId, offset, data)
        offset += data.length
      }
      try {
        for await (const piece of body as AsyncIterable<Buffer | string>) {
          const buf = typeof piece === 'string' ? Buffer.from(piece) : piece
          size += buf.length
          // Checked before the bytes go anywhere: the (max + 1)th byte aborts, the session is abandoned.
          if (maxBytes !== undefined && size > maxBytes) throw new TooLargeError(maxBytes)
          whole.update(buf)
          let pos = 0
          while (buf.length - pos >= chunkSize - filled) {
            const n = chunkSize - filled
            pieces.push(buf.subarray(pos, pos + n))
            pos += n
            const data = Buffer.concat(pieces, chunkSize)
            pieces = []
            filled = 0
            await sendChunk(data)
          }
          if (pos < buf.length) {
            pieces.push(buf.subarray(pos))
            filled += buf.length - pos
          }
        }
        // The stream ended within the limit: only now is the file committed.
        let last = Buffer.concat(pieces, filled)
        pieces = []
        if (sessionId === undefined) {
          await sendChunk(last)
          last = Buffer.alloc(0)
        }
        const contentHash = whole.digest()
        const meta = await finish(sessionId!, offset, last, path)
        const landed = meta.path_display ?? meta.path_lower ?? path
        if ((meta.content_hash !== undefined && meta.content_hash !== contentHash) || (typeof meta.size === 'number' && meta.size !== size)) {
          await api.rpc('files/delete_v2', { path: meta.id ?? landed }).catch(() => undefined)
          throw new AppError('INTERNAL', 'Dropbox stored different bytes than were sent; the file was removed')
        }
        return { size, path: landed, id: meta.id, rev: meta.rev, contentHash }
      } catch (err) {
        throw toAppError(err, 'file')
      }
    },

    async createFolder(key) {
      if (key.startsWith('id:')) throw invalidPath()
      const path = resolve(key)
      if (path === '') return { path: '', created: false }
      try {
        const r = await api.rpc<{ metadata: { path_display?: string | null; path_lower?: string | null } }>('files/create_folder_v2', { path, autorename: false })
        return { path: r.metadata.path_display ?? r.metadata.path_lower ?? path, created: true }
      } catch (err) {
        if (err instanceof DropboxError && err.is('path', 'conflict', 'folder')) return { path, created: false }
        throw toAppError(err, 'folder')
      }
    },

    async listFolders(key = '', listOptions = {}) {
      const path = DROPBOX_ID.test(key) ? key : resolve(key)
      const arg = { path, ...(listOptions.limit !== undefined ? { limit: listOptions.limit } : {}) }
      type Entry = { '.tag'?: string; name?: string; id?: string; path_lower?: string | null; path_display?: string | null }
      type Page = { entries: Entry[]; cursor: string; has_more: boolean }
      const folders = new Map<string, DropboxFolder>()
      try {
        for (let resets = 0; ; resets++) {
          folders.clear()
          let page = await api.rpc<Page>('files/list_folder', arg)
          let reset = false
          for (;;) {
            for (const e of page.entries ?? []) {
              if (e['.tag'] !== 'folder' || typeof e.name !== 'string') continue
              const display = e.path_display ?? e.path_lower ?? `${path}/${e.name}`
              const lower = (e.path_lower ?? display).toLowerCase()
              // A recursive listing may or may not include the folder itself (UNVERIFIED): skip it.
              if (lower === path.toLowerCase()) continue
              folders.set(lower, { name: e.name, path: display, id: e.id ?? '' })
            }
            if (!page.has_more) break
            try {
              page = await api.rpc<Page>('files/list_folder/continue', { cursor: page.cursor })
            } catch (err) {
              if (err instanceof DropboxError && err.tag === 'reset' && resets < MAX_CURSOR_RESETS) {
                reset = true
                break
              }
              throw err
            }
          }
          if (!reset) break
        }
      } catch (err) {
        throw toAppError(err, 'folder')
      }
      return [...folders.values()].sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base', numeric: true }) || (a.name < b.name ? -1 : 1))
    },

    async temporaryLink(key) {
      const path = resolveExisting(key)
      const requestedAt = now().getTime()
      try {
        const r = await api.rpc<{ link: string; metadata: DropboxFileMetadata }>('files/get_temporary_link', { path })
        return { url: r.link, expiresAt: new Date(requestedAt + TEMPORARY_LINK_TTL_MS), name: r.metadata.name, size: r.metadata.size }
      } catch (err) {
        throw toAppError(err, 'file')
      }
    },

    async get(key) {
      const path = resolveExisting(key)
      try {
        return (await api.download<DropboxFileMetadata>('files/download', { path })).body
      } catch (err) {
        throw toAppError(err, 'file')
      }
    },

    async delete(key) {
      const path = resolveExisting(key)
      try {
        await api.rpc('files/delete_v2', { path })
      } catch (err) {
        if (err instanceof DropboxError && !(err instanceof DropboxAuthError) && err.has('not_found')) return
        throw toAppError(err, 'file')
      }
    },
  }
}

/**
 * Dropbox route errors a person can act on, as AppErrors with a clear message. Auth errors
 * (DropboxAuthError: mark the connection broken), our own AppErrors, stream errors and anything
 * unexpected pass through unchanged.
 */
export function toAppError(err: unknown, what: 'file' | 'folder' = 'file'): unknown {
  if (!(err instanceof DropboxError) || err instanceof DropboxAuthError) return err
  // Session bookkeeping errors (expired session, lost offset) are ours, not the person's: keep them as they are.
  if (err.route.startsWith('files/upload_session/') && ['lookup_failed', 'not_found', 'closed', 'incorrect_offset'].includes(err.tag)) return err
  if (err.has('insufficient_space')) return new AppError('CONFLICT', 'The connected Dropbox is full, so the file was not stored')
  if (err.has('disallowed_name')) return new AppError('VALIDATION', `Dropbox does not accept this ${what} name`, 'file')
  if (err.has('malformed_path')) return new AppError('VALIDATION', `This ${what} name is not valid in Dropbox`, 'file')
  if (err.has('no_write_permission') || err.has('team_folder')) return new AppError('FORBIDDEN', 'The connected Dropbox does not allow writing to this folder')
  if (err.status === 429 || err.has('too_many_write_operations')) {
    const wait = err.retryAfter !== undefined ? ` in ${Math.max(1, Math.ceil(err.retryAfter))} seconds` : ' in a minute'
    return new AppError('RATE_LIMITED', `Dropbox is busy; please try again${wait}`)
  }
  if (err.is('path', 'conflict')) return new AppError('CONFLICT', `A file in the connected Dropbox is in the way of this ${what}`)
  if (err.has('not_found')) return new AppError('NOT_FOUND', what === 'folder' ? 'This Dropbox folder no longer exists' : 'File not found in storage')
  if (err.has('not_folder')) return new AppError('VALIDATION', 'This Dropbox path is a file, not a folder')
  if (err.has('not_file')) return new AppError('NOT_FOUND', 'File not found in storage')
  return err
}
