// The record's files: name, size, date, who uploaded (team or client). Each row is one plain link
// the browser saves as an attachment: one click downloads. When uploads are on (never in a staff
// Preview), the client's drop-zone sits below, and a file they send joins the list at once.
import { useState } from 'react'
import { formatBytes, formatDate } from '../../../shared/format.js'
import { downloadUrl, type PortalFile } from '../../api.js'
import { usePortal } from '../../app/portal-context.js'
import { fileExtension } from './file-extension.js'
import { SideBadge } from './side-badge.js'
import { UploadZone } from './upload-zone.js'

type Props = { recordId: string; files: PortalFile[]; canUpload: boolean; onUploaded: (file: PortalFile) => void }

export function FilesPanel({ recordId, files, canUpload, onUploaded }: Props) {
  const { apiBase, preview } = usePortal()
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set())
  const uploaded = (file: PortalFile) => {
    setFresh((s) => new Set(s).add(file.id))
    onUploaded(file)
  }
  return (
    <section className="panel panel-files" aria-labelledby="files-title">
      <h2 id="files-title">
        Files <span className="panel-count">{files.length}</span>
      </h2>
      {files.length === 0 ? (
        <p className="empty-note">No files yet</p>
      ) : (
        <ul className="file-list">
          {files.map((file) => (
            <li key={file.id}>
              <a
                className={`file-row${fresh.has(file.id) ? ' fresh' : ''}`}
                href={downloadUrl(apiBase, file.id)}
                download={file.name}
                aria-label={`Download ${file.name}`}
                aria-describedby={`file-meta-${file.id}`}
              >
                <span className="file-icon" aria-hidden="true">
                  {fileExtension(file.name)}
                </span>
                <span className="file-main">
                  <span className="file-name">{file.name}</span>
                  <span className="file-meta" id={`file-meta-${file.id}`}>
                    {fresh.has(file.id) && <span className="fresh-tag">Just sent</span>}
                    <span>{formatBytes(file.size)}</span>
                    <span aria-hidden="true">·</span>
                    <time dateTime={file.createdAt}>{formatDate(file.createdAt)}</time>
                    <span aria-hidden="true">·</span>
                    <SideBadge side={file.source} />
                    <span>
                      <span className="visually-hidden">uploaded by </span>
                      {file.uploadedBy}
                    </span>
                  </span>
                </span>
                <span className="file-download" aria-hidden="true">
                  ↓
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
      {canUpload && !preview && <UploadZone recordId={recordId} onUploaded={uploaded} />}
    </section>
  )
}
