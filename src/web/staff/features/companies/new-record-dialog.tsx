import { useState, type FormEvent } from 'react'
import { useNavigate } from 'react-router'
import type { RecordDetail, RecordType } from '../../../../shared/contracts/staff.js'
import { api } from '../../api.js'
import { Modal } from '../../../shared/ui/modal.js'
import { FieldError, FormError, invalidProps } from '../../../shared/ui/form-error.js'

type Props = { companyId: string; type: RecordType; onClose: () => void }

export function NewRecordDialog({ companyId, type, onClose }: Props) {
  const navigate = useNavigate()
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const stageId = form.get('stageId')
    setBusy(true)
    setError(null)
    try {
      const record = await api.post<RecordDetail>('/records', {
        typeId: type.id,
        companyId,
        name: String(form.get('name') ?? ''),
        ...(typeof stageId === 'string' && stageId ? { stageId } : {}),
      })
      navigate(`/records/${record.id}`)
    } catch (err) {
      setError(err)
      setBusy(false)
    }
  }

  return (
    <Modal open title={`New ${type.singular.toLowerCase()}`} onClose={onClose}>
      <form className="form" onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor="new-record-name">Name</label>
          <input id="new-record-name" name="name" required autoFocus {...invalidProps(error, 'name', 'new-record-name-error')} />
          <FieldError error={error} field="name" id="new-record-name-error" />
        </div>
        {type.hasPipeline && type.stages.length > 0 && (
          <div className="field">
            <label htmlFor="new-record-stage">Stage</label>
            <select id="new-record-stage" name="stageId" defaultValue={type.stages[0]?.id}>
              {type.stages.map((stage) => (
                <option key={stage.id} value={stage.id}>
                  {stage.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <FormError error={error} shownAt={['name']} />
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            Create {type.singular.toLowerCase()}
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  )
}
