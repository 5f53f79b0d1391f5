// One email: headers, its links (so a new user can follow their own magic link), text and HTML parts.
import { Link, useParams } from 'react-router'
import type { EmailDetail } from '../../../../../shared/contracts/staff.js'
import { api } from '../../../api.js'
import { useResource } from '../../../../shared/use-resource.js'
import { Loading } from '../../../../shared/ui/loading.js'
import { formatDateTime } from '../../../../shared/format.js'
import { EmailStatusBadge } from './email-status.js'

export function EmailDetailPage() {
  const { emailId = '' } = useParams()
  const email = useResource((signal) => api.get<EmailDetail>(`/emails/${emailId}`, { signal }), [emailId])
  const back = (
    <Link to="/settings/email" className="small">
      ← Back to outbox
    </Link>
  )
  if (!email.data) return <>{back}<Loading error={email.error} /></>
  const e = email.data
  return (
    <>
      {back}
      <section className="card stack" aria-labelledby="email-subject">
        <h2 id="email-subject">{e.subject}</h2>
        <dl className="headers">
          <dt>From</dt>
          <dd>{e.from}</dd>
          <dt>To</dt>
          <dd>{e.to}</dd>
          {e.replyTo && (
            <>
              <dt>Reply-To</dt>
              <dd>{e.replyTo}</dd>
            </>
          )}
          <dt>Status</dt>
          <dd>
            <EmailStatusBadge status={e.status} /> <span className="muted small">{e.attempts} attempt{e.attempts === 1 ? '' : 's'}</span>
          </dd>
          {e.lastError && (
            <>
              <dt>Last error</dt>
              <dd className="error-text">{e.lastError}</dd>
            </>
          )}
          <dt>Created</dt>
          <dd>{formatDateTime(e.createdAt)}</dd>
          {e.sentAt && (
            <>
              <dt>Sent</dt>
              <dd>{formatDateTime(e.sentAt)}</dd>
            </>
          )}
        </dl>
      </section>
      <section className="card" aria-labelledby="email-links">
        <h3 id="email-links">Links in this email</h3>
        {e.links.length === 0 ? (
          <p className="empty">No links.</p>
        ) : (
          <ul>
            {e.links.map((href) => (
              <li key={href}>
                <a href={href} target="_blank" rel="noreferrer noopener">
                  {href}
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>
      <details className="panel" open>
        <summary>HTML part</summary>
        <div className="panel-body">
          <iframe className="email-html" title={`HTML of “${e.subject}”`} sandbox="" srcDoc={e.html} />
        </div>
      </details>
      <details className="panel">
        <summary>Text part</summary>
        <div className="panel-body">
          <pre>{e.text}</pre>
        </div>
      </details>
    </>
  )
}
