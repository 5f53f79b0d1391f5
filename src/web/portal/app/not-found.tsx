// "Not found" inside the portal: a record of someone else, one that was removed, or a mistyped URL.
import { Link } from 'react-router'
import { usePortal } from './portal-context.js'
import { usePageTitle } from './page-title.js'

export function NotFoundCard() {
  const { paths, me } = usePortal()
  usePageTitle('Not found', me.workspace.name)
  return (
    <section className="message-card" aria-labelledby="not-found-title">
      <h1 id="not-found-title">We couldn't find that page</h1>
      <p>It may have been removed, or it isn't shared with you.</p>
      <p>
        <Link to={paths.home} className="button primary">
          Back to your portal
        </Link>
      </p>
    </section>
  )
}
