// Every visible field of a record, as the server formatted it. Links open in a new tab, safely,
// and only when the server vouched for them (an http(s) href).
import type { PortalFieldValue } from '../../api.js'

export function FieldList({ fields }: { fields: PortalFieldValue[] }) {
  if (fields.length === 0) return <p className="empty-note">No details are shared for this record yet.</p>
  return (
    <dl className="field-list">
      {fields.map((field) => (
        <div key={field.key} className={`field-row kind-${field.kind}`}>
          <dt>{field.label}</dt>
          <dd>
            <FieldDisplay field={field} />
          </dd>
        </div>
      ))}
    </dl>
  )
}

function FieldDisplay({ field }: { field: PortalFieldValue }) {
  if (field.kind === 'url' && field.href) {
    return (
      <a href={field.href} target="_blank" rel="noopener noreferrer nofollow">
        {field.display}
        <span className="visually-hidden"> (opens in a new tab)</span>
      </a>
    )
  }
  if (field.kind === 'checkbox') {
    const yes = field.display === 'Yes'
    return (
      <span className={yes ? 'check-yes' : 'check-no'}>
        {yes && <span aria-hidden="true">✓ </span>}
        {field.display}
      </span>
    )
  }
  return <>{field.display}</>
}
