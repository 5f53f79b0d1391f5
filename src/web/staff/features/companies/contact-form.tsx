import { useState, type FormEvent } from 'react'
import type { Contact } from '../../../../shared/contracts/staff.js'
import { FieldError, FormError, invalidProps } from '../../../shared/ui/form-error.js'

type Body = { name: string; email: string | null }
type Props = {
  idPrefix: string
  initial?: Contact
  submitLabel: string
  onSubmit: (body: Body) => Promise<unknown>
  onDone: () => void
  onCancel: () => void
}

export function ContactForm({ idPrefix, initial, submitLabel, onSubmit, onDone, onCancel }: Props) {
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const email = String(form.get('email') ?? '').trim()
    setBusy(true)
    setError(null)
    try {
      await onSubmit({ name: String(form.get('name') ?? ''), email: email || null })
      onDone()
    } catch (err) {
      setError(err)
      setBusy(false)
    }
  }

  return (
    <form className="form contact-form" onSubmit={submit} noValidate>
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`${idPrefix}-name`}>Name</label>
          <input id={`${idPrefix}-name`} name="name" defaultValue={initial?.name} required autoFocus {...invalidProps(error, 'name', `${idPrefix}-name-error`)} />
          <FieldError error={error} field="name" id={`${idPrefix}-name-error`} />
        </div>
        <div className="field">
          <label htmlFor={`${idPrefix}-email`}>Email (optional)</label>
          <input id={`${idPrefix}-email`} name="email" type="email" defaultValue={initial?.email ?? ''} {...invalidProps(error, 'email', `${idPrefix}-email-error`)} />
          <FieldError error={error} field="email" id={`${idPrefix}-email-error`} />
        </div>
      </div>
      <FormError error={error} shownAt={['name', 'email']} />
      <div className="row">
        <button type="submit" className="primary small" disabled={busy}>
          {submitLabel}
        </button>
        <button type="button" className="small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  )
}
