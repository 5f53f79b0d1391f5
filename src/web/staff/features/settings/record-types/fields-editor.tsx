// A record type's custom fields: label, options for selects, reorder, delete, add.
import { useState, type FormEvent } from 'react'
import type { Field, RecordType } from '../../../../../shared/contracts/staff.js'
import { api } from '../../../api.js'
import { useAction } from '../../../../shared/use-action.js'
import { FormError } from '../../../../shared/ui/form-error.js'
import { MoveButtons } from './move-buttons.js'
import { AddField } from './add-field-form.js'
import { KIND_LABELS, parseOptions } from './field-kinds.js'

type Props = { type: RecordType; canEdit: boolean; onChange: () => void }

export function FieldsEditor({ type, canEdit, onChange }: Props) {
  const fields = [...type.fields].sort((a, b) => a.position - b.position)
  const base = `/record-types/${type.id}/fields`
  return (
    <section aria-labelledby={`fields-${type.id}`}>
      <h3 id={`fields-${type.id}`}>Custom fields</h3>
      {fields.length === 0 && <p className="empty">No custom fields yet.</p>}
      <ol className="plain editor-list">
        {fields.map((field, index) =>
          canEdit ? (
            <FieldRow key={field.id} field={field} index={index} count={fields.length} base={base} onChange={onChange} />
          ) : (
            <li key={field.id}>
              <span>{field.label}</span> <span className="kind-label muted">{KIND_LABELS[field.kind]}</span>
              {field.kind === 'select' && <span className="muted small">{field.options.join(', ')}</span>}
            </li>
          ),
        )}
      </ol>
      {canEdit && <AddField base={base} onChange={onChange} />}
    </section>
  )
}

function FieldRow({ field, index, count, base, onChange }: { field: Field; index: number; count: number; base: string; onChange: () => void }) {
  const action = useAction()
  const [label, setLabel] = useState(field.label)
  const [options, setOptions] = useState(field.options.join(', '))
  const optionsChanged = field.kind === 'select' && parseOptions(options).join('\n') !== field.options.join('\n')
  const dirty = label !== field.label || optionsChanged
  const p = `field-${field.id}`
  const patch = (body: object) => action.run(async () => {
    await api.patch(`${base}/${field.id}`, body)
    onChange()
  })

  function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    void patch({ ...(label !== field.label ? { label } : {}), ...(optionsChanged ? { options: parseOptions(options) } : {}) })
  }
  function remove() {
    if (!window.confirm(`Delete the field “${field.label}” and its value on every record?`)) return
    void action.run(async () => {
      await api.del(`${base}/${field.id}`)
      onChange()
    })
  }

  return (
    <li>
      <form className="row editor-form" onSubmit={save} noValidate>
        <div className="field">
          <label htmlFor={`${p}-label`} className="visually-hidden">
            Label of {field.key}
          </label>
          <input id={`${p}-label`} value={label} onChange={(e) => setLabel(e.target.value)} />
          <span className="kind-label muted">
            {field.key} · {KIND_LABELS[field.kind]}
          </span>
        </div>
        {field.kind === 'select' && (
          <div className="field">
            <label htmlFor={`${p}-options`} className="visually-hidden">
              Options of {field.key} (comma-separated)
            </label>
            <input id={`${p}-options`} value={options} onChange={(e) => setOptions(e.target.value)} />
            <span className="muted small">Options, comma-separated</span>
          </div>
        )}
        <button type="submit" className="small" disabled={!dirty || action.busy}>
          Save
        </button>
      </form>
      <MoveButtons label={field.label} index={index} count={count} disabled={action.busy} onMove={(position) => void patch({ position })} />
      <button type="button" className="small danger" onClick={remove} disabled={action.busy} aria-label={`Delete field ${field.label}`}>
        Delete
      </button>
      <FormError error={action.error} />
    </li>
  )
}
