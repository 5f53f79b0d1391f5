import { ApiError } from '../api-client.js'
import { FormError } from './form-error.js'

/** What a page shows before its data arrives, or when loading failed. */
export function Loading({ error }: { error?: unknown }) {
  if (error instanceof ApiError && (error.status === 404 || (error.status === 400 && error.field === 'id'))) {
    return (
      <div className="card">
        <h1>Not found</h1>
        <p className="muted">This page doesn’t exist, or what it showed was deleted.</p>
      </div>
    )
  }
  if (error) return <FormError error={error} />
  return (
    <p className="muted" aria-live="polite">
      Loading…
    </p>
  )
}
