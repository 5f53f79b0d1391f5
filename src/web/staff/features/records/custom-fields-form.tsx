// The record type's custom fields, edited together and saved with one button.
import { useState, type FormEvent } from 'react'
import type { FieldValue } from '../../../../shared/contracts/common.js'
import type { Field, RecordDetail, StaffUser } from '../../../../shared/contracts/staff.js'
import { ApiError } from '../../../shared/api-client.js'
import { FieldError, FormError } from '../../../shared/ui/form-error.js'
import { SaveRow } from '../../../shared/ui/save-row.js'
import { FieldInput } from './field-input.js'
import { fromDraft, sameValue, toDraft, type Draft } from './field-value.js'
import type { RecordPatch } from './record-page.js'

type Props = { record: RecordDetail; fields: Field[]; users: StaffUser[]; onSave: (patch: RecordPatch) => Promise<void> }

export function CustomFieldsForm({ record, fields, users, onSave }: Props) {
  const initial = () => Object.fromEntries(fields.map((f) => [f.key, toDraft(f, record.values[f.key])]))
  const [drafts, setDrafts] = useState<Record<string, Draft>>(initial)
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const [saved, setSaved] = useState(false)
  const sorted = [...fields].sort((a, b) => a.position - b.position)

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const values: Record<string, FieldValue> = {}
    for (const field of sorted) {
      const parsed = fromDraft(field, drafts[field.key] ?? '')
      if ('error' in parsed) return setError(new ApiError(400, 'VALIDATION', parsed.error, `values.${field.key}`))
      if (!sameValue(record.values[field.key], parsed.value)) values[field.key] = parsed.value
    }
    setError(null)
    setSaved(false)
    if (Object.keys(values).length === 0) return setSaved(true)
    setBusy(true)
    try {
      await onSave({ values })
      setSaved(true)
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  if (sorted.length === 0) {
    return (
      <section className="card">
        <h2>Details</h2>
        <p className="empty">This record type has no custom fields. An admin can add them in Settings → Record types.</p>
      </section>
    )
  }
  return (
    <section className="card" aria-labelledby="fields-heading">
      <h2 id="fields-heading">Details</h2>
      <form className="form" onSubmit={submit} noValidate>
        <div className="form-grid">
          {sorted.map((field) => {
            const id = `field-${field.key}`
            const path = `values.${field.key}`
            const invalid = error instanceof ApiError && error.field === path
            return (
              <div key={field.id} className={`field${field.kind === 'long_text' ? ' wide' : ''}`}>
                {field.kind !== 'checkbox' && <label htmlFor={id}>{field.label}</label>}
                <span className={field.kind === 'checkbox' ? 'field inline checkbox-field' : 'contents'}>
                  <FieldInput
                    field={field}
                    id={id}
                    value={drafts[field.key] ?? ''}
                    users={users}
                    invalid={invalid}
                    errorId={`${id}-error`}
                    onChange={(value) => {
                      setSaved(false)
                      setDrafts((d) => ({ ...d, [field.key]: value }))
                    }}
                  />
                  {field.kind === 'checkbox' && <label htmlFor={id}>{field.label}</label>}
                </span>
                <FieldError error={error} field={path} id={`${id}-error`} label={field.label} />
              </div>
            )
          })}
        </div>
        <FormError error={error} shownAt={sorted.map((f) => `values.${f.key}`)} />
        <SaveRow label="Save" busy={busy} saved={saved} />
      </form>
    </section>
  )
}
