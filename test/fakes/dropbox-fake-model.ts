// The in-memory Dropbox behind the fake server: case-insensitive, case-preserving paths, implicit
// parents, WriteMode + autorename, quota, metadata in Dropbox's JSON shapes.
// Contract: /work/shared/dropbox-contract.md §0.4, §3, §4.2, §9, §11 items 8, 9, 11.
import { randomBytes } from 'node:crypto'
import { dropboxContentHash } from '../../src/server/storage/content-hash.js'

export interface FakeFile {
  kind: 'file'
  id: string
  name: string
  pathLower: string
  pathDisplay: string
  bytes: Buffer
  rev: string
  contentHash: string
  serverModified: string
  clientModified: string
}

export interface FakeFolder {
  kind: 'folder'
  id: string
  name: string
  pathLower: string
  pathDisplay: string
}

export type FakeEntry = FakeFile | FakeFolder

/** A Stone union value, e.g. `{".tag":"conflict","conflict":{".tag":"folder"}}`. */
export type StoneValue = { '.tag': string; [k: string]: unknown }

export const tagged = (tag: string, value?: unknown): StoneValue => (value === undefined ? { '.tag': tag } : { '.tag': tag, [tag]: value })
export const conflict = (what: 'file' | 'folder' | 'file_ancestor') => tagged('conflict', tagged(what))

export type Outcome<T> = { ok: T } | { error: StoneValue }

/** Names Dropbox will not save (§9; matched case-insensitively). */
const DISALLOWED = new Set(['desktop.ini', 'thumbs.db', '.ds_store', 'icon\r', '.dropbox', '.dropbox.attr'])

export const dropboxTimestamp = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z')
const newId = () => 'id:' + randomBytes(16).toString('base64url').slice(0, 22)
const newRev = () => randomBytes(11).toString('hex').slice(0, 21)

export const parentOf = (pathLower: string) => pathLower.slice(0, Math.max(0, pathLower.lastIndexOf('/')))

export class FakeDropboxFs {
  readonly files = new Map<string, FakeFile>()
  readonly folders = new Map<string, FakeFolder>()
  quota: number | null = null

  constructor(private readonly now: () => Date) {}

  entry(pathLower: string): FakeEntry | undefined {
    return this.files.get(pathLower) ?? this.folders.get(pathLower)
  }

  byId(id: string): FakeEntry | undefined {
    for (const e of [...this.files.values(), ...this.folders.values()]) if (e.id === id) return e
    return undefined
  }

  /** Resolves a ReadPath-ish value (`/…`, `id:…`, `rev:…`) to an entry. */
  lookup(path: string): FakeEntry | undefined {
    if (path.startsWith('id:')) return this.byId(path)
    if (path.startsWith('rev:')) return [...this.files.values()].find((f) => f.rev === path.slice(4))
    if (path.startsWith('ns:')) return undefined
    return this.entry(path.toLowerCase())
  }

  used(): number {
    let n = 0
    for (const f of this.files.values()) n += f.bytes.length
    return n
  }

  /** Semantic path checks for a path that already passed the route's regex (→ 409 values). */
  checkWritePath(path: string): StoneValue | null {
    if (path.startsWith('ns:') || path.startsWith('id:')) return tagged('malformed_path')
    const parts = path.slice(1).split('/')
    for (const c of parts) if (DISALLOWED.has(c.toLowerCase())) return tagged('disallowed_name')
    for (const c of parts) {
      // UNVERIFIED in detail (§9): the fake reports all of these as malformed_path.
      if (c === '' || c === '.' || c === '..' || c.length > 255 || /[\u0000-\u001f\u007f\\]/.test(c) || c !== c.trimEnd()) return tagged('malformed_path')
    }
    return null
  }

  /** A file anywhere above `path` → conflict/file_ancestor. */
  private ancestorFile(pathLower: string): boolean {
    for (let p = parentOf(pathLower); p !== ''; p = parentOf(p)) if (this.files.has(p)) return true
    return false
  }

  private ensureParents(pathDisplay: string): void {
    const parts = pathDisplay.slice(1).split('/')
    let display = ''
    for (const part of parts.slice(0, -1)) {
      display += '/' + part
      const lower = display.toLowerCase()
      if (!this.folders.has(lower)) this.folders.set(lower, { kind: 'folder', id: newId(), name: part, pathLower: lower, pathDisplay: this.displayOf(lower, part) })
    }
  }

  /** Display path: the parents' stored display case, then this component's case (case-preserving). */
  private displayOf(pathLower: string, name: string): string {
    const parent = parentOf(pathLower)
    const parentDisplay = parent === '' ? '' : (this.folders.get(parent)?.pathDisplay ?? parent)
    return `${parentDisplay}/${name}`
  }

  private taken(pathLower: string): boolean {
    return this.files.has(pathLower) || this.folders.has(pathLower)
  }

  /** "name (1).ext", "name (2).ext", … in the same folder; folders get "name (1)". */
  private freeName(pathDisplay: string, isFile: boolean): string {
    const slash = pathDisplay.lastIndexOf('/')
    const dir = pathDisplay.slice(0, slash)
    const name = pathDisplay.slice(slash + 1)
    const dot = isFile ? name.lastIndexOf('.') : -1
    const [base, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, '']
    for (let i = 1; ; i++) {
      const candidate = `${dir}/${base} (${i})${ext}`
      if (!this.taken(candidate.toLowerCase())) return candidate
    }
  }

  createFolder(path: string, autorename: boolean): Outcome<FakeFolder> {
    const bad = this.checkWritePath(path)
    if (bad) return { error: bad }
    let target = path
    const lower = path.toLowerCase()
    if (this.ancestorFile(lower)) return { error: conflict('file_ancestor') }
    if (this.folders.has(lower) || this.files.has(lower)) {
      if (!autorename) return { error: conflict(this.folders.has(lower) ? 'folder' : 'file') }
      target = this.freeName(path, false)
    }
    this.ensureParents(target)
    const tl = target.toLowerCase()
    const name = target.slice(target.lastIndexOf('/') + 1)
    const folder: FakeFolder = { kind: 'folder', id: newId(), name, pathLower: tl, pathDisplay: this.displayOf(tl, name) }
    this.folders.set(tl, folder)
    return { ok: folder }
  }

  /** The commit step of upload / upload_session/finish (§4.2 WriteMode semantics). */
  commit(
    path: string,
    bytes: Buffer,
    opts: { mode: 'add' | 'overwrite' | { update: string }; autorename: boolean; strictConflict: boolean; clientModified?: string },
  ): Outcome<FakeFile> {
    const bad = this.checkWritePath(path)
    if (bad) return { error: bad }
    const lower = path.toLowerCase()
    if (this.ancestorFile(lower)) return { error: conflict('file_ancestor') }
    const contentHash = dropboxContentHash(bytes)
    let target = path
    let replacing: FakeFile | undefined
    const folder = this.folders.get(lower)
    const existing = this.files.get(lower)
    if (folder) {
      if (!opts.autorename) return { error: conflict('folder') }
      target = this.freeName(path, true)
    } else if (existing) {
      const sameContent = existing.contentHash === contentHash && !opts.strictConflict
      if (sameContent && (opts.mode === 'add' || opts.mode === 'overwrite')) return { ok: existing }
      if (opts.mode === 'overwrite' || (typeof opts.mode === 'object' && opts.mode.update === existing.rev)) replacing = existing
      else if (opts.autorename) target = this.freeName(path, true)
      else return { error: conflict('file') }
    }
    if (this.quota !== null && this.used() - (replacing?.bytes.length ?? 0) + bytes.length > this.quota) return { error: tagged('insufficient_space') }
    this.ensureParents(target)
    const tl = target.toLowerCase()
    const name = target.slice(target.lastIndexOf('/') + 1)
    const stamp = dropboxTimestamp(this.now())
    const file: FakeFile = {
      kind: 'file',
      id: replacing?.id ?? newId(),
      name: replacing ? replacing.name : name,
      pathLower: tl,
      pathDisplay: replacing ? replacing.pathDisplay : this.displayOf(tl, name),
      bytes: Buffer.from(bytes),
      rev: newRev(),
      contentHash,
      serverModified: stamp,
      clientModified: opts.clientModified ?? stamp,
    }
    this.files.set(tl, file)
    return { ok: file }
  }

  /** delete_v2: a file, or a folder with everything under it. */
  delete(path: string): FakeEntry | undefined {
    const e = this.lookup(path)
    if (!e) return undefined
    if (e.kind === 'file') this.files.delete(e.pathLower)
    else {
      for (const map of [this.files, this.folders] as Array<Map<string, FakeEntry>>) {
        for (const k of [...map.keys()]) if (k === e.pathLower || k.startsWith(e.pathLower + '/')) map.delete(k)
      }
    }
    return e
  }

  /** The entries under a folder ("" = root), in storage order (not sorted, like Dropbox). */
  children(folderLower: string, recursive: boolean): FakeEntry[] {
    const out: FakeEntry[] = []
    for (const e of [...this.folders.values(), ...this.files.values()]) {
      const inside = folderLower === '' || e.pathLower.startsWith(folderLower + '/')
      if (!inside || e.pathLower === folderLower) continue
      if (recursive || parentOf(e.pathLower) === folderLower) out.push(e)
    }
    return out
  }
}

/** FileMetadata / FolderMetadata JSON. `.tag` only where the declared type is the polymorphic Metadata. */
export function metadataJson(e: FakeEntry, withTag: boolean): Record<string, unknown> {
  const base = { ...(withTag ? { '.tag': e.kind } : {}), name: e.name, path_lower: e.pathLower, path_display: e.pathDisplay, id: e.id }
  if (e.kind === 'folder') return base
  return {
    ...base,
    client_modified: e.clientModified,
    server_modified: e.serverModified,
    rev: e.rev,
    size: e.bytes.length,
    is_downloadable: true,
    content_hash: e.contentHash,
  }
}

/** `error_summary`: the tag chain joined with "/", plus trailing dots (Dropbox varies them; never compare). */
export function errorSummary(error: unknown): string {
  const tags: string[] = []
  let cur = error as Record<string, unknown> | undefined
  for (let i = 0; i < 8 && cur && typeof cur === 'object'; i++) {
    const tag = cur['.tag']
    if (typeof tag !== 'string') {
      cur = cur.reason as Record<string, unknown> | undefined
      continue
    }
    tags.push(tag)
    const next = cur[tag]
    cur = (next && typeof next === 'object' ? next : cur.reason) as Record<string, unknown> | undefined
  }
  return `${tags.join('/')}/..`
}
