// The one place that knows what a valid value of each field kind is. Pure: no database, no HTTP.
import type { Field, RecordType } from '../../../shared/contracts/staff.js'
import type { FieldValue } from '../../../shared/contracts/common.js'
import { AppError } from '../../errors.js'

const fail = (key: string, message: string) => new AppError('VALIDATION', `values.${key} ${message}`, `values.${key}`)

function isValidDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false
  const d = new Date(`${s}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s)
}

export function checkValue(field: Field, value: FieldValue): FieldValue {
  if (value === null) return null
  const k = field.key
  switch (field.kind) {
    case 'text':
    case 'long_text': {
      if (typeof value !== 'string') throw fail(k, `must be text`)
      const max = field.kind === 'text' ? 1_000 : 20_000
      if (value.length > max) throw fail(k, `must be at most ${max.toLocaleString('en-US')} characters`)
      return value
    }
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw fail(k, 'must be a number')
      return value
    case 'currency':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw fail(k, 'must be a whole amount in cents')
      return value
    case 'date':
      if (typeof value !== 'string' || !isValidDate(value)) throw fail(k, 'must be a date like 2026-12-31')
      return value
    case 'select':
      if (typeof value !== 'string' || !field.options.includes(value)) throw fail(k, `must be one of: ${field.options.join(', ')}`)
      return value
    case 'url': {
      let url: URL | undefined
      try {
        url = typeof value === 'string' ? new URL(value) : undefined
      } catch {
        url = undefined
      }
      if (!url || !['http:', 'https:'].includes(url.protocol)) throw fail(k, 'must be a web address starting with https:// or http://')
      return url.toString()
    }
    case 'checkbox':
      if (typeof value !== 'boolean') throw fail(k, 'must be true or false')
      return value
    case 'user':
      if (typeof value !== 'string' || !/^[0-9a-f-]{36}$/i.test(value)) throw fail(k, 'must be a staff user id')
      return value
  }
}

/** Validates a partial map of values against a type; returns the checked values by field. */
export function checkValues(type: RecordType, values: Record<string, FieldValue>): { field: Field; value: FieldValue }[] {
  return Object.entries(values).map(([key, value]) => {
    const field = type.fields.find((f) => f.key === key)
    if (!field) throw new AppError('VALIDATION', `values.${key} is not a field of ${type.plural}`, `values.${key}`)
    return { field, value: checkValue(field, value) }
  })
}
