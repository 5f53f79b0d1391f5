// "Client uploads" in the Share portal dialog: the root folder a client's uploads go to (or none), chosen by
// browsing the workspace's storage or naming a new folder.
import { useRef, useState } from 'react'
import { Link } from 'react-router'
import { FolderBrowser } from '../settings/storage/folder-browser.js'
import { joinParts, pathParts } from '../settings/storage/storage-api.js'

type Props = { value: string | null; onChange: (folder: string | null) => void; disabled?: boolean }

export function FolderPicker({ value, onChange, disabled = false }: Props) {
  const [browsing, setBrowsing] = useState(false)
  const chooseRef = useRef<HTMLButtonElement>(null)

  function close() {
    setBrowsing(false)
    requestAnimationFrame(() => chooseRef.current?.focus())
  }
  function pick(folder: string | null) {
    onChange(folder)
    close()
  }

  const parts = value ? pathParts(value) : []
  return (
    <fieldset className="plain-fieldset folder-picker">
      <legend>Client uploads</legend>
      <p className="folder-choice" aria-live="polite">
        {value ? (
          <>
            Uploads go to <span className="folder-path">{value}</span>
          </>
        ) : (
          <span className="muted">No uploads — the client can’t send files.</span>
        )}
      </p>
      {browsing ? (
        <FolderBrowser initialPath={joinParts(parts, parts.length - 1)} current={value} onPick={pick} onCancel={close} />
      ) : (
        <div className="row">
          <button type="button" ref={chooseRef} onClick={() => setBrowsing(true)} disabled={disabled}>
            {value ? 'Change folder…' : 'Choose folder…'}
          </button>
          {value && (
            <button
              type="button"
              onClick={() => {
                onChange(null)
                chooseRef.current?.focus()
              }}
              disabled={disabled}
            >
              No uploads
            </button>
          )}
        </div>
      )}
      <p className="hint">
        Each record gets a <span className="folder-path">client-uploads</span> subfolder here. Uploads also need <em>Allow client uploads</em> on for the record type (
        <Link to="/settings/portal">Settings → Portal</Link>).
      </p>
    </fieldset>
  )
}
