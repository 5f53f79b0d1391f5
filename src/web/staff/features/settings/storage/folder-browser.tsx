// An inline browser of the workspace's storage (local folder or Dropbox): a breadcrumb of the current folder,
// its sub-folders (click to enter), "Use this folder", and a new folder name for a folder that doesn't exist yet.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react'
import { Link } from 'react-router'
import { useResource } from '../../../../shared/use-resource.js'
import { FormError } from '../../../../shared/ui/form-error.js'
import { joinParts, pathParts, storageApi } from './storage-api.js'
import './storage.css'

type Props = {
  /** The folder to open ('' is the root). */
  initialPath: string
  /** The folder chosen so far, marked in the list. */
  current: string | null
  onPick: (path: string) => void
  onCancel: () => void
}

const BAD_CHARS = /[/\\<>:"|?*\u0000-\u001f\u007f]/

function checkName(name: string): string | null {
  if (!name) return 'Type a folder name.'
  if (BAD_CHARS.test(name)) return 'A folder name can’t contain / \\ < > : " | ? or *.'
  if (/^\.+$/.test(name)) return 'Choose a name other than . or ..'
  if (name.length > 100) return 'A folder name can be at most 100 characters.'
  return null
}

export function FolderBrowser({ initialPath, current, onPick, onCancel }: Props) {
  const [path, setPath] = useState(initialPath)
  const [newName, setNewName] = useState('')
  const [nameError, setNameError] = useState<string | null>(null)
  const folders = useResource((signal) => storageApi.folders(path, signal), [path])
  const status = useResource((signal) => storageApi.status(signal), [])
  const headingRef = useRef<HTMLHeadingElement>(null)
  const id = useId()
  const parts = pathParts(path)
  const rootLabel = status.data ? (status.data.provider === 'dropbox' ? 'Dropbox' : 'Local folder') : 'Storage'
  const here = parts.at(-1) ?? rootLabel
  const broken = status.data?.dropbox?.status === 'broken'

  // Opening the browser, and every move to another folder, puts focus on the folder's name.
  useEffect(() => headingRef.current?.focus(), [path])

  function go(next: string) {
    setPath(next)
    setNewName('')
    setNameError(null)
  }
  function pickNew() {
    const name = newName.trim()
    const problem = checkName(name)
    setNameError(problem)
    if (!problem) onPick(`${path}/${name}`)
  }
  function onNameKey(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key !== 'Enter') return
    event.preventDefault() // not the surrounding form's submit
    pickNew()
  }
  function onKey(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key !== 'Escape') return
    event.preventDefault() // close the browser, not the dialog
    event.stopPropagation()
    onCancel()
  }

  return (
    <div className="folder-browser" role="group" aria-labelledby={`${id}-heading`} onKeyDown={onKey}>
      <nav aria-label="Folder path">
        <ol className="plain folder-crumbs">
          <li>
            {parts.length === 0 ? (
              <span aria-current="location">{rootLabel}</span>
            ) : (
              <button type="button" className="link" onClick={() => go('')}>
                {rootLabel}
              </button>
            )}
          </li>
          {parts.map((part, i) => (
            <li key={joinParts(parts, i + 1)}>
              {i === parts.length - 1 ? (
                <span aria-current="location">{part}</span>
              ) : (
                <button type="button" className="link" onClick={() => go(joinParts(parts, i + 1))}>
                  {part}
                </button>
              )}
            </li>
          ))}
        </ol>
      </nav>
      <h4 id={`${id}-heading`} ref={headingRef} tabIndex={-1} className="folder-heading">
        {parts.length ? `Folders in ${here}` : 'Top-level folders'}
      </h4>
      {broken && (
        <p className="notice broken-warning small">
          The Dropbox connection is broken, so these are the local folder’s. <Link to="/settings/storage">Reconnect in Settings → Storage</Link>.
        </p>
      )}
      {folders.error ? (
        <div className="row">
          <FormError error={folders.error} />
          <button
            type="button"
            className="small"
            onClick={() => {
              folders.reload()
              status.reload()
            }}
          >
            Try again
          </button>
        </div>
      ) : !folders.data ? (
        <p className="muted small" aria-live="polite">
          Loading folders…
        </p>
      ) : folders.data.length === 0 ? (
        <p className="empty small">No folders here.</p>
      ) : (
        <ul className="plain folder-list" aria-labelledby={`${id}-heading`}>
          {folders.data.map((f) => (
            <li key={f.path}>
              <button type="button" className="folder-row" onClick={() => go(f.path)} aria-label={`Open ${f.name}${f.path === current ? ' (chosen)' : ''}`}>
                <FolderIcon />
                <span className="folder-name">{f.name}</span>
                {f.path === current && <span className="badge ok">Chosen</span>}
                <span className="folder-enter" aria-hidden="true">
                  ›
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="row">
        <button type="button" className="primary" onClick={() => onPick(path)} disabled={parts.length === 0}>
          Use this folder
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        {parts.length === 0 && <span className="hint">Open a folder to use it, or name a new one.</span>}
      </div>
      <div className="field new-folder">
        <label htmlFor={`${id}-name`}>New folder name</label>
        <div className="new-folder-row">
          <input
            id={`${id}-name`}
            value={newName}
            maxLength={100}
            onChange={(e) => {
              setNewName(e.target.value)
              setNameError(null)
            }}
            onKeyDown={onNameKey}
            aria-describedby={nameError ? `${id}-name-error` : `${id}-name-hint`}
            {...(nameError ? { 'aria-invalid': true as const } : {})}
          />
          <button type="button" onClick={pickNew}>
            Use new folder
          </button>
        </div>
        {nameError ? (
          <p className="error-text" id={`${id}-name-error`} role="alert">
            {nameError}
          </p>
        ) : (
          <p className="hint" id={`${id}-name-hint`}>
            A folder inside {here}, created on the first upload.
          </p>
        )}
      </div>
    </div>
  )
}

function FolderIcon() {
  return (
    <svg className="folder-icon" viewBox="0 0 20 16" width="20" height="16" aria-hidden="true" focusable="false">
      <path d="M1.5 2.5A1.5 1.5 0 0 1 3 1h4.4l2 2H17a1.5 1.5 0 0 1 1.5 1.5v9A1.5 1.5 0 0 1 17 15H3a1.5 1.5 0 0 1-1.5-1.5z" fill="currentColor" />
    </svg>
  )
}
