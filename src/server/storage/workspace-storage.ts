// The workspace's connected storage: Dropbox when connected, else the local folder provider.
// One place decides where client uploads go and how a stored file is handed back.
import fs from 'node:fs/promises'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import type { Readable } from 'node:stream'
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
  /** Creates `/{root}/{record}/client-uploads` (sanitised; an existing folder is fine) and returns its path. */
  ensureUploadFolder(root: string, recordName: string): Promise<string>
  /** Streams a client upload into `folder`; returns the key to keep (Dropbox: the path after autorename) and the stored name. */
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
      const folder = `${cleanFolderPath(root)}/${safeName(recordName, 'record')}/client-uploads`
      await fs.mkdir(dir(folder), { recursive: true })
      return folder
    },
    async putInFolder(folder, fileName, body, maxBytes) {
      // A short unique prefix keeps two uploads of one name apart (Dropbox autorenames instead).
      const name = safeName(fileName)
      const key = `${base}${cleanFolderPath(folder)}/${randomUUID().slice(0, 8)}-${name}`
      const { size } = await deps.storage.put(key, body, { maxBytes })
      return { key, name, size }
    },
  }
}

export async function storageFor(deps: Deps, workspaceId: string): Promise<WorkspaceStorage> {
  const dropbox = await dropboxStoreFor(deps, workspaceId)
  if (!dropbox) return localStorage(deps, workspaceId)
  return {
    provider: 'dropbox',
    listFolders: (folder) => dropbox.listFolders(folder === '/' ? '' : folder).then((list) => list.map((f) => ({ name: f.name, path: f.path }))),
    async ensureUploadFolder(root, recordName) {
      const folder = dropbox.join(cleanFolderPath(root), recordName, 'client-uploads')
      return (await dropbox.createFolder(folder)).path
    },
    async putInFolder(folder, fileName, body, maxBytes) {
      const result = await dropbox.put(dropbox.join(folder, fileName), body, { maxBytes })
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
