// Inline error text: the server's message next to the form, and per-field highlighting.
import { ApiError, errorMessage } from '../api-client.js'

/** `shownAt` lists the fields that show their own message, so it isn't repeated here. */
export function FormError({ error, shownAt = [] }: { error: unknown; shownAt?: readonly string[] }) {
  if (!error) return null
  const field = errorField(error)
  if (field && shownAt.includes(field)) return null
  return (
    <p className="form-error" role="alert">
      {errorMessage(error)}
    </p>
  )
}

/** The error's field when it is an ApiError naming one (e.g. "values.due_date"). */
export function errorField(error: unknown): string | undefined {
  return error instanceof ApiError ? error.field : undefined
}

/** Props for an input whose name may be the one the server complained about. */
export function invalidProps(error: unknown, field: string, errorId?: string) {
  const bad = errorField(error) === field
  return bad ? { 'aria-invalid': true as const, ...(errorId ? { 'aria-describedby': errorId } : {}) } : {}
}

/** The message under one input, when the server named that input; "values.due_date must…" reads "Due date must…". */
export function FieldError({ error, field, id, label }: { error: unknown; field: string; id?: string; label?: string }) {
  if (errorField(error) !== field) return null
  let message = errorMessage(error)
  if (message.startsWith(`${field} `)) message = `${label ?? humanize(field)} ${message.slice(field.length + 1)}`
  return (
    <p className="error-text" id={id} role="alert">
      {message}
    </p>
  )
}

function humanize(field: string): string {
  const last = field.split('.').pop() ?? field
  const words = last.replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}
