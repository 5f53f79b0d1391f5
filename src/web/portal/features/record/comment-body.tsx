// A comment's text as React text nodes (line breaks kept by white-space: pre-wrap), with its http(s)
// URLs as links that open in a new tab without handing over the portal (noopener, noreferrer) or
// vouching for the target (nofollow). Never HTML: nothing here can inject markup.
import { linkify } from './linkify.js'

export function CommentBody({ text }: { text: string }) {
  return (
    <p className="comment-body">
      {linkify(text).map((part, i) =>
        part.kind === 'link' ? (
          <a key={i} href={part.href} target="_blank" rel="noopener noreferrer nofollow">
            {part.text}
          </a>
        ) : (
          part.text
        ),
      )}
    </p>
  )
}
