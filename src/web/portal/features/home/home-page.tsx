// The client's home: "{Company} — {Type} Portal" with one shared type, or "{Company} Portal" with one
// section per type when several are shared; a friendly note when nothing is shared yet. A client
// (never a staff Preview) also finds the Get Notified card here.
import { useResource } from '../../../shared/use-resource.js'
import type { PortalHome, PortalTypeSection } from '../../api.js'
import { usePageTitle } from '../../app/page-title.js'
import { usePortal } from '../../app/portal-context.js'
import { LoadFailed, PageSkeleton } from '../../app/session-pages.js'
import { countOf, inText, statusChangesLabel } from './labels.js'
import { NotifyCard } from './notify-card.js'
import { TypeSection } from './type-section.js'
import './home.css'

export function HomePage() {
  const { api, me, preview } = usePortal()
  const home = useResource((signal) => api.get<PortalHome>('/home', { signal }), [api])
  const types = home.data?.types
  const company = me.company.name
  const title = types?.length === 1 ? `${company} — ${types[0]!.singular} Portal` : `${company} Portal`
  usePageTitle(types && title, me.workspace.name)

  if (!types) return home.error ? <LoadFailed error={home.error} onRetry={home.reload} /> : <PageSkeleton />
  return (
    <div className="home">
      <div className="page-intro">
        <h1>{title}</h1>
        <p className="page-lead">{lead(types, me.workspace.name)}</p>
      </div>
      {!preview && <NotifyCard statusLabel={statusChangesLabel(types)} noun={types.length === 1 ? inText(types[0]!.singular) : 'record'} />}
      {types.length === 0 && <NothingShared workspace={me.workspace.name} />}
      {types.length === 1 && <TypeSection type={types[0]!} headingLevel={2} />}
      {types.length > 1 &&
        types.map((type) => (
          <section key={type.key} className="type-section" aria-labelledby={`type-${type.key}`}>
            <h2 id={`type-${type.key}`} className="type-heading">
              {type.plural}
            </h2>
            <TypeSection type={type} headingLevel={3} />
          </section>
        ))}
    </div>
  )
}

function lead(types: PortalTypeSection[], workspace: string): string {
  if (types.length === 0) return `Your portal with ${workspace}.`
  const counts = types.map((t) => countOf(t.records.length, t.singular, t.plural))
  const only = types.length === 1 ? types[0]! : undefined
  const stages = only?.hasPipeline && only.stages.length > 0 ? ` across ${only.stages.length} ${only.stages.length === 1 ? 'stage' : 'stages'}` : ''
  return `${counts.join(', ')}${stages}, shared with you by ${workspace}.`
}

function NothingShared({ workspace }: { workspace: string }) {
  return (
    <section className="message-card" aria-labelledby="nothing-shared">
      <h2 id="nothing-shared">Nothing to show yet</h2>
      <p>{workspace} hasn't shared anything with you here yet. When they do, it will appear on this page — there's nothing you need to set up.</p>
    </section>
  )
}
