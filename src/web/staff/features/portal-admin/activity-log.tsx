// "Activity": the company's portal audit log — shared, re-shared, revoked, opened, signed out… — per contact,
// with time, what, who, IP and user agent (truncated; the full string in a tooltip).
import { useId, useState } from 'react'
import type { PortalActivity } from '../../../../shared/contracts/portal-admin.js'
import { formatDateTime, formatRelative } from '../../../shared/format.js'

const ALL = ''
/** Events the client's own browser caused; everything else was done by staff (or by the system). */
const CLIENT_KINDS = new Set(['link_opened', 'signed_out', 'downloaded', 'uploaded', 'commented'])

const who = (a: PortalActivity) => a.actorName ?? (CLIENT_KINDS.has(a.kind) && a.contactName ? `${a.contactName} (client)` : 'System')

export function ActivityLog({ activity }: { activity: PortalActivity[] }) {
  const [contact, setContact] = useState(ALL)
  const filterId = useId()
  const contacts = [...new Set(activity.map((a) => a.contactName).filter((n): n is string => Boolean(n)))].sort()
  const shown = contact === ALL ? activity : activity.filter((a) => a.contactName === contact)

  return (
    <details className="panel activity-log">
      <summary>
        Activity <span className="muted small">({activity.length})</span>
      </summary>
      <div className="panel-body stack">
        {activity.length === 0 ? (
          <p className="empty">No portal activity yet.</p>
        ) : (
          <>
            {contacts.length > 1 && (
              <div className="field inline">
                <label htmlFor={filterId}>Contact</label>
                <select id={filterId} value={contact} onChange={(e) => setContact(e.target.value)}>
                  <option value={ALL}>All contacts</option>
                  {contacts.map((name) => (
                    <option key={name} value={name}>
                      {name}
                    </option>
                  ))}
                </select>
              </div>
            )}
            <div className="table-wrap">
              <table className="data cards activity-table">
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    <th scope="col">Contact</th>
                    <th scope="col">What</th>
                    <th scope="col">By</th>
                    <th scope="col">IP and browser</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((a) => (
                    <tr key={a.id}>
                      <td data-label="Time">
                        <time dateTime={a.at} title={formatDateTime(a.at)}>
                          {formatRelative(a.at)}
                        </time>
                      </td>
                      <td data-label="Contact">{a.contactName ?? '—'}</td>
                      <td data-label="What">{a.label}</td>
                      <td data-label="By">{who(a)}</td>
                      <td data-label="From" className="activity-from">
                        <span className="mono">{a.ip ?? 'IP unknown'}</span>
                        {a.userAgent && (
                          <span className="ua muted small" title={a.userAgent}>
                            {a.userAgent}
                          </span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </div>
    </details>
  )
}
