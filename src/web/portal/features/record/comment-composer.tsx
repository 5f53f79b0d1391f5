// Writing a comment: a labelled textarea, a counter as the 10,000-character limit nears, Post (or
// Ctrl/Cmd+Enter). The server's message shows inline on failure; the new comment is handed back at once.
import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react'
import { ApiError, errorMessage } from '../../../shared/api-client.js'
import type { PortalComment } from '../../api.js'
import { usePortal } from '../../app/portal-context.js'
import './composer.css'

export const MAX_COMMENT = 10_000
/** The counter appears from here on, so it doesn't nag short comments. */
const COUNTER_FROM = 8_000
const number = new Intl.NumberFormat()
const MOD_KEY = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.userAgent) ? '⌘' : 'Ctrl'

export function CommentComposer({ recordId, onPosted }: { recordId: string; onPosted: (comment: PortalComment) => void }) {
  const { api } = usePortal()
  const id = useId()
  const [body, setBody] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [announce, setAnnounce] = useState('')
  const textarea = useRef<HTMLTextAreaElement>(null)
  // The server trims and then counts, so the counter does the same.
  const length = body.trim().length
  const over = length - MAX_COMMENT
  const canPost = length > 0 && over <= 0 && !busy
  // The text itself is at fault only when the server says so (not for "too many requests").
  const invalid = over > 0 || (error instanceof ApiError && error.field === 'body')

  async function post(event?: FormEvent) {
    event?.preventDefault()
    if (!canPost) return
    setBusy(true)
    setError(null)
    setAnnounce('')
    try {
      const comment = await api.post<PortalComment>(`/records/${encodeURIComponent(recordId)}/comments`, { body })
      onPosted(comment)
      setBody('')
      setAnnounce('Comment posted')
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
      textarea.current?.focus()
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void post(event)
  }

  const counterId = `${id}-counter`
  const errorId = `${id}-error`
  const hintId = `${id}-hint`
  return (
    <form className="composer" onSubmit={post} data-testid="composer-slot">
      <label id={`${id}-label`} htmlFor={`${id}-body`}>
        Write a comment
      </label>
      <textarea
        id={`${id}-body`}
        ref={textarea}
        value={body}
        rows={3}
        onChange={(e) => {
          setBody(e.target.value)
          if (error) setError(null)
        }}
        onKeyDown={onKeyDown}
        aria-invalid={invalid || undefined}
        aria-describedby={[hintId, length >= COUNTER_FROM ? counterId : '', error ? errorId : ''].filter(Boolean).join(' ')}
        placeholder="Ask a question or share an update with the team"
      />
      {error ? (
        <p className="form-error" id={errorId} role="alert">
          {errorMessage(error)}
        </p>
      ) : null}
      <div className="composer-foot">
        <p className="hint" id={hintId}>
          Plain text; links become clickable. <kbd>{MOD_KEY}</kbd>+<kbd>Enter</kbd> posts.
        </p>
        {length >= COUNTER_FROM && (
          <p className={`composer-counter${over > 0 ? ' over' : ''}`} id={counterId}>
            {over > 0 ? `${number.format(over)} ${over === 1 ? 'character' : 'characters'} over the limit` : `${number.format(length)} / ${number.format(MAX_COMMENT)}`}
          </p>
        )}
        <button type="submit" className="primary" disabled={!canPost}>
          {busy ? 'Posting…' : 'Post'}
        </button>
      </div>
      <p className="visually-hidden" aria-live="polite">
        {announce}
      </p>
    </form>
  )
}
