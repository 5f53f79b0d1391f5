// An inline "are you sure?" for a destructive action: the message, the error if it failed, and
// confirm / Cancel. Cancel takes focus when it opens, so Enter never confirms by accident.
import { useEffect, useRef, type ReactNode } from 'react'
import { FormError } from './form-error.js'

type Props = {
  label: string
  className: string
  error: unknown
  busy: boolean
  confirmLabel: string
  busyLabel: string
  onConfirm: () => void
  onCancel: () => void
  children: ReactNode
}

export function ConfirmBox({ label, className, error, busy, confirmLabel, busyLabel, onConfirm, onCancel, children }: Props) {
  const cancelRef = useRef<HTMLButtonElement>(null)
  useEffect(() => cancelRef.current?.focus(), [])
  return (
    <div className={`${className} stack`} role="group" aria-label={label}>
      <p>{children}</p>
      <FormError error={error} />
      <div className="row">
        <button type="button" className="danger" onClick={onConfirm} disabled={busy}>
          {busy ? busyLabel : confirmLabel}
        </button>
        <button type="button" ref={cancelRef} onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </div>
  )
}
