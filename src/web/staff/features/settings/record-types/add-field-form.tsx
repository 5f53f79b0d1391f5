import { useState, type FormEvent } from 'react'
import { FIELD_KINDS } from '../../../../../shared/contracts/labels.js'
import type { FieldKind } from '../../../../../shared/contracts/common.js'
import { api } from '../../../api.js'
import { useAction } from '../../../../shared/use-action.js'
import { FieldError, FormError, invalidProps } from '../../../../shared/ui/form-error.js'
import { KIND_LABELS, keyFromLabel, parseOptions } from './field-kinds.js'

export function AddField({ base, onChange }: { base: string; onChange: () => void }) {
  const action = useAction()
  const [label, setLabel] = useState('')
  const [key, setKey] = useState('')
  const [keyEdited, setKeyEdited] = useState(false)
  const [kind, setKind] = useState<FieldKind>('text')
  const [options, setOptions] = useState('')
  const p = base.replace(/\W+/g, '-') + '-new'

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    void action.run(async () => {
      await api.post(base, { key, label, kind, ...(kind === 'select' ? { options: parseOptions(options) } : {}) })
      setLabel('')
      setKey('')
      setKeyEdited(false)
      setOptions('')
      onChange()
    })
  }

  return (
    <form className="form sub-form" onSubmit={submit} noValidate>
      <h4>Add a field</h4>
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`${p}-label`}>Label</label>
          <input
            id={`${p}-label`}
            value={label}
            onChange={(e) => {
              setLabel(e.target.value)
              if (!keyEdited) setKey(keyFromLabel(e.target.value))
            }}
            {...invalidProps(action.error, 'label')}
          />
          <FieldError error={action.error} field="label" />
        </div>
        <div className="field">
          <label htmlFor={`${p}-key`}>Key</label>
          <input
            id={`${p}-key`}
            value={key}
            onChange={(e) => {
              setKey(e.target.value)
              setKeyEdited(true)
            }}
            {...invalidProps(action.error, 'key')}
          />
          <FieldError error={action.error} field="key" />
        </div>
        <div className="field">
          <label htmlFor={`${p}-kind`}>Kind</label>
          <select id={`${p}-kind`} value={kind} onChange={(e) => setKind(e.target.value as FieldKind)}>
            {FIELD_KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </div>
        {kind === 'select' && (
          <div className="field">
            <label htmlFor={`${p}-options`}>Options (comma-separated)</label>
            <input id={`${p}-options`} value={options} placeholder="Small, Medium, Large" onChange={(e) => setOptions(e.target.value)} {...invalidProps(action.error, 'options')} />
            <FieldError error={action.error} field="options" />
          </div>
        )}
      </div>
      <FormError error={action.error} shownAt={['label', 'key', 'options']} />
      <div className="row">
        <button type="submit" disabled={action.busy || label.trim() === '' || key === ''}>
          Add field
        </button>
      </div>
    </form>
  )
}
