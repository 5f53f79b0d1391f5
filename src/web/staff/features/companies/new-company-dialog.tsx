import { useState, type FormEvent } from 'react'
import { useNavigate } from 'react-router'
import type { Company } from '../../../../shared/contracts/staff.js'
import { api } from '../../api.js'
import { Modal } from '../../../shared/ui/modal.js'
import { FieldError, FormError, invalidProps } from '../../../shared/ui/form-error.js'

export function NewCompanyDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const navigate = useNavigate()
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const domain = String(form.get('domain') ?? '').trim()
    setBusy(true)
    setError(null)
    try {
      const company = await api.post<Company>('/companies', { name: String(form.get('name') ?? ''), domain: domain || null })
      navigate(`/companies/${company.id}`)
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
    <Modal open={open} title="New company" onClose={close}>
      <form className="form" onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor="new-company-name">Name</label>
          <input id="new-company-name" name="name" required autoFocus {...invalidProps(error, 'name', 'new-company-name-error')} />
          <FieldError error={error} field="name" id="new-company-name-error" />
        </div>
        <div className="field">
          <label htmlFor="new-company-domain">Domain (optional)</label>
          <input id="new-company-domain" name="domain" placeholder="acme.com" {...invalidProps(error, 'domain', 'new-company-domain-error')} />
          <FieldError error={error} field="domain" id="new-company-domain-error" />
        </div>
        <FormError error={error} shownAt={['name', 'domain']} />
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            Create company
          </button>
          <button type="button" onClick={close}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  )
}
