// Companies list: debounced search, a table (cards on a phone), and "New company".
import { useState } from 'react'
import { Link, useNavigate } from 'react-router'
import type { Company } from '../../../../shared/contracts/staff.js'
import { api } from '../../api.js'
import { useDebounced, useResource } from '../../../shared/use-resource.js'
import { Loading } from '../../../shared/ui/loading.js'
import { formatDate } from '../../../shared/format.js'
import { CompanyDialog } from './company-dialog.js'

export function CompaniesPage() {
  const [query, setQuery] = useState('')
  const q = useDebounced(query.trim(), 250)
  const [creating, setCreating] = useState(false)
  const navigate = useNavigate()
  const companies = useResource((signal) => api.get<Company[]>(`/companies${q ? `?q=${encodeURIComponent(q)}` : ''}`, { signal }), [q])

  return (
    <>
      <div className="page-header">
        <h1>Companies</h1>
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          New company
        </button>
      </div>
      <div className="card stack">
        <div className="field">
          <label htmlFor="company-search">Search companies</label>
          <input id="company-search" type="search" placeholder="Name or domain" value={query} onChange={(e) => setQuery(e.target.value)} />
        </div>
        {companies.data ? <CompanyTable companies={companies.data} searching={q !== ''} /> : <Loading error={companies.error} />}
      </div>
      <CompanyDialog open={creating} onClose={() => setCreating(false)} onSaved={(company) => navigate(`/companies/${company.id}`)} />
    </>
  )
}

function CompanyTable({ companies, searching }: { companies: Company[]; searching: boolean }) {
  if (companies.length === 0) return <p className="empty">{searching ? 'No company matches your search.' : 'No companies yet.'}</p>
  return (
    <div className="table-wrap">
      <table className="data cards">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Domain</th>
            <th scope="col" className="num">Contacts</th>
            <th scope="col" className="num">Records</th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          {companies.map((c) => (
            <tr key={c.id}>
              <td>
                <Link to={`/companies/${c.id}`}>
                  <strong>{c.name}</strong>
                </Link>
              </td>
              <td data-label="Domain">{c.domain ?? <span className="muted">—</span>}</td>
              <td data-label="Contacts" className="num">
                {c.contactCount}
              </td>
              <td data-label="Records" className="num">
                {c.recordCount}
              </td>
              <td data-label="Updated" className="muted">
                {formatDate(c.updatedAt)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
