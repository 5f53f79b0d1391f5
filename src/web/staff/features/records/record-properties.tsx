// Stage, status, owner and watchers: each change is saved at once.
import { useState } from 'react'
import { RECORD_STATUSES, STATUS_LABELS } from '../../../../shared/contracts/labels.js'
import type { RecordStatus } from '../../../../shared/contracts/common.js'
import type { RecordDetail, RecordType, StaffUser } from '../../../../shared/contracts/staff.js'
import { FormError } from '../../../shared/ui/form-error.js'
import { StagePill } from '../../../shared/ui/stage-pill.js'
import { StatusBadge } from '../../../shared/ui/status-badge.js'
import { contrastText } from '../../../shared/format.js'
import type { RecordPatch } from './record-page.js'

type Props = { record: RecordDetail; type: RecordType; users: StaffUser[]; onSave: (patch: RecordPatch) => Promise<void> }

export function RecordProperties({ record: savedRecord, type, users, onSave }: Props) {
  const [pending, setPending] = useState<RecordPatch>({})
  const record = { ...savedRecord, ...pending }
  const [error, setError] = useState<unknown>(null)
  const [saving, setSaving] = useState(false)
  const [saved, setSaved] = useState(false)
  const stage = type.stages.find((s) => s.id === record.stageId)

  async function save(patch: RecordPatch) {
    setPending(patch)
    setSaving(true)
    setSaved(false)
    setError(null)
    try {
      await onSave(patch)
      setSaved(true)
    } catch (err) {
      setError(err)
    } finally {
      setPending({})
      setSaving(false)
    }
  }

  return (
    <section className="card form" aria-labelledby="properties-heading">
      <div className="card-header">
        <h2 id="properties-heading">Overview</h2>
        <span className="muted small" aria-live="polite">
          {saving ? 'Saving…' : saved ? 'Saved' : ''}
        </span>
      </div>
      {type.hasPipeline && (
        <div className="field">
          <label htmlFor="record-stage">Stage</label>
          <div className="row nowrap">
            <select id="record-stage" value={record.stageId ?? ''} disabled={saving} onChange={(e) => save({ stageId: e.target.value || null })}>
              {!stage && <option value="">No stage</option>}
              {type.stages.map((s) => (
                <option key={s.id} value={s.id} style={{ background: s.color, color: contrastText(s.color) }}>
                  {s.name}
                </option>
              ))}
            </select>
            {stage && <StagePill name={stage.name} color={stage.color} />}
          </div>
          <StageTrack stages={type.stages} currentId={record.stageId} />
        </div>
      )}
      <div className="field">
        <label htmlFor="record-status">Status</label>
        <div className="row nowrap">
          <select id="record-status" value={record.status} disabled={saving} onChange={(e) => save({ status: e.target.value as RecordStatus })}>
            {RECORD_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
          <StatusBadge status={record.status} />
        </div>
      </div>
      <div className="field">
        <label htmlFor="record-owner">Owner</label>
        <select id="record-owner" value={record.ownerId ?? ''} disabled={saving} onChange={(e) => save({ ownerId: e.target.value || null })}>
          <option value="">No owner</option>
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
      </div>
      <Watchers users={users} selected={record.watcherIds} disabled={saving} onChange={(watcherIds) => save({ watcherIds })} />
      <FormError error={error} />
    </section>
  )
}

function StageTrack({ stages, currentId }: { stages: RecordType['stages']; currentId: string | null }) {
  const current = stages.findIndex((s) => s.id === currentId)
  return (
    <ol className="stage-track" aria-hidden="true">
      {stages.map((s, i) => (
        <li key={s.id} className={i <= current ? 'reached' : ''} style={i <= current ? { background: s.color } : undefined} title={s.name} />
      ))}
    </ol>
  )
}

type WatchersProps = { users: StaffUser[]; selected: string[]; disabled: boolean; onChange: (ids: string[]) => void }

function Watchers({ users, selected, disabled, onChange }: WatchersProps) {
  const names = users.filter((u) => selected.includes(u.id)).map((u) => u.name)
  function toggle(id: string, on: boolean) {
    onChange(on ? [...selected, id] : selected.filter((w) => w !== id))
  }
  return (
    <details className="watchers">
      <summary>
        <span className="label-like">Watchers</span> <span className="muted small">{names.length ? names.join(', ') : 'Nobody'}</span>
      </summary>
      <fieldset disabled={disabled}>
        <legend className="visually-hidden">Watchers</legend>
        {users.map((u) => (
          <label key={u.id} className="field inline checkbox-label">
            <input type="checkbox" checked={selected.includes(u.id)} onChange={(e) => toggle(u.id, e.target.checked)} />
            <span>{u.name}</span>
          </label>
        ))}
      </fieldset>
    </details>
  )
}
