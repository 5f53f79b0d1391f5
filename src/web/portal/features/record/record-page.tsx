// One shared record: breadcrumb, name, status, stage and type; its visible fields; its files and
// comments (each only when the admin shows them), with the client's composer and drop-zone. Anything
// out of scope is "not found".
import { useCallback } from 'react'
import { Link, useParams } from 'react-router'
import { ApiError } from '../../../shared/api-client.js'
import { StatusBadge } from '../../../shared/ui/status-badge.js'
import { useResource } from '../../../shared/use-resource.js'
import type { PortalComment, PortalFile, PortalRecordDetail } from '../../api.js'
import { NotFoundCard } from '../../app/not-found.js'
import { usePageTitle } from '../../app/page-title.js'
import { usePortal } from '../../app/portal-context.js'
import { StageTag } from '../../app/stage-tag.js'
import { LoadFailed, PageSkeleton } from '../../app/session-pages.js'
import { CommentsPanel } from './comments-panel.js'
import { FieldList } from './field-list.js'
import { FilesPanel } from './files-panel.js'
import './record.css'

export function RecordPage() {
  const { id = '' } = useParams()
  const { api, me } = usePortal()
  const record = useResource((signal) => api.get<PortalRecordDetail>(`/records/${encodeURIComponent(id)}`, { signal }), [api, id])
  const current = record.data?.id === id ? record.data : undefined
  usePageTitle(current && `${current.name} · ${me.company.name}`, me.workspace.name)
  const { setData } = record
  // What the client just sent joins the page at once: files newest first, comments oldest first.
  const addFile = useCallback((file: PortalFile) => setData((r) => withRecord(r, id, (d) => ({ ...d, files: [file, ...(d.files ?? [])] }))), [setData, id])
  const addComment = useCallback(
    (comment: PortalComment) => setData((r) => withRecord(r, id, (d) => ({ ...d, comments: [...(d.comments ?? []), comment] }))),
    [setData, id],
  )

  if (isNotFound(record.error)) return <NotFoundCard />
  if (!current) return record.error ? <LoadFailed error={record.error} onRetry={record.reload} /> : <PageSkeleton />
  return (
    <div className="record">
      <Breadcrumb name={current.name} />
      <RecordHero record={current} />
      <div className="record-layout" key={current.id}>
        <section className="panel panel-details" aria-labelledby="details-title">
          <h2 id="details-title">Details</h2>
          <FieldList fields={current.fields} />
        </section>
        {current.files && <FilesPanel recordId={current.id} files={current.files} canUpload={current.canUpload} onUploaded={addFile} />}
        {current.comments && <CommentsPanel recordId={current.id} comments={current.comments} canComment={current.canComment} onPosted={addComment} />}
      </div>
    </div>
  )
}

/** Changes the loaded record, unless the page has moved on to another one meanwhile. */
function withRecord(r: PortalRecordDetail | undefined, id: string, change: (d: PortalRecordDetail) => PortalRecordDetail): PortalRecordDetail {
  return r && r.id === id ? change(r) : (r as PortalRecordDetail)
}

/** A record of another company, a type not shared, a malformed id: all the same "not found". */
function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || (error.status === 400 && error.field === 'id'))
}

function Breadcrumb({ name }: { name: string }) {
  const { paths } = usePortal()
  return (
    <nav aria-label="Breadcrumb" className="breadcrumb">
      <ol>
        <li>
          <Link to={paths.home}>Home</Link>
        </li>
        <li aria-current="page">{name}</li>
      </ol>
    </nav>
  )
}

function RecordHero({ record }: { record: PortalRecordDetail }) {
  return (
    <header className="record-hero">
      <p className="record-type">{record.type.singular}</p>
      <h1>{record.name}</h1>
      {(record.stage || record.status) && (
        <dl className="record-facts">
          {record.stage && (
            <div>
              <dt>Stage</dt>
              <dd>
                <StageTag name={record.stage.name} color={record.stage.color} large labelled={false} />
              </dd>
            </div>
          )}
          {record.status && (
            <div>
              <dt>Status</dt>
              <dd>
                <StatusBadge status={record.status} />
              </dd>
            </div>
          )}
        </dl>
      )}
    </header>
  )
}
