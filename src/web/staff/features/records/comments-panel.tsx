// A record's comment thread (team and client), oldest first, with a box to post a new one.
import { useState, type FormEvent } from 'react'
import type { Comment } from '../../../../shared/contracts/staff.js'
import { api } from '../../api.js'
import { useResource } from '../../../shared/use-resource.js'
import { FormError, invalidProps } from '../../../shared/ui/form-error.js'
import { Loading } from '../../../shared/ui/loading.js'
import { formatDateTime, formatRelative } from '../../../shared/format.js'

const MAX_LENGTH = 10_000

export function CommentsPanel({ recordId }: { recordId: string }) {
  const comments = useResource((signal) => api.get<Comment[]>(`/records/${recordId}/comments`, { signal }), [recordId])
  const [body, setBody] = useState('')
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const comment = await api.post<Comment>(`/records/${recordId}/comments`, { body })
      if (comment && typeof comment === 'object' && 'id' in comment) comments.setData((list) => [...(list ?? []), comment])
      else comments.reload()
      setBody('')
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="card stack" aria-labelledby="comments-heading">
      <h2 id="comments-heading">Comments</h2>
      {!comments.data ? (
        <Loading error={comments.error} />
      ) : comments.data.length === 0 ? (
        <p className="empty">No comments yet.</p>
      ) : (
        <ol className="plain comment-list">
          {comments.data.map((c) => (
            <li key={c.id} className={`comment comment-${c.side}`}>
              <div className="comment-head">
                <strong>{c.authorName}</strong>
                <span className={`badge${c.side === 'client' ? ' brand' : ''}`}>{c.side === 'client' ? 'Client' : 'Team'}</span>
                <time dateTime={c.createdAt} title={formatDateTime(c.createdAt)} className="muted small">
                  {formatRelative(c.createdAt)}
                </time>
              </div>
              <p className="comment-body">{c.body}</p>
            </li>
          ))}
        </ol>
      )}
      <form className="form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="new-comment">Add a comment</label>
          <textarea id="new-comment" name="body" rows={3} maxLength={MAX_LENGTH} value={body} onChange={(e) => setBody(e.target.value)} {...invalidProps(error, 'body', 'new-comment-error')} />
        </div>
        <div id="new-comment-error">
          <FormError error={error} />
        </div>
        <div className="row spread">
          <button type="submit" className="primary" disabled={busy || body.trim() === ''}>
            Post comment
          </button>
          {body.length > MAX_LENGTH * 0.9 && (
            <span className="muted small">
              {body.length.toLocaleString()} / {MAX_LENGTH.toLocaleString()}
            </span>
          )}
        </div>
      </form>
    </section>
  )
}
