// A pipeline's stages: colour, rename, reorder, delete (refused while records are in it), add.
import { useState, type FormEvent } from 'react'
import type { RecordType, Stage } from '../../../../../shared/contracts/staff.js'
import { api } from '../../../api.js'
import { useAction } from '../../../../shared/use-action.js'
import { FormError } from '../../../../shared/ui/form-error.js'
import { StagePill } from '../../../../shared/ui/stage-pill.js'
import { MoveButtons } from './move-buttons.js'

type Props = { type: RecordType; canEdit: boolean; onChange: () => void }

export function StagesEditor({ type, canEdit, onChange }: Props) {
  const stages = [...type.stages].sort((a, b) => a.position - b.position)
  const base = `/record-types/${type.id}/stages`
  return (
    <section aria-labelledby={`stages-${type.id}`}>
      <h3 id={`stages-${type.id}`}>Pipeline stages</h3>
      {stages.length === 0 && <p className="empty">No stages yet.</p>}
      <ol className="plain editor-list">
        {stages.map((stage, index) =>
          canEdit ? (
            <StageRow key={stage.id} stage={stage} index={index} count={stages.length} base={base} onChange={onChange} />
          ) : (
            <li key={stage.id}>
              <StagePill name={stage.name} color={stage.color} />
            </li>
          ),
        )}
      </ol>
      {canEdit && <AddStage base={base} onChange={onChange} />}
    </section>
  )
}

function StageRow({ stage, index, count, base, onChange }: { stage: Stage; index: number; count: number; base: string; onChange: () => void }) {
  const action = useAction()
  const [name, setName] = useState(stage.name)
  const [color, setColor] = useState(stage.color)
  const dirty = name !== stage.name || color !== stage.color
  const p = `stage-${stage.id}`
  const patch = (body: object) => action.run(async () => {
    await api.patch(`${base}/${stage.id}`, body)
    onChange()
  })

  function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    void patch({ ...(name !== stage.name ? { name } : {}), ...(color !== stage.color ? { color } : {}) })
  }
  function remove() {
    if (!window.confirm(`Delete the stage “${stage.name}”?`)) return
    void action.run(async () => {
      await api.del(`${base}/${stage.id}`)
      onChange()
    })
  }

  return (
    <li>
      <form className="row" onSubmit={save} noValidate>
        <div className="field tight">
          <label htmlFor={`${p}-color`} className="visually-hidden">
            Colour of {stage.name}
          </label>
          <input id={`${p}-color`} type="color" value={color} onChange={(e) => setColor(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${p}-name`} className="visually-hidden">
            Name of stage {index + 1}
          </label>
          <input id={`${p}-name`} value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <button type="submit" className="small" disabled={!dirty || action.busy}>
          Save
        </button>
      </form>
      <MoveButtons label={stage.name} index={index} count={count} disabled={action.busy} onMove={(position) => void patch({ position })} />
      <button type="button" className="small danger" onClick={remove} disabled={action.busy} aria-label={`Delete stage ${stage.name}`}>
        Delete
      </button>
      <FormError error={action.error} />
    </li>
  )
}

function AddStage({ base, onChange }: { base: string; onChange: () => void }) {
  const action = useAction()
  const [name, setName] = useState('')
  const [color, setColor] = useState('#64748b')
  const id = base.replace(/\W+/g, '-')

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    void action.run(async () => {
      await api.post(base, { name, color })
      setName('')
      onChange()
    })
  }
  return (
    <form className="row sub-form" onSubmit={submit} noValidate>
      <div className="field tight">
        <label htmlFor={`${id}-new-color`}>Colour</label>
        <input id={`${id}-new-color`} type="color" value={color} onChange={(e) => setColor(e.target.value)} />
      </div>
      <div className="field grow">
        <label htmlFor={`${id}-new-name`}>New stage</label>
        <input id={`${id}-new-name`} value={name} placeholder="e.g. Review" onChange={(e) => setName(e.target.value)} />
      </div>
      <button type="submit" disabled={action.busy || name.trim() === ''}>
        Add stage
      </button>
      <FormError error={action.error} />
    </form>
  )
}
