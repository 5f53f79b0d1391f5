// One dialog for a company's name and domain: creates one (no `company`) or edits the one given.
import { useState, type FormEvent } from 'react'
import type { Company } from '../../../../shared/contracts/staff.js'
import { api } from '../../api.js'
import { Modal } from '../../../shared/ui/modal.js'
import { FieldError, FormError, invalidProps } from '../../../shared/ui/form-error.js'

type Props = { open: boolean; company?: Company; onClose: () => void; onSaved: (company: Company) => void }

export function CompanyDialog({ open, company, onClose, onSaved }: Props) {
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const id = company ? 'company' : 'new-company'

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const body = { name: String(form.get('name') ?? ''), domain: String(form.get('domain') ?? '').trim() || null }
    setBusy(true)
    setError(null)
    try {
      onSaved(company ? await api.patch<Company>(`/companies/${company.id}`, body) : await api.post<Company>('/companies', body))
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
    <Modal open={open} title={company ? 'Edit company' : 'New company'} onClose={close}>
      <form className="form" onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input id={`${id}-name`} name="name" defaultValue={company?.name} required autoFocus={!company} {...invalidProps(error, 'name', `${id}-name-error`)} />
          <FieldError error={error} field="name" id={`${id}-name-error`} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-domain`}>Domain{company ? '' : ' (optional)'}</label>
          <input id={`${id}-domain`} name="domain" defaultValue={company?.domain ?? ''} placeholder="acme.com" {...invalidProps(error, 'domain', `${id}-domain-error`)} />
          <FieldError error={error} field="domain" id={`${id}-domain-error`} />
        </div>
        <FormError error={error} shownAt={['name', 'domain']} />
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            {company ? 'Save' : 'Create company'}
          </button>
          <button type="button" onClick={close}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  )
}
