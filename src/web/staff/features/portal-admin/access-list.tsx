// "Access": every contact who can open this company's portal, with Re-share (a fresh link, expiry chosen now)
// and Revoke (link and sessions stop at once) — each behind a one-step confirmation.
import { useEffect, useRef, useState } from 'react'
import type { PortalAccess } from '../../../../shared/contracts/portal-admin.js'
import { useAction } from '../../../shared/use-action.js'
import { FormError } from '../../../shared/ui/form-error.js'
import { ConfirmBox } from '../../../shared/ui/confirm-box.js'
import { formatDate, formatDateTime, formatRelative } from '../../../shared/format.js'
import { portalApi, type ExpiryChoice } from './api.js'
import { describeExpiry, ExpiryPicker } from './expiry-picker.js'

type Props = {
  access: PortalAccess[]
  defaultExpiry: ExpiryChoice
  /** From ?reshare=<grantId>: that row opens with its Re-share ready to confirm. */
  reshareGrantId?: string | null
  onChanged: () => void
}

export function AccessList({ access, defaultExpiry, reshareGrantId, onChanged }: Props) {
  const [removed, setRemoved] = useState<ReadonlySet<string>>(new Set())
  const [status, setStatus] = useState('')
  const statusRef = useRef<HTMLParagraphElement>(null)
  const rows = access.filter((a) => !removed.has(a.grantId))
  // Judged once, on the list as it first arrived: a later revoke of that row is not "missing".
  const [missingReshare] = useState(() => Boolean(reshareGrantId) && !access.some((a) => a.grantId === reshareGrantId))

  function revoked(row: PortalAccess) {
    setRemoved((prev) => new Set(prev).add(row.grantId))
    setStatus(`Access revoked for ${row.contactName}. Their link and sessions no longer work.`)
    statusRef.current?.focus()
    onChanged()
  }

  return (
    <section className="share-section" aria-labelledby="access-heading">
      <h3 id="access-heading">
        Access <span className="muted small">({rows.length})</span>
      </h3>
      {missingReshare && (
        <p className="notice">The access in your reminder was revoked or has ended. Share the portal again above to send a new link.</p>
      )}
      <p className="notice ok-notice" ref={statusRef} tabIndex={-1} aria-live="polite" hidden={!status}>
        {status}
      </p>
      {rows.length === 0 ? (
        <p className="empty">Nobody has access yet.</p>
      ) : (
        <ul className="plain access-list">
          {rows.map((row) => (
            <AccessRow key={row.grantId} row={row} defaultExpiry={defaultExpiry} startResharing={row.grantId === reshareGrantId} onReshared={onChanged} onRevoked={() => revoked(row)} />
          ))}
        </ul>
      )}
    </section>
  )
}

type RowProps = { row: PortalAccess; defaultExpiry: ExpiryChoice; startResharing: boolean; onReshared: () => void; onRevoked: () => void }

function AccessRow({ row, defaultExpiry, startResharing, onReshared, onRevoked }: RowProps) {
  const [mode, setMode] = useState<'view' | 'reshare' | 'revoke'>(startResharing ? 'reshare' : 'view')
  const [expiry, setExpiry] = useState<ExpiryChoice>(defaultExpiry)
  const [sent, setSent] = useState('')
  const action = useAction()
  const confirmRef = useRef<HTMLButtonElement>(null)
  const reshareRef = useRef<HTMLButtonElement>(null)
  const revokeRef = useRef<HTMLButtonElement>(null)
  const headingId = `access-${row.grantId}`

  useEffect(() => {
    if (mode === 'reshare') confirmRef.current?.focus()
  }, [mode])

  function open(next: 'reshare' | 'revoke') {
    action.setError(null)
    setSent('')
    if (next === 'reshare') setExpiry(defaultExpiry)
    setMode(next)
  }
  function cancel() {
    const back = mode === 'revoke' ? revokeRef : reshareRef
    setMode('view')
    action.setError(null)
    requestAnimationFrame(() => back.current?.focus())
  }
  async function reshare() {
    const ok = await action.run(() => portalApi.reshare(row.grantId, expiry))
    if (!ok) return
    setMode('view')
    setSent(`New link sent to ${row.contactEmail}; it ${describeExpiry(expiry)}. The previous link no longer works.`)
    requestAnimationFrame(() => reshareRef.current?.focus())
    onReshared()
  }
  async function revoke() {
    if (await action.run(() => portalApi.revoke(row.grantId))) onRevoked()
  }

  const expired = row.expiresAt !== null && Date.parse(row.expiresAt) <= Date.now()
  return (
    <li className="access-row" aria-labelledby={headingId}>
      <div className="access-head">
        <div className="access-who">
          <strong id={headingId}>{row.contactName}</strong>
          <span className="muted small">{row.contactEmail}</span>
        </div>
        {mode === 'view' && (
          <div className="row">
            <button type="button" className="small" ref={reshareRef} onClick={() => open('reshare')} aria-label={`Re-share with ${row.contactName}`}>
              Re-share
            </button>
            <button type="button" className="small danger" ref={revokeRef} onClick={() => open('revoke')} aria-label={`Revoke ${row.contactName}’s access`}>
              Revoke
            </button>
          </div>
        )}
      </div>
      <dl className="access-facts small">
        <div>
          <dt>Sent</dt>
          <dd title={formatDateTime(row.sentAt)}>{formatDate(row.sentAt)}</dd>
        </div>
        <div>
          <dt>{expired ? 'Expired' : 'Expires'}</dt>
          <dd className={expired ? 'warn-text' : undefined} title={row.expiresAt ? formatDateTime(row.expiresAt) : undefined}>
            {row.expiresAt ? formatDate(row.expiresAt) : 'Never'}
          </dd>
        </div>
        <div>
          <dt>Last used</dt>
          <dd title={row.lastUsedAt ? formatDateTime(row.lastUsedAt) : undefined}>{row.lastUsedAt ? formatRelative(row.lastUsedAt) : 'Not yet'}</dd>
        </div>
        <div>
          <dt>Open sessions</dt>
          <dd>{row.openSessions}</dd>
        </div>
        <div>
          <dt>Shared by</dt>
          <dd>{row.sharedBy ?? '—'}</dd>
        </div>
        {row.uploadsFolder && (
          <div>
            <dt>Uploads folder</dt>
            <dd className="mono">{row.uploadsFolder}</dd>
          </div>
        )}
      </dl>
      {sent && (
        <p className="notice ok-notice" role="status">
          {sent}
        </p>
      )}
      {mode === 'reshare' && (
        <div className="access-confirm stack">
          <ExpiryPicker legend="New link expires" value={expiry} onChange={setExpiry} disabled={action.busy} />
          <p className="hint">A fresh link goes to {row.contactEmail}. The previous link stops working at once; open sessions continue.</p>
          <FormError error={action.error} />
          <div className="row">
            <button type="button" className="primary" ref={confirmRef} onClick={reshare} disabled={action.busy}>
              {action.busy ? 'Sending…' : 'Send new link'}
            </button>
            <button type="button" onClick={cancel} disabled={action.busy}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {mode === 'revoke' && (
        <ConfirmBox
          label={`Confirm revoking ${row.contactName}’s access`}
          className="access-confirm danger-zone"
          error={action.error}
          busy={action.busy}
          confirmLabel="Revoke access"
          busyLabel="Revoking…"
          onConfirm={() => void revoke()}
          onCancel={cancel}
        >
          Revoke {row.contactName}’s access? <strong>Their link and sessions stop working immediately.</strong>
        </ConfirmBox>
      )}
    </li>
  )
}
