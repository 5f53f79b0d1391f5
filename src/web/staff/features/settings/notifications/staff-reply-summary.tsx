// The per-type "Email client on staff reply" toggle lives in Settings → Portal; this shows its current values.
import { Link } from 'react-router'
import type { PortalTypeSettings } from '../../../../../shared/contracts/portal-admin.js'
import { FormError } from '../../../../shared/ui/form-error.js'
import type { Resource } from '../../../../shared/use-resource.js'

export function StaffReplySummary({ settings }: { settings: Resource<PortalTypeSettings[]> }) {
  return (
    <section className="card" aria-labelledby="staff-reply-heading">
      <h2 id="staff-reply-heading">Email client on staff reply</h2>
      <p className="muted small">
        Whether an opted-in client is emailed when your team replies to a comment is set per record type in <Link to="/settings/portal">Settings → Portal</Link>. It’s off by
        default, and a client is never emailed about their own comment.
      </p>
      {settings.error ? (
        <FormError error={settings.error} />
      ) : !settings.data ? (
        <p className="muted small">Loading…</p>
      ) : settings.data.length === 0 ? (
        <p className="empty">No record types yet.</p>
      ) : (
        <ul className="plain staff-reply-list">
          {settings.data.map((t) => (
            <li key={t.typeId}>
              <span>{t.plural}</span>
              {!t.shareable && <span className="muted small">not shared</span>}
              <span className={`badge${t.emailOnStaffReply ? ' ok' : ''}`}>{t.emailOnStaffReply ? 'On' : 'Off'}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
