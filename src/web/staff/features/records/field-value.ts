// Converting custom field values between the wire (cents, booleans, ids) and form inputs (strings).
import type { FieldValue } from '../../../../shared/contracts/common.js'
import type { Field } from '../../../../shared/contracts/staff.js'
import { centsToDollars, dollarsToCents } from '../../../shared/format.js'

export type Draft = string | boolean

export function toDraft(field: Field, value: FieldValue | undefined): Draft {
  if (field.kind === 'checkbox') return value === true
  if (value === null || value === undefined) return ''
  if (field.kind === 'currency' && typeof value === 'number') return centsToDollars(value)
  return String(value)
}

/** The wire value of a draft, or an error message a person can act on. */
export function fromDraft(field: Field, draft: Draft): { value: FieldValue } | { error: string } {
  if (field.kind === 'checkbox') return { value: draft === true }
  const text = typeof draft === 'string' ? draft.trim() : ''
  if (text === '') return { value: null }
  if (field.kind === 'number') {
    const n = Number(text.replace(/,/g, ''))
    return Number.isFinite(n) ? { value: n } : { error: `${field.label} must be a number` }
  }
  if (field.kind === 'currency') {
    const cents = dollarsToCents(text)
    return cents === null ? { error: `${field.label} must be an amount like 1250.00` } : { value: cents }
  }
  return { value: text }
}

export function sameValue(a: FieldValue | undefined, b: FieldValue): boolean {
  return (a ?? null) === b
}
