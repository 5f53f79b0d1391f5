// A company's records, one section per record type, each with a "New {singular}" button.
import { useState } from 'react'
import { Link } from 'react-router'
import type { RecordSummary, RecordType, StaffUser } from '../../../../shared/contracts/staff.js'
import { StagePill } from '../../../shared/ui/stage-pill.js'
import { StatusBadge } from '../../../shared/ui/status-badge.js'
import { NewRecordDialog } from './new-record-dialog.js'

type Props = { companyId: string; types: RecordType[]; records: RecordSummary[]; users: StaffUser[] }

export function CompanyRecords({ companyId, types, records, users }: Props) {
  const [creatingType, setCreatingType] = useState<RecordType | null>(null)
  if (types.length === 0) return <p className="empty">No record types yet. An admin can add them in Settings → Record types.</p>
  return (
    <>
      {types.map((type) => (
        <TypeSection key={type.id} type={type} records={records.filter((r) => r.typeId === type.id)} users={users} onNew={() => setCreatingType(type)} />
      ))}
      {creatingType && <NewRecordDialog companyId={companyId} type={creatingType} onClose={() => setCreatingType(null)} />}
    </>
  )
}

function TypeSection({ type, records, users, onNew }: { type: RecordType; records: RecordSummary[]; users: StaffUser[]; onNew: () => void }) {
  const stageIndex = new Map(type.stages.map((s, i) => [s.id, i]))
  const sorted = [...records].sort((a, b) => (stageIndex.get(a.stageId ?? '') ?? 999) - (stageIndex.get(b.stageId ?? '') ?? 999) || a.name.localeCompare(b.name))
  const headingId = `type-${type.id}-heading`
  return (
    <section className="card" aria-labelledby={headingId}>
      <div className="card-header">
        <h2 id={headingId}>
          {type.plural} <span className="muted small">({records.length})</span>
        </h2>
        <button type="button" className="small" onClick={onNew}>
          New {type.singular.toLowerCase()}
        </button>
      </div>
      {sorted.length === 0 ? (
        <p className="empty">No {type.plural.toLowerCase()} yet.</p>
      ) : (
        <ul className="plain record-list">
          {sorted.map((record) => {
            const stage = type.stages.find((s) => s.id === record.stageId)
            const owner = users.find((u) => u.id === record.ownerId)
            return (
              <li key={record.id} className="record-row">
                <Link to={`/records/${record.id}`} className="record-name">
                  {record.name}
                </Link>
                <span className="row record-meta">
                  {stage && <StagePill name={stage.name} color={stage.color} />}
                  <StatusBadge status={record.status} />
                  {owner && <span className="muted small">{owner.name}</span>}
                </span>
              </li>
            )
          })}
        </ul>
      )}
    </section>
  )
}
