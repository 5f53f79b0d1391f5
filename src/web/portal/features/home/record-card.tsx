// One shared record on the home page: its name (the link to its page), stage, status, a short
// summary of its visible fields and how many files it has. The whole card is the link's target.
import { Link } from 'react-router'
import { StatusBadge } from '../../../shared/ui/status-badge.js'
import type { PortalRecordCard } from '../../api.js'
import { usePortal } from '../../app/portal-context.js'
import { StageTag } from '../../app/stage-tag.js'
import { filesText } from './labels.js'

export type HeadingLevel = 2 | 3

type Props = { record: PortalRecordCard; stage?: { name: string; color: string }; headingLevel: HeadingLevel }

export function RecordCard({ record, stage, headingLevel }: Props) {
  const { paths } = usePortal()
  const Heading = headingLevel === 2 ? 'h2' : 'h3'
  const summary = record.summary.slice(0, 3)
  return (
    <article className="record-card">
      <Heading className="record-card-title">
        <Link to={paths.record(record.id)}>{record.name}</Link>
      </Heading>
      {(stage || record.status) && (
        <p className="record-card-tags">
          {stage && <StageTag name={stage.name} color={stage.color} />}
          {record.status && <StatusBadge status={record.status} />}
        </p>
      )}
      {summary.length > 0 && (
        <dl className="record-card-summary">
          {summary.map((field) => (
            <div key={field.key} className={`summary-field kind-${field.kind}`}>
              <dt>{field.label}</dt>
              <dd>{field.display}</dd>
            </div>
          ))}
        </dl>
      )}
      <p className="record-card-foot">
        {record.fileCount !== undefined ? <span className="file-count">{filesText(record.fileCount)}</span> : <span />}
        <span className="record-card-go" aria-hidden="true">
          View →
        </span>
      </p>
    </article>
  )
}
