// A form's submit button with its polite "saved" note, so every settings form looks and announces the same.
export function SaveRow({ label, busy, saved, savedText = 'Saved' }: { label: string; busy: boolean; saved: boolean; savedText?: string }) {
  return (
    <div className="row">
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Saving…' : label}
      </button>
      <span className="muted small" aria-live="polite">
        {saved ? savedText : ''}
      </span>
    </div>
  )
}
