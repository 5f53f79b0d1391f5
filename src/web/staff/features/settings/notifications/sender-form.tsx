// "How customer-facing emails are sent": sender name, reply-to, postal address and footer (admins edit, members read).
import { useState, type FormEvent } from 'react'
import type { Workspace } from '../../../../../shared/contracts/staff.js'
import { ApiError } from '../../../../shared/api-client.js'
import { FieldError, FormError, invalidProps } from '../../../../shared/ui/form-error.js'
import { SaveRow } from '../../../../shared/ui/save-row.js'
import { api } from '../../../api.js'

const FIELDS = ['senderName', 'replyTo', 'postalAddress', 'emailFooter']
const FOOTER_MAX = 500

type Props = { workspace: Workspace; readOnly: boolean; onSaved: (workspace: Workspace) => void }

export function SenderForm({ workspace, readOnly, onSaved }: Props) {
  const [footer, setFooter] = useState(workspace.emailFooter ?? '')
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const [saved, setSaved] = useState(false)

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const text = (name: string) => String(form.get(name) ?? '').trim()
    setError(null)
    setSaved(false)
    if (!text('postalAddress')) {
      setError(new ApiError(400, 'VALIDATION', 'Postal address is required: anti-spam law (CAN-SPAM) asks for it in every email.', 'postalAddress'))
      return
    }
    setBusy(true)
    try {
      const body = { senderName: text('senderName'), replyTo: text('replyTo') || null, postalAddress: text('postalAddress'), emailFooter: footer.trim() || null }
      onSaved(await api.patch<Workspace>('/workspace', body))
      setSaved(true)
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  const input = (field: string) => ({ id: `nt-${field}`, name: field, readOnly, ...invalidProps(error, field, `nt-${field}-error`) })
  const hint = (field: string, text: string) => (
    <p className="hint" id={`nt-${field}-hint`}>
      {text}
    </p>
  )
  return (
    <section className="card stack" aria-labelledby="sender-heading">
      <div>
        <h2 id="sender-heading">How customer-facing emails are sent</h2>
        <p className="muted small">These apply to every email a client gets: magic links, subscription confirmations, status changes and staff replies.</p>
      </div>
      {readOnly && <p className="notice">Only an admin can change these settings.</p>}
      <form className="form" onSubmit={submit} noValidate aria-label="Email sending">
        <div className="field">
          <label htmlFor="nt-senderName">Sender name</label>
          <input {...input('senderName')} defaultValue={workspace.senderName} required maxLength={200} aria-describedby="nt-senderName-hint" />
          {hint('senderName', 'The name clients see the email come from.')}
          <FieldError error={error} field="senderName" id="nt-senderName-error" />
        </div>
        <div className="field">
          <label htmlFor="nt-replyTo">Reply-to address</label>
          <input {...input('replyTo')} type="email" defaultValue={workspace.replyTo ?? ''} placeholder="team@example.com" autoComplete="email" aria-describedby="nt-replyTo-hint" />
          {hint('replyTo', 'Where a client’s reply goes. Leave empty to use the server’s sending address.')}
          <FieldError error={error} field="replyTo" id="nt-replyTo-error" label="Reply-to address" />
        </div>
        <div className="field">
          <label htmlFor="nt-postalAddress">
            Postal address <span className="muted small">(required)</span>
          </label>
          <textarea {...input('postalAddress')} rows={3} defaultValue={workspace.postalAddress} required maxLength={500} aria-describedby="nt-postalAddress-hint" />
          {hint('postalAddress', 'Printed at the foot of every email, as anti-spam law (CAN-SPAM) requires.')}
          <FieldError error={error} field="postalAddress" id="nt-postalAddress-error" />
        </div>
        <div className="field">
          <label htmlFor="nt-emailFooter">Footer text</label>
          <textarea {...input('emailFooter')} rows={3} value={footer} onChange={(e) => setFooter(e.target.value)} maxLength={FOOTER_MAX} aria-describedby="nt-emailFooter-hint" />
          <p className="hint row spread" id="nt-emailFooter-hint">
            <span>Optional. Shown above the postal address, e.g. a support line or a sign-off.</span>
            <span aria-hidden="true">
              {footer.length}/{FOOTER_MAX}
            </span>
          </p>
          <FieldError error={error} field="emailFooter" id="nt-emailFooter-error" label="Footer text" />
        </div>
        <FormError error={error} shownAt={FIELDS} />
        {!readOnly && <SaveRow label="Save email settings" busy={busy} saved={saved} savedText="Saved — the previews below are updated" />}
      </form>
    </section>
  )
}
