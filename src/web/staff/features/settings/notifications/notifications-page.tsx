// Settings → Notifications: how customer-facing emails are sent overall, the per-type staff-reply toggle's
// current values (set in Settings → Portal), and a preview of each client email.
import type { EmailPreview, Workspace } from '../../../../../shared/contracts/staff.js'
import { api } from '../../../api.js'
import { useResource } from '../../../../shared/use-resource.js'
import { Loading } from '../../../../shared/ui/loading.js'
import { useMe } from '../../auth/me-context.js'
import { portalApi } from '../../portal-admin/api.js'
import { SenderForm } from './sender-form.js'
import { StaffReplySummary } from './staff-reply-summary.js'
import { EmailPreviews } from './email-previews.js'
import './notifications.css'

export function NotificationsPage() {
  const { me } = useMe()
  const workspace = useResource((signal) => api.get<Workspace>('/workspace', { signal }), [])
  const previews = useResource((signal) => api.get<EmailPreview[]>('/notifications/previews', { signal }), [])
  const portalSettings = useResource((signal) => portalApi.settings(signal), [])

  function saved(updated: Workspace) {
    workspace.setData(updated)
    previews.reload()
  }

  return (
    <>
      {workspace.data ? <SenderForm key={workspace.data.id} workspace={workspace.data} readOnly={me.user.role !== 'admin'} onSaved={saved} /> : <Loading error={workspace.error} />}
      <StaffReplySummary settings={portalSettings} />
      <EmailPreviews previews={previews} />
    </>
  )
}
