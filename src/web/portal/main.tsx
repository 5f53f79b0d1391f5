// Placeholder entry for the client portal; a later issue builds the real app here.
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import '../shared/ui/base.css'

function PortalPlaceholder() {
  return (
    <main className="page narrow">
      <h1>Client portal</h1>
      <p className="muted">Open the link from your email to see your shared records.</p>
    </main>
  )
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <PortalPlaceholder />
  </StrictMode>,
)
