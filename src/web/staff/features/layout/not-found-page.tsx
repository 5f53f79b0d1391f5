import { Link } from 'react-router'

export function NotFoundPage() {
  return (
    <div className="card">
      <h1>Page not found</h1>
      <p className="muted">This page doesn’t exist, or it was moved.</p>
      <Link to="/companies">Back to companies</Link>
    </div>
  )
}
