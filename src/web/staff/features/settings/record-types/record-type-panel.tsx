// One record type, collapsible: its names, its pipeline stages and its custom fields.
import type { FormEvent } from 'react'
import type { RecordType } from '../../../../../shared/contracts/staff.js'
import { api } from '../../../api.js'
import { useAction } from '../../../../shared/use-action.js'
import { FieldError, FormError, invalidProps } from '../../../../shared/ui/form-error.js'
import { StagesEditor } from './stages-editor.js'
import { FieldsEditor } from './fields-editor.js'

type Props = { type: RecordType; canEdit: boolean; onChange: () => void }

export function RecordTypePanel({ type, canEdit, onChange }: Props) {
  const rename = useAction()
  const p = `type-${type.id}`

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    void rename.run(async () => {
      await api.patch(`/record-types/${type.id}`, { singular: String(form.get('singular') ?? ''), plural: String(form.get('plural') ?? '') })
      onChange()
    })
  }

  return (
    <details className="panel">
      <summary>
        <span className="type-summary">
          <span>{type.plural}</span>
          <span className="kind-label muted">{type.key}</span>
          <span className="muted small">
            {type.hasPipeline ? `${type.stages.length} stages · ` : 'no pipeline · '}
            {type.fields.length} fields
          </span>
        </span>
      </summary>
      <div className="panel-body stack">
        <form className="row rename-form" onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor={`${p}-singular`}>Singular name</label>
            <input id={`${p}-singular`} name="singular" defaultValue={type.singular} readOnly={!canEdit} {...invalidProps(rename.error, 'singular')} />
            <FieldError error={rename.error} field="singular" />
          </div>
          <div className="field">
            <label htmlFor={`${p}-plural`}>Plural name</label>
            <input id={`${p}-plural`} name="plural" defaultValue={type.plural} readOnly={!canEdit} {...invalidProps(rename.error, 'plural')} />
            <FieldError error={rename.error} field="plural" />
          </div>
          {canEdit && (
            <button type="submit" disabled={rename.busy}>
              Rename
            </button>
          )}
          <FormError error={rename.error} shownAt={['singular', 'plural']} />
        </form>
        {type.hasPipeline && <StagesEditor type={type} canEdit={canEdit} onChange={onChange} />}
        <FieldsEditor type={type} canEdit={canEdit} onChange={onChange} />
      </div>
    </details>
  )
}
