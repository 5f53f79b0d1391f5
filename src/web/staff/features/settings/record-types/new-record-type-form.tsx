import { useState, type FormEvent } from 'react'
import { api } from '../../../api.js'
import { useAction } from '../../../../shared/use-action.js'
import { FieldError, FormError, invalidProps } from '../../../../shared/ui/form-error.js'
import { keyFromLabel } from './field-kinds.js'

const FIELDS = ['key', 'singular', 'plural', 'hasPipeline']

export function NewRecordTypeForm({ onCreated }: { onCreated: () => void }) {
  const action = useAction()
  const [singular, setSingular] = useState('')
  const [plural, setPlural] = useState('')
  const [key, setKey] = useState('')
  const [edited, setEdited] = useState({ plural: false, key: false })
  const [hasPipeline, setHasPipeline] = useState(true)

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    void action.run(async () => {
      await api.post('/record-types', { key, singular, plural, hasPipeline })
      setSingular('')
      setPlural('')
      setKey('')
      setEdited({ plural: false, key: false })
      onCreated()
    })
  }

  return (
    <section className="card" aria-labelledby="new-type-heading">
      <h2 id="new-type-heading">New record type</h2>
      <form className="form" onSubmit={submit} noValidate>
        <div className="form-grid">
          <div className="field">
            <label htmlFor="new-type-singular">Singular name</label>
            <input
              id="new-type-singular"
              value={singular}
              placeholder="Deal"
              onChange={(e) => {
                const v = e.target.value
                setSingular(v)
                if (!edited.plural) setPlural(v ? `${v}s` : '')
                if (!edited.key) setKey(keyFromLabel(v))
              }}
              {...invalidProps(action.error, 'singular')}
            />
            <FieldError error={action.error} field="singular" />
          </div>
          <div className="field">
            <label htmlFor="new-type-plural">Plural name</label>
            <input
              id="new-type-plural"
              value={plural}
              placeholder="Deals"
              onChange={(e) => {
                setPlural(e.target.value)
                setEdited((x) => ({ ...x, plural: true }))
              }}
              {...invalidProps(action.error, 'plural')}
            />
            <FieldError error={action.error} field="plural" />
          </div>
          <div className="field">
            <label htmlFor="new-type-key">Key</label>
            <input
              id="new-type-key"
              value={key}
              placeholder="deal"
              onChange={(e) => {
                setKey(e.target.value)
                setEdited((x) => ({ ...x, key: true }))
              }}
              {...invalidProps(action.error, 'key')}
            />
            <FieldError error={action.error} field="key" />
          </div>
        </div>
        <label className="field inline checkbox-label">
          <input type="checkbox" checked={hasPipeline} onChange={(e) => setHasPipeline(e.target.checked)} />
          <span>Has a pipeline (stages)</span>
        </label>
        <FormError error={action.error} shownAt={FIELDS} />
        <div className="row">
          <button type="submit" className="primary" disabled={action.busy}>
            Create record type
          </button>
        </div>
      </form>
    </section>
  )
}
