// Settings → Storage: where client uploads go — the local folder (the default) or a connected Dropbox.
import type { StorageStatus } from '../../../../../shared/contracts/portal-admin.js'
import { useResource } from '../../../../shared/use-resource.js'
import { Loading } from '../../../../shared/ui/loading.js'
import { formatDate } from '../../../../shared/format.js'
import { useMe } from '../../auth/me-context.js'
import { storageApi } from './storage-api.js'
import { ConnectOutcomeBanner } from './connect-outcome-banner.js'
import { DropboxPanel } from './dropbox-panel.js'
import './storage.css'

export function StoragePage() {
  const { me } = useMe()
  const isAdmin = me.user.role === 'admin'
  const status = useResource((signal) => storageApi.status(signal), [])
  return (
    <>
      <ConnectOutcomeBanner />
      <section className="card stack" aria-labelledby="storage-heading">
        <div>
          <h2 id="storage-heading">Storage</h2>
          <p className="muted small">
            Client uploads go to{' '}
            <span className="folder-path">
              /{'{root}'}/{'{Project}'}/client-uploads
            </span>{' '}
            in this storage, where the root is the folder you pick when sharing a portal. Coeffection streams each file straight there and never keeps the bytes.
          </p>
        </div>
        {!isAdmin && <p className="notice">Only an admin can change storage.</p>}
        {status.data ? (
          <>
            <CurrentProvider status={status.data} />
            <DropboxPanel status={status.data} isAdmin={isAdmin} onChanged={status.reload} />
          </>
        ) : (
          <Loading error={status.error} />
        )}
      </section>
    </>
  )
}

function CurrentProvider({ status }: { status: StorageStatus }) {
  const dropbox = status.provider === 'dropbox' ? status.dropbox : null
  return (
    <div className="provider" role="group" aria-labelledby="provider-label">
      <span className={`provider-icon${dropbox ? ' dropbox' : ''}`} aria-hidden="true">
        {dropbox ? <DropboxIcon /> : <ServerIcon />}
      </span>
      <div className="provider-text">
        <span className="muted small" id="provider-label">
          Current storage
        </span>
        {dropbox ? (
          <>
            <strong>
              Dropbox — connected as {dropbox.accountName} ({dropbox.accountEmail})
            </strong>
            <span className="muted small">Connected {formatDate(dropbox.connectedAt)}</span>
          </>
        ) : (
          <>
            <strong>Local folder on this server (the default)</strong>
            <span className="muted small">Files are kept in the server’s data folder.</span>
          </>
        )}
      </div>
    </div>
  )
}

const ServerIcon = () => (
  <svg viewBox="0 0 20 20" width="20" height="20" focusable="false">
    <rect x="2" y="3" width="16" height="6" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
    <rect x="2" y="11" width="16" height="6" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
    <circle cx="5.5" cy="6" r="1" fill="currentColor" />
    <circle cx="5.5" cy="14" r="1" fill="currentColor" />
  </svg>
)

const DropboxIcon = () => (
  <svg viewBox="0 0 20 20" width="20" height="20" focusable="false">
    <path fill="currentColor" d="M6 2 1.5 5 6 8l4-3zm8 0-4 3 4 3 4.5-3zM1.5 11 6 14l4-3-4-3zm12.5-3-4 3 4 3 4.5-3zM6 15l4 3 4-3-4-3z" />
  </svg>
)
