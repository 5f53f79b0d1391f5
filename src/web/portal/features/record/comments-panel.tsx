// The record's comment thread, oldest first. Bodies are plain text with their links made clickable
// (comment-body.tsx), never HTML. Clients write below the thread; a staff Preview only reads.
import { formatDateTime, formatRelative } from '../../../shared/format.js'
import type { PortalComment } from '../../api.js'
import { usePortal } from '../../app/portal-context.js'
import { CommentBody } from './comment-body.js'
import { CommentComposer } from './comment-composer.js'
import { SideBadge } from './side-badge.js'

type Props = { recordId: string; comments: PortalComment[]; canComment: boolean; onPosted: (comment: PortalComment) => void }

export function CommentsPanel({ recordId, comments, canComment, onPosted }: Props) {
  const { preview } = usePortal()
  return (
    <section className="panel panel-comments" aria-labelledby="comments-title">
      <h2 id="comments-title">
        Comments <span className="panel-count">{comments.length}</span>
      </h2>
      {comments.length === 0 ? (
        <p className="empty-note">{canComment && !preview ? 'No comments yet. Questions or updates for the team? Write them below.' : 'No comments yet'}</p>
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
              <CommentBody text={comment.body} />
            </li>
          ))}
        </ol>
      )}
      {canComment && !preview && <CommentComposer recordId={recordId} onPosted={onPosted} />}
    </section>
  )
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean)
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '')).toUpperCase() || '?'
}
