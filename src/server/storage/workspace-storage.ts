// The workspace's connected storage: Dropbox when connected, else the local folder provider.
// One place decides where client uploads go and how a stored file is handed back.
import fs from 'node:fs/promises'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import { Readable } from 'node:stream'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { safeName, type FileStore } from './file-store.js'
import { dropboxStoreFor } from './dropbox-connection.js'

export interface Folder {
  name: string
  path: string
}

export interface WorkspaceStorage {
  provider: 'local' | 'dropbox'
  listFolders(folder: string): Promise<Folder[]>
  /** The path of `/{root}/{record}/client-uploads` (sanitised). It is created by putInFolder, with the first file stored in it. */
  ensureUploadFolder(root: string, recordName: string): Promise<string>
  /**
   * Streams a client upload into `folder`; returns the key to keep (Dropbox: the path after autorename) and the stored name.
   * The folder is created (an existing one is fine) only for an upload that is kept: a rejected or interrupted
   * upload leaves no folder behind either.
   */
  putInFolder(folder: string, fileName: string, body: Readable, maxBytes: number): Promise<{ key: string; name: string; size: number }>
}

/** A clean absolute folder path: every part sanitised, no `..`. */
export function cleanFolderPath(input: string): string {
  const parts = input.split(/[/\\]/).filter((p) => p.trim() !== '')
  if (parts.some((p) => p.trim() === '.' || p.trim() === '..')) throw new AppError('VALIDATION', 'uploadsFolder must not contain . or .. parts', 'uploadsFolder')
  return '/' + parts.map((p) => safeName(p, 'folder')).join('/')
}

function localStorage(deps: Deps, workspaceId: string): WorkspaceStorage {
  // Folders of the local provider live under DATA_DIR/storage/<workspace>/shared.
  const base = `${workspaceId}/shared`
  const dir = (folder: string) => path.join(deps.config.dataDir, 'storage', base, cleanFolderPath(folder))
  return {
    provider: 'local',
    async listFolders(folder) {
      const clean = folder === '' || folder === '/' ? '' : cleanFolderPath(folder)
      const entries = await fs.readdir(dir(clean || '/'), { withFileTypes: true }).catch(() => [])
      return entries
        .filter((e) => e.isDirectory())
        .map((e) => ({ name: e.name, path: `${clean}/${e.name}` }))
        .sort((a, b) => a.name.localeCompare(b.name))
    },
    async ensureUploadFolder(root, recordName) {
      return `${cleanFolderPath(root)}/${safeName(recordName, 'record')}/client-uploads`
    },
    async putInFolder(folder, fileName, body, maxBytes) {
      // A short unique prefix keeps two uploads of one name apart (Dropbox autorenames instead).
      const name = safeName(fileName)
      const key = `${base}${cleanFolderPath(folder)}/${randomUUID().slice(0, 8)}-${name}`
      // The file streams into a temporary name inside the folder, so the folder has to exist meanwhile;
      // if the upload fails, the folders this upload created go again (only while empty).
      const target = dir(folder)
      const created = await fs.mkdir(target, { recursive: true })
      try {
        const { size } = await deps.storage.put(key, body, { maxBytes })
        return { key, name, size }
      } catch (err) {
        if (created) await removeEmptyFolders(target, created)
        throw err
      }
    },
  }
}

/** Removes `leaf` and its parents up to and including `top`, each only while it is empty. */
async function removeEmptyFolders(leaf: string, top: string): Promise<void> {
  if (leaf !== top && !leaf.startsWith(top + path.sep)) return
  for (let d = leaf; ; d = path.dirname(d)) {
    try {
      await fs.rmdir(d)
    } catch {
      return
    }
    if (d === top) return
  }
}

export async function storageFor(deps: Deps, workspaceId: string): Promise<WorkspaceStorage> {
  const found = await dropboxStoreFor(deps, workspaceId)
  if (!found) return localStorage(deps, workspaceId)
  const dropbox = found // a const the closures below can rely on
  return {
    provider: 'dropbox',
    listFolders: (folder) => dropbox.listFolders(folder === '/' ? '' : folder).then((list) => list.map((f) => ({ name: f.name, path: f.path }))),
    async ensureUploadFolder(root, recordName) {
      return dropbox.join(cleanFolderPath(root), recordName, 'client-uploads')
    },
    async putInFolder(folder, fileName, body, maxBytes) {
      // create_folder_v2 runs after the last byte passed the size and type checks, just before the
      // session is finished: a rejected or aborted upload creates no folder in the customer's Dropbox.
      async function* thenCreateFolder() {
        for await (const chunk of body) yield chunk as Buffer
        await dropbox.createFolder(folder)
      }
      const result = await dropbox.put(dropbox.join(folder, fileName), Readable.from(thenCreateFolder()), { maxBytes })
      return { key: result.path, name: result.path.split('/').pop() ?? safeName(fileName), size: result.size }
    },
  }
}

export type StoredFile = { stream: Readable; redirect?: undefined } | { redirect: string; stream?: undefined }

/** How a stored file leaves us: local bytes stream; Dropbox answers with a temporary link (bytes never pass through us). */
export async function openStoredFile(deps: Deps, workspaceId: string, file: { storage_provider: string; storage_key: string }): Promise<StoredFile> {
  if (file.storage_provider !== 'dropbox') return { stream: await deps.storage.get(file.storage_key) }
  const dropbox = await dropboxStoreFor(deps, workspaceId)
  if (!dropbox) throw new AppError('NOT_FOUND', 'This file is in a Dropbox that is no longer connected')
  return { redirect: (await dropbox.temporaryLink(file.storage_key)).url }
}

export async function deleteStoredFile(deps: Deps, workspaceId: string, file: { storage_provider: string; storage_key: string }): Promise<void> {
  const store: FileStore | undefined = file.storage_provider === 'dropbox' ? await dropboxStoreFor(deps, workspaceId) : deps.storage
  await store?.delete(file.storage_key)
}
