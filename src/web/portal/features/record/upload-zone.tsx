// The client's drop-zone on a record's Files panel: drop files on it or choose them with the button;
// each one uploads on its own with a progress bar and Cancel. Only in client mode, when uploads are on.
import { useEffect, useId, useRef, useState, type DragEvent } from 'react'
import { useBlocker } from 'react-router'
import type { PortalFile } from '../../api.js'
import { UploadIcon } from '../../app/icons.js'
import { usePortal } from '../../app/portal-context.js'
import { UploadRow } from './upload-row.js'
import { ACCEPT_ATTRIBUTE } from './upload-rules.js'
import { useUploads } from './use-uploads.js'
import './uploads.css'

const hasFiles = (e: DragEvent | globalThis.DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files')

export function UploadZone({ recordId, onUploaded }: { recordId: string; onUploaded: (file: PortalFile) => void }) {
  const { api, apiBase, me } = usePortal()
  const id = useId()
  const input = useRef<HTMLInputElement>(null)
  const zone = useRef<HTMLDivElement>(null)
  const [dragging, setDragging] = useState(false)
  const depth = useRef(0)
  const uploads = useUploads({ url: `${apiBase}/records/${encodeURIComponent(recordId)}/files`, onUploaded, onUnauthorized: api.unauthorized })
  const sending = uploads.items.some((i) => i.status !== 'failed')
  useLeaveGuard(sending)

  // A file dropped just beside the zone would make the browser open it and leave the portal.
  useEffect(() => {
    const guard = (e: globalThis.DragEvent) => {
      if (hasFiles(e) && !zone.current?.contains(e.target as Node)) e.preventDefault()
    }
    window.addEventListener('dragover', guard)
    window.addEventListener('drop', guard)
    return () => {
      window.removeEventListener('dragover', guard)
      window.removeEventListener('drop', guard)
    }
  }, [])

  const onDragEnter = (e: DragEvent) => {
    if (!hasFiles(e)) return
    e.preventDefault()
    depth.current++
    setDragging(true)
  }
  const onDragOver = (e: DragEvent) => {
    if (!hasFiles(e)) return
    e.preventDefault()
    e.dataTransfer.dropEffect = 'copy'
  }
  const onDragLeave = () => {
    depth.current = Math.max(0, depth.current - 1)
    if (depth.current === 0) setDragging(false)
  }
  const onDrop = (e: DragEvent) => {
    e.preventDefault()
    depth.current = 0
    setDragging(false)
    uploads.add(Array.from(e.dataTransfer.files))
  }

  return (
    <div
      ref={zone}
      className={`upload-zone${dragging ? ' dragging' : ''}`}
      role="region"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-rules`}
      onDragEnter={onDragEnter}
      onDragOver={onDragOver}
      onDragLeave={onDragLeave}
      onDrop={onDrop}
      data-testid="dropzone-slot"
    >
      <div className="upload-target">
        <span className="upload-icon" aria-hidden="true">
          <UploadIcon size={22} />
        </span>
        <p className="upload-title" id={`${id}-title`}>
          Send files to {me.workspace.name}
        </p>
        <p className="upload-lead">
          <span className="upload-drag-text">{dragging ? 'Drop to upload' : 'Drag files here, or'}</span>
        </p>
        <button type="button" className="primary upload-choose" onClick={() => input.current?.click()}>
          Choose files
        </button>
        <input
          ref={input}
          type="file"
          multiple
          accept={ACCEPT_ATTRIBUTE}
          hidden
          onChange={(e) => {
            uploads.add(Array.from(e.target.files ?? []))
            e.target.value = '' // choosing the same file again still uploads it
          }}
        />
        <p className="hint upload-rules" id={`${id}-rules`}>
          <span>PDF, PNG, JPG, DOCX, XLSX or ZIP</span> <span>up to 50 MB each</span>
        </p>
      </div>
      {uploads.items.length > 0 && (
        <ul className="upload-list" aria-label="Uploads">
          {uploads.items.map((item) => (
            <UploadRow key={item.key} item={item} onCancel={() => uploads.cancel(item.key)} onDismiss={() => uploads.dismiss(item.key)} />
          ))}
        </ul>
      )}
      <p className="visually-hidden" aria-live="polite" aria-atomic="true">
        {uploads.announcement}
      </p>
    </div>
  )
}

/** Moving to another portal page while files are still going asks first (it would cancel them). */
function useLeaveGuard(active: boolean) {
  const blocker = useBlocker(({ currentLocation, nextLocation }) => active && currentLocation.pathname !== nextLocation.pathname)
  useEffect(() => {
    if (blocker.state !== 'blocked') return
    if (window.confirm('Files are still uploading. Leave this page and cancel them?')) blocker.proceed()
    else blocker.reset()
  }, [blocker])
}
