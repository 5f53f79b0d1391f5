import { useState, type FormEvent } from 'react'
import type { Company } from '../../../../shared/contracts/staff.js'
import { api } from '../../api.js'
import { Modal } from '../../../shared/ui/modal.js'
import { FieldError, FormError, invalidProps } from '../../../shared/ui/form-error.js'

type Props = { open: boolean; company: Company; onClose: () => void; onSaved: () => void }

export function EditCompanyDialog({ open, company, onClose, onSaved }: Props) {
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const domain = String(form.get('domain') ?? '').trim()
    setBusy(true)
    setError(null)
    try {
      await api.patch(`/companies/${company.id}`, { name: String(form.get('name') ?? ''), domain: domain || null })
      onSaved()
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  function close() {
    setError(null)
    onClose()
  }

  return (
    <Modal open={open} title="Edit company" onClose={close}>
      <form className="form" onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor="company-name">Name</label>
          <input id="company-name" name="name" defaultValue={company.name} required {...invalidProps(error, 'name', 'company-name-error')} />
          <FieldError error={error} field="name" id="company-name-error" />
        </div>
        <div className="field">
          <label htmlFor="company-domain">Domain</label>
          <input id="company-domain" name="domain" defaultValue={company.domain ?? ''} {...invalidProps(error, 'domain', 'company-domain-error')} />
          <FieldError error={error} field="domain" id="company-domain-error" />
        </div>
        <FormError error={error} shownAt={['name', 'domain']} />
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            Save
          </button>
          <button type="button" onClick={close}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  )
}
