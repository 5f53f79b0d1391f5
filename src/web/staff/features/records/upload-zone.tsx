// A file input plus a drag-and-drop zone; uploads one file at a time with a progress bar.
import { useId, useRef, useState, type DragEvent } from 'react'
import type { FileInfo } from '../../../../shared/contracts/staff.js'
import { api } from '../../api.js'
import { MAX_UPLOAD_BYTES, tooLarge, uploadFile } from '../../../shared/upload.js'
import { FormError } from '../../../shared/ui/form-error.js'

type Props = { url: string; onUploaded: (file: FileInfo) => void }

export function UploadZone({ url, onUploaded }: Props) {
  const inputId = useId()
  const inputRef = useRef<HTMLInputElement>(null)
  const [dragging, setDragging] = useState(false)
  const [progress, setProgress] = useState<{ name: string; fraction: number } | null>(null)
  const [error, setError] = useState<unknown>(null)

  async function upload(files: FileList | null) {
    if (!files || files.length === 0) return
    setError(null)
    for (const file of Array.from(files)) {
      if (file.size > MAX_UPLOAD_BYTES) {
        setError(tooLarge())
        continue
      }
      setProgress({ name: file.name, fraction: 0 })
      try {
        const info = await uploadFile<FileInfo>(url, file, {
          onProgress: (fraction) => setProgress({ name: file.name, fraction }),
          onUnauthorized: api.unauthorized,
        })
        onUploaded(info)
      } catch (err) {
        setError(err)
      }
    }
    setProgress(null)
    if (inputRef.current) inputRef.current.value = ''
  }

  function onDrop(event: DragEvent) {
    event.preventDefault()
    setDragging(false)
    if (!progress) void upload(event.dataTransfer.files)
  }

  return (
    <div
      className={`drop-zone${dragging ? ' dragging' : ''}`}
      onDragOver={(e) => {
        e.preventDefault()
        setDragging(true)
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <label htmlFor={inputId}>Upload a file</label>
      <input id={inputId} ref={inputRef} type="file" multiple disabled={progress !== null} onChange={(e) => void upload(e.target.files)} />
      <p className="hint">or drop files here · up to 50 MB each</p>
      {progress && (
        <div className="upload-progress">
          <span className="small">Uploading {progress.name}…</span>
          <progress max={1} value={progress.fraction} aria-label={`Uploading ${progress.name}`} />
        </div>
      )}
      <FormError error={error} />
    </div>
  )
}
