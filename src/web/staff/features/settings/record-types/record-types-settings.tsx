// Settings → Record types: every type with its stages and fields, and a form for a new type.
import type { RecordType } from '../../../../../shared/contracts/staff.js'
import { api } from '../../../api.js'
import { useResource } from '../../../../shared/use-resource.js'
import { Loading } from '../../../../shared/ui/loading.js'
import { useMe } from '../../auth/me-context.js'
import { RecordTypePanel } from './record-type-panel.js'
import { NewRecordTypeForm } from './new-record-type-form.js'

export function RecordTypesSettings() {
  const { me } = useMe()
  const isAdmin = me.user.role === 'admin'
  const types = useResource((signal) => api.get<RecordType[]>('/record-types', { signal }), [])
  if (!types.data) return <Loading error={types.error} />
  return (
    <>
      <section className="card stack" aria-labelledby="types-heading">
        <div>
          <h2 id="types-heading">Record types</h2>
          <p className="muted small">What your team tracks for each company, with its pipeline stages and custom fields.</p>
        </div>
        {!isAdmin && <p className="notice">Only an admin can change record types.</p>}
        {types.data.length === 0 && <p className="empty">No record types yet.</p>}
        {types.data.map((type) => (
          <RecordTypePanel key={type.id} type={type} canEdit={isAdmin} onChange={types.reload} />
        ))}
      </section>
      {isAdmin && <NewRecordTypeForm onCreated={types.reload} />}
    </>
  )
}
