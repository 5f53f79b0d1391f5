// "They will see": what the client's portal would show, computed by the server from Settings → Portal.
import { Link } from 'react-router'
import type { PortalShareInfo } from '../../../../shared/contracts/portal-admin.js'

export function TheyWillSee({ types }: { types: PortalShareInfo['theyWillSee'] }) {
  return (
    <section className="share-section" aria-labelledby="they-will-see-heading">
      <h3 id="they-will-see-heading">They will see</h3>
      {types.length === 0 ? (
        <p className="notice warn-notice">
          Nothing is shareable yet, so the portal would be empty. Turn on a record type in <Link to="/settings/portal">Settings → Portal</Link>.
        </p>
      ) : (
        <ul className="plain they-will-see">
          {types.map((t) => (
            <li key={t.typeId}>
              <strong>
                {t.plural} ({t.recordCount})
              </strong>
              : {t.fields.join(', ')}
            </li>
          ))}
        </ul>
      )}
      {types.length > 0 && (
        <p className="hint">
          Only these are sent to the client’s browser. Change them in <Link to="/settings/portal">Settings → Portal</Link>.
        </p>
      )}
    </section>
  )
}
