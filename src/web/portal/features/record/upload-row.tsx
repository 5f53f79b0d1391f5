// One file being sent: its name and size, a labelled progress bar while it travels, then either
// nothing (it joins the file list) or the rule it broke. Cancel stops it; Dismiss clears a failure.
import { useId } from 'react'
import { formatBytes } from '../../../shared/format.js'
import { fileExtension } from './file-extension.js'
import type { UploadItem } from './use-uploads.js'

export function UploadRow({ item, onCancel, onDismiss }: { item: UploadItem; onCancel: () => void; onDismiss: () => void }) {
  const id = useId()
  const failed = item.status === 'failed'
  return (
    <li className={`upload-row upload-${item.status}`}>
      <span className="file-icon" aria-hidden="true">
        {failed ? '!' : fileExtension(item.name)}
      </span>
      <span className="upload-main">
        <span className="upload-name" id={`${id}-name`}>
          {item.name}
        </span>
        {!failed && (
          <progress
            className="upload-progress"
            max={1}
            value={item.status === 'waiting' ? 0 : item.progress}
            aria-label={`Upload progress for ${item.name}`}
            aria-valuetext={statusText(item)}
          />
        )}
        <span className={failed ? 'upload-error' : 'upload-status'} id={`${id}-status`}>
          {statusText(item)}
        </span>
      </span>
      {failed ? (
        <button type="button" className="upload-action" onClick={onDismiss} aria-label={`Dismiss ${item.name}`}>
          Dismiss
        </button>
      ) : (
        <button type="button" className="upload-action" onClick={onCancel} aria-label={`Cancel upload of ${item.name}`} disabled={item.status === 'saving'}>
          Cancel
        </button>
      )}
    </li>
  )
}

function statusText(item: UploadItem): string {
  switch (item.status) {
    case 'waiting':
      return `Waiting · ${formatBytes(item.size)}`
    case 'uploading':
      return `${Math.floor(item.progress * 100)}% of ${formatBytes(item.size)}`
    case 'saving':
      return 'Checking and saving…'
    case 'failed':
      return item.message ?? 'Not uploaded'
  }
}
