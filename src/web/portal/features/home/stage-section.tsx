// One pipeline stage on the home page: a native <details> whose <summary> carries the stage's colour,
// name, count, status rollup and file count. Stages with records start open; empty ones start closed.
import { useState, type CSSProperties } from 'react'
import { STATUS_LABELS } from '../../../../shared/contracts/labels.js'
import type { PortalRecordCard, PortalStage, PortalTypeSection } from '../../api.js'
import { countOf, filesText, inText } from './labels.js'
import { RecordCard, type HeadingLevel } from './record-card.js'

type Props = { stage: PortalStage; type: PortalTypeSection; records: PortalRecordCard[]; headingLevel: HeadingLevel }

export function StageSection({ stage, type, records, headingLevel }: Props) {
  const [open, setOpen] = useState(stage.count > 0)
  const facts = stageFacts(stage)
  return (
    <details
      className="stage"
      open={open}
      onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}
      style={{ '--stage-color': stage.color } as CSSProperties}
      data-stage-id={stage.id}
    >
      <summary>
        <span className="stage-swatch" aria-hidden="true" />
        <span className="stage-title">
          <span className="stage-name">{stage.name}</span>
          <span className="stage-count">{countOf(stage.count, type.singular, type.plural)}</span>
        </span>
        <span className="stage-facts">
          {facts.map((fact, i) => (
            <span key={fact.key} className="stage-fact">
              {i > 0 && <span className="fact-sep"> · </span>}
              {fact.dot && <span className={`status-dot dot-${fact.dot}`} aria-hidden="true" />}
              {fact.text}
            </span>
          ))}
        </span>
        <span className="stage-chevron" aria-hidden="true" />
      </summary>
      <div className="stage-body">
        {records.length > 0 ? (
          <CardList records={records} stage={stage} headingLevel={headingLevel} />
        ) : (
          <p className="stage-empty">No {inText(type.plural)} in this stage</p>
        )}
      </div>
    </details>
  )
}

export function CardList({ records, stage, headingLevel }: { records: PortalRecordCard[]; stage?: PortalStage; headingLevel: HeadingLevel }) {
  return (
    <ul className="card-grid">
      {records.map((record) => (
        <li key={record.id}>
          <RecordCard record={record} stage={stage} headingLevel={headingLevel} />
        </li>
      ))}
    </ul>
  )
}

/** The summary's small print: the status rollup (when shown), then the file count (when shown). */
function stageFacts(stage: PortalStage): { key: string; text: string; dot?: string }[] {
  const rollup = (stage.statusRollup ?? []).filter((r) => r.count > 0).map((r) => ({ key: r.status, text: `${r.count} ${STATUS_LABELS[r.status].toLowerCase()}`, dot: r.status }))
  return stage.fileCount === undefined ? rollup : [...rollup, { key: 'files', text: filesText(stage.fileCount) }]
}
