// The branded header on every portal page, and the banner that marks a staff Preview.
import { useState } from 'react'
import { Link, useNavigate } from 'react-router'
import { errorMessage } from '../../shared/api-client.js'
import { signOut } from '../api.js'
import type { Brand } from './brand.js'
import { usePortal } from './portal-context.js'

export function BrandMark({ brand }: { brand: Brand | undefined }) {
  if (brand?.logoUrl) return <img src={brand.logoUrl} alt="" className="brand-logo" width="40" height="40" />
  return (
    <span className="brand-mark" aria-hidden="true">
      {(brand?.name ?? 'P').slice(0, 1).toUpperCase()}
    </span>
  )
}

export function PortalHeader() {
  const { me, preview, paths } = usePortal()
  const workspace = me.workspace.name
  return (
    <header className="portal-header">
      <div className="portal-header-inner">
        <Link to={paths.home} className="portal-brand" aria-label={`${workspace} — portal home`}>
          <BrandMark brand={me.workspace} />
          <span className="portal-brand-name">{workspace}</span>
        </Link>
        <p className="portal-meta">
          <span>Powered by {workspace}</span>
          <span aria-hidden="true"> · </span>
          {preview ? <span>Previewing {me.company.name}'s portal</span> : <span>Signed in as {me.contact.email}</span>}
        </p>
        {!preview && <SignOutButton />}
      </div>
    </header>
  )
}

function SignOutButton() {
  const { api, me } = usePortal()
  const navigate = useNavigate()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  async function onClick() {
    setBusy(true)
    setError(null)
    try {
      await signOut(api)
      void navigate('/signed-out', { replace: true, state: { brand: me.workspace } })
    } catch (err) {
      setError(err)
      setBusy(false)
    }
  }
  return (
    <div className="portal-sign-out">
      <button type="button" onClick={onClick} disabled={busy}>
        {busy ? 'Signing out…' : 'Sign out'}
      </button>
      {error ? (
        <p className="error-text" role="alert">
          Could not sign out: {errorMessage(error)}
        </p>
      ) : null}
    </div>
  )
}

export function PreviewBanner({ companyName, companyId }: { companyName: string; companyId: string | undefined }) {
  return (
    <aside className="preview-banner" aria-label="Preview">
      <p>
        <strong>Preview</strong> — this is what {companyName}'s contacts see. Read-only.
      </p>
      {companyId && (
        <a href={`/app/companies/${encodeURIComponent(companyId)}`} className="preview-back">
          Back to {companyName}
        </a>
      )}
    </aside>
  )
}
