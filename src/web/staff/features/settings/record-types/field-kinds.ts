import type { FieldKind } from '../../../../../shared/contracts/common.js'

export const KIND_LABELS: Record<FieldKind, string> = {
  text: 'Text',
  long_text: 'Long text',
  number: 'Number',
  currency: 'Currency',
  date: 'Date',
  select: 'Select',
  url: 'URL',
  checkbox: 'Checkbox',
  user: 'Staff user',
}

/** "Small, Medium , ,Large" → ["Small", "Medium", "Large"] */
export function parseOptions(input: string): string[] {
  return input
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)
}

/** "Due date" → "due_date", a key the server accepts. */
export function keyFromLabel(label: string): string {
  const key = label
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .replace(/_+$/, '')
  return key.slice(0, 40)
}
