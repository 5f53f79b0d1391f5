// One record: breadcrumb, name, pipeline/status/people, custom fields, files and comments.
import { useCallback } from 'react'
import { Link, useParams } from 'react-router'
import type { RecordDetail, RecordType, StaffUser } from '../../../../shared/contracts/staff.js'
import { api } from '../../api.js'
import { useResource } from '../../../shared/use-resource.js'
import { Loading } from '../../../shared/ui/loading.js'
import { RecordName } from './record-name.js'
import { RecordProperties } from './record-properties.js'
import { CustomFieldsForm } from './custom-fields-form.js'
import { FilesPanel } from './files-panel.js'
import { CommentsPanel } from './comments-panel.js'
import './record.css'

export type RecordPatch = Partial<Pick<RecordDetail, 'name' | 'stageId' | 'status' | 'ownerId' | 'watcherIds'>> & {
  values?: Record<string, string | number | boolean | null>
}

export function RecordPage() {
  const { id = '' } = useParams()
  const record = useResource((signal) => api.get<RecordDetail>(`/records/${id}`, { signal }), [id])
  const types = useResource((signal) => api.get<RecordType[]>('/record-types', { signal }), [])
  const users = useResource((signal) => api.get<StaffUser[]>('/users', { signal }), [])
  const { setData, reload } = record

  const save = useCallback(
    async (patch: RecordPatch) => {
      const updated = await api.patch<RecordDetail | undefined>(`/records/${id}`, patch)
      if (updated && typeof updated === 'object' && 'values' in updated) setData(updated)
      else reload()
    },
    [id, setData, reload],
  )

  if (!record.data || record.data.id !== id || !types.data) return <Loading error={record.error ?? types.error} />
  const data = record.data
  const type = types.data.find((t) => t.id === data.typeId)
  if (!type) return <Loading error={new Error('This record’s type no longer exists.')} />

  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <ol>
          <li>
            <Link to="/companies">Companies</Link>
          </li>
          <li>
            <Link to={`/companies/${data.companyId}`}>{data.companyName}</Link>
          </li>
          <li aria-current="page">{data.name}</li>
        </ol>
      </nav>
      <RecordName key={data.id} name={data.name} typeLabel={type.singular} onSave={(name) => save({ name })} />
      <div className="record-layout">
        <aside className="record-side">
          <RecordProperties record={data} type={type} users={users.data ?? []} onSave={save} />
        </aside>
        <div className="record-main stack">
          <CustomFieldsForm key={data.id} record={data} fields={type.fields} users={users.data ?? []} onSave={save} />
          <FilesPanel recordId={data.id} />
          <CommentsPanel recordId={data.id} />
        </div>
      </div>
    </>
  )
}
