// Plain constants the front ends import at run time; kept free of zod so the browser bundles stay small.
export const FIELD_KINDS = ['text', 'long_text', 'number', 'currency', 'date', 'select', 'url', 'checkbox', 'user'] as const
export const RECORD_STATUSES = ['on_track', 'at_risk', 'off_track', 'done'] as const
export const STATUS_LABELS: Record<(typeof RECORD_STATUSES)[number], string> = {
  on_track: 'On track',
  at_risk: 'At risk',
  off_track: 'Off track',
  done: 'Done',
}
