// The portal shape of a value, built only from fields the admin made visible. Pure functions.
import type { PortalFieldValue } from '../../shared/contracts/portal.js'
import type { FieldValue } from '../../shared/contracts/common.js'
import type { PortalTypeSettings } from '../../shared/contracts/portal-admin.js'

type VisibleField = PortalTypeSettings['fields'][number]

const dateFormat = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' })
const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' })
const plain = new Intl.NumberFormat('en-US')

export function formatValue(field: VisibleField, value: FieldValue, userNames: Map<string, string>): PortalFieldValue | undefined {
  if (value === null || value === '') return undefined
  const base = { key: field.key, label: field.label, kind: field.kind }
  switch (field.kind) {
    case 'date': {
      // A stored value that is not a calendar day (legacy or imported data) is shown as it is: Intl throws on an invalid date.
      const day = typeof value === 'string' ? new Date(`${value}T00:00:00Z`) : undefined
      return { ...base, display: day && !Number.isNaN(day.getTime()) ? dateFormat.format(day) : String(value) }
    }
    case 'currency':
      return { ...base, display: money.format(Number(value) / 100) }
    case 'number':
      return { ...base, display: plain.format(Number(value)) }
    case 'checkbox':
      return { ...base, display: value ? 'Yes' : 'No' }
    case 'user':
      return { ...base, display: userNames.get(String(value)) ?? 'Team member' }
    case 'url': {
      const href = String(value)
      if (!/^https?:\/\//i.test(href)) return { ...base, display: href }
      return { ...base, display: href.replace(/^https?:\/\//i, '').replace(/\/$/, ''), href }
    }
    default:
      return { ...base, display: String(value) }
  }
}

/** Visible fields of a record in the admin's order, formatted. `values` holds only visible fields' values. */
export function projectFields(fields: VisibleField[], values: Map<string, FieldValue>, userNames: Map<string, string>, limit = Infinity): PortalFieldValue[] {
  const out: PortalFieldValue[] = []
  for (const f of fields) {
    if (out.length >= limit) break
    if (!f.visible || !values.has(f.id)) continue
    const v = formatValue(f, values.get(f.id)!, userNames)
    if (v) out.push(v)
  }
  return out
}
