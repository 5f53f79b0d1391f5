// One company: its action bar, details, contacts and records grouped by record type.
import { useState } from 'react'
import { Link, useParams } from 'react-router'
import type { CompanyDetail, RecordType, StaffUser } from '../../../../shared/contracts/staff.js'
import { api } from '../../api.js'
import { useResource } from '../../../shared/use-resource.js'
import { Loading } from '../../../shared/ui/loading.js'
import { CompanyActionBar } from './company-action-bar.js'
import { CompanyDialog } from './company-dialog.js'
import { ContactsPanel } from './contacts-panel.js'
import { CompanyRecords } from './company-records.js'
import './company.css'

export function CompanyPage() {
  const { id = '' } = useParams()
  const detail = useResource((signal) => api.get<CompanyDetail>(`/companies/${id}`, { signal }), [id])
  const types = useResource((signal) => api.get<RecordType[]>('/record-types', { signal }), [])
  const users = useResource((signal) => api.get<StaffUser[]>('/users', { signal }), [])
  const [editing, setEditing] = useState(false)

  if (!detail.data || detail.data.company.id !== id) return <Loading error={detail.error} />
  const { company, contacts, records } = detail.data

  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <ol>
          <li>
            <Link to="/companies">Companies</Link>
          </li>
          <li aria-current="page">{company.name}</li>
        </ol>
      </nav>
      <div className="page-header">
        <div>
          <h1>{company.name}</h1>
          <p className="muted company-domain">{company.domain ?? 'No domain'}</p>
        </div>
        <CompanyActionBar company={company} contacts={contacts} onEdit={() => setEditing(true)} />
      </div>
      <div className="grid-2">
        <div className="stack">
          {types.data ? (
            <CompanyRecords companyId={company.id} types={types.data} records={records} users={users.data ?? []} />
          ) : (
            <Loading error={types.error} />
          )}
        </div>
        <div className="stack">
          <ContactsPanel companyId={company.id} contacts={contacts} onChange={detail.reload} />
        </div>
      </div>
      <CompanyDialog
        open={editing}
        company={company}
        onClose={() => setEditing(false)}
        onSaved={() => {
          setEditing(false)
          detail.reload()
        }}
      />
    </>
  )
}
