// One shared record type on the home page: grouped into its pipeline's stages (in the team's order),
// or a plain list of cards when the type has no pipeline.
import type { PortalStage, PortalTypeSection } from '../../api.js'
import { inText } from './labels.js'
import type { HeadingLevel } from './record-card.js'
import { CardList, StageSection } from './stage-section.js'

/** Records whose stage the client cannot place (none set, or not in the pipeline) still show. */
const NO_STAGE: Omit<PortalStage, 'count'> = { id: 'no-stage', name: 'No stage', color: '#98a2b3' }

export function TypeSection({ type, headingLevel }: { type: PortalTypeSection; headingLevel: HeadingLevel }) {
  if (!type.hasPipeline) {
    if (type.records.length === 0) return <p className="empty-note">No {inText(type.plural)} are shared with you yet.</p>
    return <CardList records={type.records} headingLevel={headingLevel} />
  }
  const known = new Set(type.stages.map((s) => s.id))
  const unplaced = type.records.filter((r) => !r.stageId || !known.has(r.stageId))
  return (
    <div className="stage-list">
      {type.stages.map((stage) => (
        <StageSection key={stage.id} stage={stage} type={type} records={type.records.filter((r) => r.stageId === stage.id)} headingLevel={headingLevel} />
      ))}
      {unplaced.length > 0 && <StageSection stage={{ ...NO_STAGE, count: unplaced.length }} type={type} records={unplaced} headingLevel={headingLevel} />}
    </div>
  )
}
