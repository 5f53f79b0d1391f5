// The record's files: name, size, date, who uploaded (team or client). Each row is one plain link
// the browser saves as an attachment: one click downloads. The upload drop-zone fills its slot later.
import { formatBytes, formatDate } from '../../../shared/format.js'
import { downloadUrl, type PortalFile } from '../../api.js'
import { usePortal } from '../../app/portal-context.js'
import { SideBadge } from './side-badge.js'

export function FilesPanel({ files, canUpload }: { files: PortalFile[]; canUpload: boolean }) {
  const { apiBase, preview } = usePortal()
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
              <a className="file-row" href={downloadUrl(apiBase, file.id)} download={file.name} aria-label={`Download ${file.name}`} aria-describedby={`file-meta-${file.id}`}>
                <span className="file-icon" aria-hidden="true">
                  {extension(file.name)}
                </span>
                <span className="file-main">
                  <span className="file-name">{file.name}</span>
                  <span className="file-meta" id={`file-meta-${file.id}`}>
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
      {/* Slot for the client upload drop-zone (the uploads issue). Never in a staff Preview. */}
      {canUpload && !preview && <div data-testid="dropzone-slot" className="slot" />}
    </section>
  )
}

function extension(name: string): string {
  const dot = name.lastIndexOf('.')
  const ext = dot > 0 ? name.slice(dot + 1) : ''
  return ext && ext.length <= 4 ? ext.toUpperCase() : 'FILE'
}
