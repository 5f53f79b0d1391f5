// The record's name as a heading, with a Rename form.
import { useState, type FormEvent } from 'react'
import { FieldError, FormError, invalidProps } from '../../../shared/ui/form-error.js'

type Props = { name: string; typeLabel: string; onSave: (name: string) => Promise<void> }

export function RecordName({ name, typeLabel, onSave }: Props) {
  const [editing, setEditing] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const value = String(new FormData(event.currentTarget).get('name') ?? '')
    setBusy(true)
    setError(null)
    try {
      await onSave(value)
      setEditing(false)
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  if (!editing) {
    return (
      <div className="page-header">
        <div>
          <p className="muted small record-type-label">{typeLabel}</p>
          <h1>{name}</h1>
        </div>
        <div className="action-bar">
          <button type="button" onClick={() => setEditing(true)}>
            Rename
          </button>
        </div>
      </div>
    )
  }
  return (
    <form className="page-header record-rename" onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor="record-name">{typeLabel} name</label>
        <input id="record-name" name="name" defaultValue={name} required autoFocus {...invalidProps(error, 'name', 'record-name-error')} />
        <FieldError error={error} field="name" id="record-name-error" />
        <FormError error={error} shownAt={['name']} />
      </div>
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          Save name
        </button>
        <button type="button" onClick={() => setEditing(false)}>
          Cancel
        </button>
      </div>
    </form>
  )
}
