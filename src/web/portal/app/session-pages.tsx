// Pages shown without a portal session (signed out, session ended) and while the shell loads.
// They carry the workspace's brand when it is known.
import type { ReactNode } from 'react'
import { useLocation } from 'react-router'
import { ApiError, errorMessage } from '../../shared/api-client.js'
import { recallBrand, useBrand, type Brand } from './brand.js'
import { BrandMark } from './portal-header.js'
import { usePageTitle } from './page-title.js'
import './portal.css'

export function BrandShell({ brand, children }: { brand: Brand | undefined; children: ReactNode }) {
  return (
    <>
      <header className="portal-header">
        <div className="portal-header-inner">
          <span className="portal-brand">
            <BrandMark brand={brand} />
            <span className="portal-brand-name">{brand?.name ?? 'Client portal'}</span>
          </span>
          {brand && <p className="portal-meta">Powered by {brand.name}</p>}
        </div>
      </header>
      <main className="portal-main" id="main">
        {children}
      </main>
    </>
  )
}

function MessageCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="message-card" aria-labelledby="message-title">
      <h1 id="message-title">{title}</h1>
      {children}
    </section>
  )
}

export function SessionEndedPage({ brand, preview }: { brand: Brand | undefined; preview: boolean }) {
  usePageTitle(preview ? 'Preview unavailable' : 'Session ended', brand?.name)
  return (
    <BrandShell brand={brand}>
      {preview ? (
        <MessageCard title="This preview isn't available">
          <p>Your staff session has ended, or this company is not in your workspace.</p>
          <p>
            <a className="button primary" href="/app/sign-in">
              Sign in to the staff app
            </a>
          </p>
        </MessageCard>
      ) : (
        <MessageCard title="Session ended">
          <p>Your portal session has ended. Open the link from your email to sign in again; if it no longer works, ask your contact for a new link.</p>
        </MessageCard>
      )}
    </BrandShell>
  )
}

/** /portal/signed-out: the brand arrives in the navigation state (kept across reloads by the browser). */
export function SignedOutPage() {
  const state = useLocation().state as { brand?: Brand } | null
  const brand = state?.brand ?? recallBrand()
  useBrand(brand?.brandColor)
  usePageTitle('Signed out', brand?.name)
  return (
    <BrandShell brand={brand}>
      <MessageCard title="Signed out">
        <p>You have signed out. Open the link from your email to come back.</p>
      </MessageCard>
    </BrandShell>
  )
}

export function LoadFailed({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const offline = error instanceof ApiError && error.code === 'NETWORK'
  return (
    <MessageCard title={offline ? 'You seem to be offline' : 'Something went wrong'}>
      <p>{errorMessage(error)}</p>
      <p>
        <button type="button" className="primary" onClick={onRetry}>
          Try again
        </button>
      </p>
    </MessageCard>
  )
}

/** A calm placeholder while data loads. */
export function PageSkeleton() {
  return (
    <div className="skeleton" aria-live="polite" aria-busy="true">
      <span className="visually-hidden">Loading…</span>
      <div className="skeleton-line wide" />
      <div className="skeleton-line" />
      <div className="skeleton-block" />
      <div className="skeleton-block" />
    </div>
  )
}
