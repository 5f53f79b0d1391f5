// Settings → Workspace: name, logo, brand colour, postal address, sender name (admins only).
import { useState, type FormEvent } from 'react'
import type { Workspace } from '../../../../shared/contracts/staff.js'
import { api } from '../../api.js'
import { useResource } from '../../../shared/use-resource.js'
import { FieldError, FormError, invalidProps } from '../../../shared/ui/form-error.js'
import { SaveRow } from '../../../shared/ui/save-row.js'
import { Loading } from '../../../shared/ui/loading.js'
import { useMe } from '../auth/me-context.js'
import { LogoInput } from './logo-input.js'

const FIELDS = ['name', 'logoUrl', 'brandColor', 'postalAddress', 'senderName']

export function WorkspaceSettings() {
  const workspace = useResource((signal) => api.get<Workspace>('/workspace', { signal }), [])
  if (!workspace.data) return <Loading error={workspace.error} />
  return <WorkspaceForm key={workspace.data.id} workspace={workspace.data} onSaved={workspace.setData} />
}

function WorkspaceForm({ workspace, onSaved }: { workspace: Workspace; onSaved: (w: Workspace) => void }) {
  const { me, refreshMe } = useMe()
  const readOnly = me.user.role !== 'admin'
  const [logoUrl, setLogoUrl] = useState<string | null>(workspace.logoUrl)
  const [color, setColor] = useState(workspace.brandColor)
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const [saved, setSaved] = useState(false)

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const text = (name: string) => String(form.get(name) ?? '')
    setBusy(true)
    setError(null)
    setSaved(false)
    try {
      const body = { name: text('name'), logoUrl, brandColor: color, postalAddress: text('postalAddress'), senderName: text('senderName') }
      const updated = await api.patch<Workspace | undefined>('/workspace', body)
      if (updated && 'id' in updated) onSaved(updated)
      setSaved(true)
      refreshMe()
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  const input = (field: string) => ({ id: `ws-${field}`, name: field, readOnly, ...invalidProps(error, field, `ws-${field}-error`) })
  return (
    <section className="card" aria-labelledby="workspace-heading">
      <h2 id="workspace-heading">Workspace</h2>
      {readOnly && <p className="notice">Only an admin can change these settings.</p>}
      <form className="form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="ws-name">Workspace name</label>
          <input {...input('name')} defaultValue={workspace.name} required />
          <FieldError error={error} field="name" id="ws-name-error" />
        </div>
        <LogoInput value={logoUrl} onChange={setLogoUrl} readOnly={readOnly} error={error} />
        <div className="field">
          <label htmlFor="ws-brandColor">Brand colour</label>
          <div className="color-row">
            <input type="color" {...input('brandColor')} disabled={readOnly} value={color} onChange={(e) => setColor(e.target.value)} />
            <input type="text" aria-label="Brand colour as hex" readOnly={readOnly} value={color} onChange={(e) => setColor(e.target.value)} pattern="#[0-9a-fA-F]{6}" />
          </div>
          <FieldError error={error} field="brandColor" id="ws-brandColor-error" />
        </div>
        <div className="field">
          <label htmlFor="ws-postalAddress">Postal address</label>
          <textarea {...input('postalAddress')} rows={3} defaultValue={workspace.postalAddress} />
          <p className="hint">Printed at the foot of every email, as anti-spam law requires.</p>
          <FieldError error={error} field="postalAddress" id="ws-postalAddress-error" />
        </div>
        <div className="field">
          <label htmlFor="ws-senderName">Sender name</label>
          <input {...input('senderName')} defaultValue={workspace.senderName} />
          <p className="hint">The name emails come from.</p>
          <FieldError error={error} field="senderName" id="ws-senderName-error" />
        </div>
        <FormError error={error} shownAt={FIELDS} />
        {!readOnly && <SaveRow label="Save workspace" busy={busy} saved={saved} />}
      </form>
    </section>
  )
}
