// The staff app's calls for Settings → Storage and the folder browser (/api/v1/storage/*).
import type { StorageFolder, StorageStatus } from '../../../../../shared/contracts/portal-admin.js'
import { api } from '../../../api.js'

export const storageApi = {
  status: (signal?: AbortSignal) => api.get<StorageStatus>('/storage', { signal }),
  /** Sub-folders of `path` ('' is the root) in the workspace's storage. */
  folders: (path: string, signal?: AbortSignal) => api.get<StorageFolder[]>(`/storage/folders?path=${encodeURIComponent(path || '/')}`, { signal }),
  connectDropbox: () => api.post<{ authorizeUrl: string }>('/storage/dropbox/connect', {}),
  disconnectDropbox: () => api.post<{ ok: true }>('/storage/dropbox/disconnect', {}),
}

/** '/Client uploads/Acme' → ['Client uploads', 'Acme']. */
export const pathParts = (path: string) => path.split('/').filter(Boolean)

/** The folder path of the first `count` parts ('' for the root). */
export const joinParts = (parts: readonly string[], count = parts.length) =>
  parts
    .slice(0, count)
    .map((p) => `/${p}`)
    .join('')
