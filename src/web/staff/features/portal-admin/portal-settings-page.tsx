// Settings → Portal: which record types and fields the Client Portal can ever expose. Admins edit; members read.
import type { PortalTypeSettings } from '../../../../shared/contracts/portal-admin.js'
import { useResource } from '../../../shared/use-resource.js'
import { Loading } from '../../../shared/ui/loading.js'
import { useMe } from '../auth/me-context.js'
import { portalApi } from './api.js'
import { TypeSettingsCard } from './type-settings-card.js'
import './portal.css'

export function PortalSettingsPage() {
  const { me } = useMe()
  const canEdit = me.user.role === 'admin'
  const settings = useResource((signal) => portalApi.settings(signal), [])

  function saved(updated: PortalTypeSettings) {
    settings.setData((prev) => (prev ?? []).map((s) => (s.typeId === updated.typeId ? updated : s)))
  }

  return (
    <>
      <section className="card" aria-labelledby="portal-settings-heading">
        <h2 id="portal-settings-heading">Client Portal</h2>
        <p className="muted small">
          Choose which record types and fields the portal can ever show. Nothing is shown to a client unless you turn it on here, and changes apply at once — also to
          portals already open. Projects is on by default.
        </p>
        {!canEdit && <p className="notice">Only admins can change portal settings.</p>}
      </section>
      {settings.data ? (
        settings.data.map((type) => <TypeSettingsCard key={type.typeId} settings={type} canEdit={canEdit} onSaved={saved} />)
      ) : (
        <Loading error={settings.error} />
      )}
    </>
  )
}
