// Previews of every email a client can get, rendered by the server with the current settings: a list of the
// emails (label and subject) and a pane with the HTML part (sandboxed) or the text part.
import { useId, useRef, useState, type KeyboardEvent } from 'react'
import type { EmailPreview } from '../../../../../shared/contracts/staff.js'
import type { Resource } from '../../../../shared/use-resource.js'
import { Loading } from '../../../../shared/ui/loading.js'

type Part = 'html' | 'text'
const PARTS: { part: Part; label: string }[] = [
  { part: 'html', label: 'HTML' },
  { part: 'text', label: 'Plain text' },
]

export function EmailPreviews({ previews }: { previews: Resource<EmailPreview[]> }) {
  const [kind, setKind] = useState<string | null>(null)
  const list = previews.data ?? []
  const shown = list.find((p) => p.kind === kind) ?? list[0]
  return (
    <section className="card" aria-labelledby="previews-heading">
      <div className="card-header">
        <div>
          <h2 id="previews-heading">Previews</h2>
          <p className="muted small">Every email a client can get, with your current settings and sample content.</p>
        </div>
        <span className="muted small" aria-live="polite">
          {previews.loading && previews.data ? 'Updating…' : ''}
        </span>
      </div>
      {!previews.data ? (
        <Loading error={previews.error} />
      ) : (
        <div className="previews">
          <ul className="plain preview-list" aria-label="Client emails">
            {list.map((p) => (
              <li key={p.kind}>
                <button type="button" className="preview-item" aria-pressed={p.kind === shown?.kind} onClick={() => setKind(p.kind)}>
                  <span className="preview-label">{p.label}</span>
                  <span className="preview-subject-line small">{p.subject}</span>
                </button>
              </li>
            ))}
          </ul>
          {shown && <PreviewPane preview={shown} />}
        </div>
      )}
    </section>
  )
}

function PreviewPane({ preview }: { preview: EmailPreview }) {
  const [part, setPart] = useState<Part>('html')
  const id = useId()
  const tabs = useRef<(HTMLButtonElement | null)[]>([])

  function onKey(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight' && event.key !== 'Home' && event.key !== 'End') return
    event.preventDefault()
    const at = PARTS.findIndex((p) => p.part === part)
    const next = event.key === 'Home' ? 0 : event.key === 'End' ? PARTS.length - 1 : (at + (event.key === 'ArrowRight' ? 1 : -1) + PARTS.length) % PARTS.length
    setPart(PARTS[next]!.part)
    tabs.current[next]?.focus()
  }

  return (
    <div className="preview-pane" aria-label={`Preview of ${preview.label}`} role="region">
      <p className="preview-subject">
        <span className="muted small">Subject</span> <strong>{preview.subject}</strong>
      </p>
      <div role="tablist" aria-label="Email part" className="preview-tabs" onKeyDown={onKey}>
        {PARTS.map((p, i) => (
          <button
            key={p.part}
            type="button"
            role="tab"
            id={`${id}-${p.part}-tab`}
            aria-controls={`${id}-panel`}
            aria-selected={part === p.part}
            tabIndex={part === p.part ? 0 : -1}
            ref={(el) => {
              tabs.current[i] = el
            }}
            onClick={() => setPart(p.part)}
          >
            {p.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-${part}-tab`} className="preview-panel">
        {part === 'html' ? (
          <iframe className="email-html" title={`HTML of “${preview.subject}”`} sandbox="" srcDoc={preview.html} />
        ) : (
          <pre className="preview-text">{preview.text}</pre>
        )}
      </div>
    </div>
  )
}
