// One record type in Settings → Portal: Shareable, and a Configure panel with its visible fields and features.
// Every change saves at once; the UI updates first and rolls back if the server refuses.
import { useRef, useState } from 'react'
import type { PortalTypeSettings, UpdatePortalTypeSettings } from '../../../../shared/contracts/portal-admin.js'
import { errorMessage } from '../../../shared/api-client.js'
import { KIND_LABELS } from '../settings/record-types/field-kinds.js'
import { portalApi } from './api.js'

type Flag = 'shareable' | 'showStatus' | 'showFiles' | 'showComments' | 'allowUploads' | 'emailOnStaffReply'
type Change = { key: string; label: string; value: boolean } & ({ flag: Flag } | { fieldId: string })
type Status = { key: string; state: 'saving' | 'saved' } | { key: string; state: 'error'; message: string }

const FEATURES: { flag: Flag; label: string; hint: string }[] = [
  { flag: 'showFiles', label: 'Show files', hint: 'Clients can see and download the files attached to a record.' },
  { flag: 'showComments', label: 'Show comments', hint: 'Clients can read the comment thread and reply to your team.' },
  { flag: 'allowUploads', label: 'Allow client uploads', hint: 'Clients get a drop-zone for sending files into your connected storage.' },
  { flag: 'emailOnStaffReply', label: 'Email client on staff reply', hint: 'Opted-in clients are emailed when your team replies to a comment.' },
]

function apply(s: PortalTypeSettings, c: Change, value: boolean): PortalTypeSettings {
  if ('flag' in c) return { ...s, [c.flag]: value }
  return { ...s, fields: s.fields.map((f) => (f.id === c.fieldId ? { ...f, visible: value } : f)) }
}
const confirmedValue = (s: PortalTypeSettings, c: Change) => ('flag' in c ? s[c.flag] : (s.fields.find((f) => f.id === c.fieldId)?.visible ?? false))

type Props = { settings: PortalTypeSettings; canEdit: boolean; onSaved: (s: PortalTypeSettings) => void }

export function TypeSettingsCard({ settings, canEdit, onSaved }: Props) {
  const [value, setValue] = useState(settings)
  const [status, setStatus] = useState<Status | null>(null)
  const [announce, setAnnounce] = useState('')
  const latest = useRef(settings)
  const confirmed = useRef(settings)
  const queue = useRef<Promise<void>>(Promise.resolve())
  const pending = useRef(0)
  const p = `portal-${settings.typeId}`

  function update(next: PortalTypeSettings) {
    latest.current = next
    setValue(next)
  }

  // Saves run one after another so a field list sent later always includes the earlier clicks.
  function change(c: Change) {
    update(apply(latest.current, c, c.value))
    pending.current++
    setStatus({ key: c.key, state: 'saving' })
    queue.current = queue.current.then(async () => {
      const body: UpdatePortalTypeSettings = 'flag' in c ? { [c.flag]: c.value } : { visibleFieldIds: latest.current.fields.filter((f) => f.visible).map((f) => f.id) }
      try {
        const saved = await portalApi.updateType(settings.typeId, body)
        confirmed.current = saved
        pending.current--
        if (pending.current === 0) update(saved)
        setStatus((s) => (s?.key === c.key && s.state === 'error' ? s : { key: c.key, state: 'saved' }))
        setAnnounce(`${c.label}: saved`)
        onSaved(saved)
      } catch (err) {
        pending.current--
        update(apply(latest.current, c, confirmedValue(confirmed.current, c)))
        const message = errorMessage(err)
        setStatus({ key: c.key, state: 'error', message })
        setAnnounce(`${c.label}: not saved. ${message}`)
      }
    })
  }

  const indicator = (key: string) => {
    if (status?.key !== key) return null
    if (status.state === 'error') return null
    return (
      <span className={`save-state ${status.state}`} aria-hidden="true">
        {status.state === 'saving' ? 'Saving…' : 'Saved ✓'}
      </span>
    )
  }
  const inlineError = (key: string) =>
    status?.key === key && status.state === 'error' ? (
      <p className="error-text" role="alert">
        Not saved: {status.message}
      </p>
    ) : null

  const checkbox = (key: string, label: string, checked: boolean, onToggle: (next: boolean) => void, hint?: string, kind?: string) => (
    <li className="toggle-item" key={key}>
      <div className="toggle-line">
        <input id={`${p}-${key}`} type="checkbox" checked={checked} disabled={!canEdit} onChange={(e) => onToggle(e.target.checked)} aria-describedby={hint ? `${p}-${key}-hint` : undefined} />
        <label htmlFor={`${p}-${key}`}>{label}</label>
        {kind && <span className="muted small">{kind}</span>}
        {indicator(key)}
      </div>
      {hint && (
        <p className="hint" id={`${p}-${key}-hint`}>
          {hint}
        </p>
      )}
      {inlineError(key)}
    </li>
  )
  const flag = (f: Flag, label: string, hint?: string) => checkbox(f, label, value[f], (next) => change({ key: f, label, flag: f, value: next }), hint)

  const visibleCount = value.fields.filter((f) => f.visible).length + (value.showStatus ? 1 : 0)
  const features = FEATURES.filter((f) => value[f.flag]).map((f) => f.label.toLowerCase())
  return (
    <section className="card type-settings" aria-labelledby={`${p}-heading`}>
      <div className="card-header">
        <h2 id={`${p}-heading`}>{value.plural}</h2>
        <span className={`badge${value.shareable ? ' ok' : ''}`}>{value.shareable ? 'Shared' : 'Not shared'}</span>
      </div>
      <ul className="plain">{flag('shareable', 'Shareable', `Show ${value.plural} on the client’s portal home${value.hasPipeline ? ', grouped by stage' : ''}.`)}</ul>
      <details className="panel configure">
        <summary>
          Configure <span className="muted small summary-meta">· {visibleCount} of {value.fields.length + 1} fields visible{features.length ? ` · ${features.join(', ')}` : ''}</span>
        </summary>
        <div className="panel-body configure-body">
          <fieldset className="plain-fieldset">
            <legend>Visible fields</legend>
            <p className="hint">Fields are hidden by default. A hidden field is never sent to the client’s browser.</p>
            <ul className="plain toggle-grid">
              <li className="toggle-item">
                <div className="toggle-line">
                  <input id={`${p}-name`} type="checkbox" checked disabled />
                  <label htmlFor={`${p}-name`}>Name — always shown</label>
                </div>
              </li>
              {value.hasPipeline && (
                <li className="toggle-item">
                  <div className="toggle-line">
                    <input id={`${p}-stage`} type="checkbox" checked disabled />
                    <label htmlFor={`${p}-stage`}>Stage — always shown</label>
                  </div>
                </li>
              )}
              {flag('showStatus', 'Status')}
              {value.fields.map((field) =>
                checkbox(field.id, field.label, field.visible, (next) => change({ key: field.id, label: field.label, fieldId: field.id, value: next }), undefined, KIND_LABELS[field.kind]),
              )}
            </ul>
          </fieldset>
          <fieldset className="plain-fieldset">
            <legend>Features</legend>
            <ul className="plain toggle-list">{FEATURES.map((f) => flag(f.flag, f.label, f.hint))}</ul>
          </fieldset>
        </div>
      </details>
      <p className="visually-hidden" aria-live="polite">
        {announce}
      </p>
    </section>
  )
}
