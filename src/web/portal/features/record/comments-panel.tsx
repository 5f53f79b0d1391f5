// The record's comment thread, oldest first. Bodies are plain text (white-space: pre-wrap), never
// HTML. The composer fills its slot in the comments issue; never in a staff Preview.
import { formatDateTime, formatRelative } from '../../../shared/format.js'
import type { PortalComment } from '../../api.js'
import { usePortal } from '../../app/portal-context.js'
import { SideBadge } from './side-badge.js'

export function CommentsPanel({ comments, canComment }: { comments: PortalComment[]; canComment: boolean }) {
  const { preview } = usePortal()
  return (
    <section className="panel panel-comments" aria-labelledby="comments-title">
      <h2 id="comments-title">
        Comments <span className="panel-count">{comments.length}</span>
      </h2>
      {comments.length === 0 ? (
        <p className="empty-note">No comments yet</p>
      ) : (
        <ol className="comment-list">
          {comments.map((comment) => (
            <li key={comment.id} className={`comment comment-${comment.side}`}>
              <p className="comment-head">
                <span className="avatar" aria-hidden="true">
                  {initials(comment.authorName)}
                </span>
                <span className="comment-author">{comment.authorName}</span>
                <SideBadge side={comment.side} />
                <time className="comment-time" dateTime={comment.createdAt} title={formatDateTime(comment.createdAt)}>
                  {formatRelative(comment.createdAt)}
                </time>
              </p>
              <p className="comment-body">{comment.body}</p>
            </li>
          ))}
        </ol>
      )}
      {/* Slot for the comment composer (the comments issue). */}
      {canComment && !preview && <div data-testid="composer-slot" className="slot" />}
    </section>
  )
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean)
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '')).toUpperCase() || '?'
}
