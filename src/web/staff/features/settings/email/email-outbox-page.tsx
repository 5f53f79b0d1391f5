// Settings → Email → Outbox: every email the workspace sent or will send, newest first.
import { useEffect } from 'react'
import { Link } from 'react-router'
import type { EmailSummary } from '../../../../../shared/contracts/staff.js'
import { api } from '../../../api.js'
import { useResource } from '../../../../shared/use-resource.js'
import { Loading } from '../../../../shared/ui/loading.js'
import { formatDateTime } from '../../../../shared/format.js'
import { EmailStatusBadge } from './email-status.js'

export function EmailOutboxPage() {
  const emails = useResource((signal) => api.get<EmailSummary[]>('/emails', { signal }), [])
  const hasQueued = emails.data?.some((e) => e.status === 'queued') ?? false
  const { reload } = emails

  // While something is still queued, look again every few seconds so its status updates.
  useEffect(() => {
    if (!hasQueued) return
    const id = setInterval(reload, 3000)
    return () => clearInterval(id)
  }, [hasQueued, reload])

  return (
    <section className="card stack" aria-labelledby="outbox-heading">
      <div className="card-header">
        <div>
          <h2 id="outbox-heading">Email · Outbox</h2>
          <p className="muted small">Emails sent from this workspace. Without SMTP configured, they stay here — open one to follow its links.</p>
        </div>
        <button type="button" className="small" onClick={reload}>
          Refresh
        </button>
      </div>
      {!emails.data ? (
        <Loading error={emails.error} />
      ) : emails.data.length === 0 ? (
        <p className="empty">No emails yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="data cards">
            <thead>
              <tr>
                <th scope="col">To</th>
                <th scope="col">Subject</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">Attempts</th>
                <th scope="col">Last error</th>
                <th scope="col">Time</th>
              </tr>
            </thead>
            <tbody>
              {emails.data.map((email) => (
                <tr key={email.id}>
                  <td data-label="To">{email.to}</td>
                  <td>
                    <Link to={`/settings/email/${email.id}`}>{email.subject}</Link>
                  </td>
                  <td data-label="Status">
                    <EmailStatusBadge status={email.status} />
                  </td>
                  <td data-label="Attempts" className="num">
                    {email.attempts}
                  </td>
                  <td data-label="Last error" className="small">
                    {email.lastError ?? <span className="muted">—</span>}
                  </td>
                  <td data-label="Time" className="muted small">
                    {formatDateTime(email.sentAt ?? email.createdAt)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
