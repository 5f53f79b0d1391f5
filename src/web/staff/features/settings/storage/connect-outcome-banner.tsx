// The outcome of a Dropbox connection, from ?dropbox=connected|failed|cancelled after Dropbox sent the browser back.
import { useEffect, useRef } from 'react'
import { useSearchParams } from 'react-router'

const OUTCOMES: Record<string, { text: string; tone: 'ok' | 'bad' | 'plain' }> = {
  connected: { text: 'Dropbox is connected. New client uploads go to your Dropbox.', tone: 'ok' },
  failed: { text: 'Dropbox couldn’t be connected, so nothing changed. Try again; if it keeps failing, ask your server admin to check the Dropbox app settings.', tone: 'bad' },
  cancelled: { text: 'Connecting Dropbox was cancelled. Nothing changed.', tone: 'plain' },
}

export function ConnectOutcomeBanner() {
  const [params, setParams] = useSearchParams()
  const outcome = OUTCOMES[params.get('dropbox') ?? '']
  const ref = useRef<HTMLDivElement>(null)

  useEffect(() => {
    if (outcome) ref.current?.focus()
  }, [outcome])
  if (!outcome) return null

  function dismiss() {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev)
        next.delete('dropbox')
        return next
      },
      { replace: true },
    )
  }
  const toneClass = outcome.tone === 'ok' ? ' ok-banner' : outcome.tone === 'bad' ? ' bad-banner' : ''
  return (
    <div className={`notice storage-banner${toneClass}`} ref={ref} tabIndex={-1} role={outcome.tone === 'bad' ? 'alert' : 'status'}>
      <span>{outcome.text}</span>
      <button type="button" className="small" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  )
}
