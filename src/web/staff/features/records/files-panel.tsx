// A record's files: list with download and delete, and an upload control with a drop zone.
import { useState } from 'react'
import type { FileInfo } from '../../../../shared/contracts/staff.js'
import { api } from '../../api.js'
import { useResource } from '../../../shared/use-resource.js'
import { FormError } from '../../../shared/ui/form-error.js'
import { Loading } from '../../../shared/ui/loading.js'
import { formatBytes, formatDateTime } from '../../../shared/format.js'
import { UploadZone } from './upload-zone.js'

export function FilesPanel({ recordId }: { recordId: string }) {
  const files = useResource((signal) => api.get<FileInfo[]>(`/records/${recordId}/files`, { signal }), [recordId])
  const [error, setError] = useState<unknown>(null)

  async function remove(file: FileInfo) {
    if (!window.confirm(`Delete ${file.name}?`)) return
    setError(null)
    try {
      await api.del(`/files/${file.id}`)
      files.setData((list) => (list ?? []).filter((f) => f.id !== file.id))
    } catch (err) {
      setError(err)
    }
  }

  return (
    <section className="card stack" aria-labelledby="files-heading">
      <h2 id="files-heading">Files</h2>
      {!files.data ? (
        <Loading error={files.error} />
      ) : files.data.length === 0 ? (
        <p className="empty">No files yet.</p>
      ) : (
        <ul className="plain file-list">
          {files.data.map((file) => (
            <li key={file.id} className="file-row">
              <div className="file-main">
                <a href={`/api/v1/files/${file.id}/download`} download={file.name} className="file-name">
                  {file.name}
                </a>
                <span className="muted small">
                  {formatBytes(file.size)} · {formatDateTime(file.createdAt)} · {file.uploadedBy}{' '}
                  <span className={`badge${file.source === 'client' ? ' brand' : ''}`}>{file.source === 'client' ? 'Client' : 'Team'}</span>
                </span>
              </div>
              <div className="row">
                <a className="button small" href={`/api/v1/files/${file.id}/download`} download={file.name} aria-label={`Download ${file.name}`}>
                  Download
                </a>
                <button type="button" className="small danger" onClick={() => remove(file)} aria-label={`Delete ${file.name}`}>
                  Delete
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <FormError error={error} />
      <UploadZone url={`/api/v1/records/${recordId}/files`} onUploaded={(file) => files.setData((list) => [...(list ?? []), file])} />
    </section>
  )
}
