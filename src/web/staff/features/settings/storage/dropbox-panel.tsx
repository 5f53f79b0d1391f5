// The Dropbox part of Settings → Storage: connect (OAuth in Dropbox, then back here), the connected account,
// a broken connection with its reason and Reconnect, and Disconnect behind a confirmation. Admins only act.
import { useRef, useState } from 'react'
import type { StorageStatus } from '../../../../../shared/contracts/portal-admin.js'
import { useAction } from '../../../../shared/use-action.js'
import { FormError } from '../../../../shared/ui/form-error.js'
import { ConfirmBox } from '../../../../shared/ui/confirm-box.js'
import { formatDateTime } from '../../../../shared/format.js'
import { storageApi } from './storage-api.js'

type Props = { status: StorageStatus; isAdmin: boolean; onChanged: () => void }

export function DropboxPanel({ status, isAdmin, onChanged }: Props) {
  const connection = status.dropbox
  return (
    <section className="stack" aria-labelledby="dropbox-heading">
      <h3 id="dropbox-heading">Dropbox</h3>
      {connection?.status === 'broken' && (
        <div className="notice broken-warning" role="alert">
          <strong>The Dropbox connection is broken.</strong> {connection.brokenReason ?? 'Dropbox no longer accepts our access.'} Until it is reconnected, client uploads go to the
          local folder on this server.
        </div>
      )}
      {connection?.status === 'broken' && (
        <p className="small">
          Account: <strong>{connection.accountName}</strong> ({connection.accountEmail}) · connected {formatDateTime(connection.connectedAt)}
        </p>
      )}
      {!status.dropboxAvailable ? (
        <NotConfigured />
      ) : !connection ? (
        <p className="muted small">Connect your team’s Dropbox so client uploads land there. You sign in to Dropbox, allow access, and come back here.</p>
      ) : null}
      {isAdmin && <DropboxActions status={status} onChanged={onChanged} />}
    </section>
  )
}

function NotConfigured() {
  return (
    <div className="notice">
      Dropbox isn’t set up on this server. To offer it, the server admin sets these and restarts Coeffection:
      <ul className="env-list">
        <li>
          <code>DROPBOX_APP_KEY</code> and <code>DROPBOX_APP_SECRET</code> — from the Dropbox app
        </li>
        <li>
          <code>TOKEN_ENCRYPTION_KEY</code> — 32 random bytes, to encrypt the Dropbox tokens at rest
        </li>
      </ul>
    </div>
  )
}

function DropboxActions({ status, onChanged }: { status: StorageStatus; onChanged: () => void }) {
  const connection = status.dropbox
  const [confirming, setConfirming] = useState(false)
  const action = useAction()
  const disconnectRef = useRef<HTMLButtonElement>(null)

  const connect = () =>
    action.run(async () => {
      const { authorizeUrl } = await storageApi.connectDropbox()
      window.location.assign(authorizeUrl)
    })
  async function disconnect() {
    if (await action.run(() => storageApi.disconnectDropbox())) {
      setConfirming(false)
      onChanged()
    }
  }
  function cancel() {
    setConfirming(false)
    action.setError(null)
    requestAnimationFrame(() => disconnectRef.current?.focus())
  }

  if (confirming) {
    return (
      <ConfirmBox
        label="Confirm disconnecting Dropbox"
        className="confirm-box"
        error={action.error}
        busy={action.busy}
        confirmLabel="Disconnect Dropbox"
        busyLabel="Disconnecting…"
        onConfirm={() => void disconnect()}
        onCancel={cancel}
      >
        Disconnect Dropbox? <strong>New client uploads go to the local folder on this server.</strong> Files already in Dropbox stay there, but can’t be opened from Coeffection
        until you connect it again.
      </ConfirmBox>
    )
  }
  const canConnect = status.dropboxAvailable && connection?.status !== 'connected'
  if (!canConnect && !connection) return null
  return (
    <div className="stack">
      <FormError error={action.error} />
      <div className="row">
        {canConnect && (
          <button type="button" className="primary" onClick={connect} disabled={action.busy}>
            {action.busy ? 'Opening Dropbox…' : connection ? 'Reconnect Dropbox' : 'Connect Dropbox'}
          </button>
        )}
        {connection && (
          <button type="button" className="danger" ref={disconnectRef} onClick={() => setConfirming(true)} disabled={action.busy}>
            Disconnect
          </button>
        )}
      </div>
    </div>
  )
}
