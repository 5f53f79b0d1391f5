// formatValue / projectFields: the portal shape of a value, by kind, built only from visible fields.
import { describe, expect, it } from 'vitest'
import type { PortalTypeSettings } from '../../shared/contracts/portal-admin.js'
import { formatValue, projectFields } from './projection.js'

type Field = PortalTypeSettings['fields'][number]
type Kind = Field['kind']

const field = (kind: Kind, over: Partial<Field> = {}): Field => ({ id: `f-${kind}`, key: `${kind}_key`, label: `${kind} label`, kind, visible: true, ...over })
const none = new Map<string, string>()

describe('formatValue', () => {
  it('date: a calendar day in US medium format, never shifted by the time zone', () => {
    expect(formatValue(field('date'), '2027-01-15', none)).toEqual({ key: 'date_key', label: 'date label', kind: 'date', display: 'Jan 15, 2027' })
    expect(formatValue(field('date'), '2026-12-31', none)?.display).toBe('Dec 31, 2026')
    expect(formatValue(field('date'), '2028-02-29', none)?.display).toBe('Feb 29, 2028')
  })

  it('date: a stored value that is not a calendar day is shown as it is, never an exception (one bad row must not take the portal down)', () => {
    for (const bad of ['2026-13-45', 'next week', '2026-01-15T10:00:00Z', '2026-1-5']) {
      expect(formatValue(field('date'), bad, none), bad).toEqual({ key: 'date_key', label: 'date label', kind: 'date', display: bad })
    }
  })

  it('currency: cents as US dollars with grouping and two decimals', () => {
    expect(formatValue(field('currency'), 123456, none)?.display).toBe('$1,234.56')
    expect(formatValue(field('currency'), 5, none)?.display).toBe('$0.05')
    expect(formatValue(field('currency'), 0, none)?.display).toBe('$0.00')
    expect(formatValue(field('currency'), -250000, none)?.display).toBe('-$2,500.00')
    expect(formatValue(field('currency'), 100000000, none)?.display).toBe('$1,000,000.00')
  })

  it('number: grouped, decimals kept, zero shown', () => {
    expect(formatValue(field('number'), 1234567.5, none)?.display).toBe('1,234,567.5')
    expect(formatValue(field('number'), 0, none)?.display).toBe('0')
    expect(formatValue(field('number'), -42, none)?.display).toBe('-42')
  })

  it('checkbox: Yes / No (false is a value, not an absence)', () => {
    expect(formatValue(field('checkbox'), true, none)?.display).toBe('Yes')
    expect(formatValue(field('checkbox'), false, none)).toEqual({ key: 'checkbox_key', label: 'checkbox label', kind: 'checkbox', display: 'No' })
  })

  it("user: the staff member's name, never their id; an unknown id reads 'Team member'", () => {
    const id = '9b2f4a8e-0c1d-4e5f-8a9b-0c1d2e3f4a5b'
    const names = new Map([[id, 'Dana Lead']])
    expect(formatValue(field('user'), id, names)).toEqual({ key: 'user_key', label: 'user label', kind: 'user', display: 'Dana Lead' })
    const unknown = formatValue(field('user'), '00000000-0000-4000-8000-000000000000', names)
    expect(unknown?.display).toBe('Team member')
    expect(JSON.stringify(unknown)).not.toContain('00000000-0000-4000-8000-000000000000')
  })

  it('url: an href only for http(s), shown without the scheme and trailing slash', () => {
    expect(formatValue(field('url'), 'https://acme.example/brand/', none)).toEqual({
      key: 'url_key',
      label: 'url label',
      kind: 'url',
      display: 'acme.example/brand',
      href: 'https://acme.example/brand/',
    })
    expect(formatValue(field('url'), 'HTTP://Acme.example', none)).toMatchObject({ display: 'Acme.example', href: 'HTTP://Acme.example' })
    for (const unsafe of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'ftp://files.acme.example', '//evil.example', ' https://acme.example', 'vbscript:x']) {
      const v = formatValue(field('url'), unsafe, none)
      expect(v, unsafe).toBeDefined()
      expect('href' in v!, unsafe).toBe(false)
      expect(v!.display).toBe(unsafe)
    }
  })

  it('text, long_text and select: the value as it is', () => {
    expect(formatValue(field('text'), 'Hello <b>there</b>', none)).toEqual({ key: 'text_key', label: 'text label', kind: 'text', display: 'Hello <b>there</b>' })
    expect(formatValue(field('long_text'), 'line 1\nline 2', none)?.display).toBe('line 1\nline 2')
    expect(formatValue(field('select'), 'High', none)).toEqual({ key: 'select_key', label: 'select label', kind: 'select', display: 'High' })
  })

  it('an empty value (null or empty string) is no entry at all, for every kind', () => {
    for (const kind of ['text', 'long_text', 'number', 'currency', 'date', 'select', 'url', 'checkbox', 'user'] as const) {
      expect(formatValue(field(kind), null, none), kind).toBeUndefined()
      expect(formatValue(field(kind), '', none), kind).toBeUndefined()
    }
  })

  it('only key, label, kind, display (and href for links) leave: no field id', () => {
    for (const [kind, value] of [
      ['text', 'x'],
      ['url', 'https://a.example'],
      ['date', '2027-01-01'],
    ] as const) {
      const v = formatValue(field(kind, { id: 'secret-field-id' }), value, none)!
      expect(Object.keys(v).sort()).toEqual(kind === 'url' ? ['display', 'href', 'key', 'kind', 'label'] : ['display', 'key', 'kind', 'label'])
      expect(JSON.stringify(v)).not.toContain('secret-field-id')
    }
  })
})

describe('projectFields', () => {
  const fields: Field[] = [
    field('text', { id: 'a', key: 'a', visible: true }),
    field('text', { id: 'hidden', key: 'hidden', visible: false }),
    field('number', { id: 'b', key: 'b', visible: true }),
    field('text', { id: 'c', key: 'c', visible: true }),
  ]

  it("keeps the admin's field order and drops hidden fields even if their value was passed in", () => {
    const values = new Map<string, string | number>([
      ['c', 'third'],
      ['hidden', 'SECRET'],
      ['b', 2],
      ['a', 'first'],
    ])
    const out = projectFields(fields, values, none)
    expect(out.map((f) => f.key)).toEqual(['a', 'b', 'c'])
    expect(JSON.stringify(out)).not.toContain('SECRET')
    expect(JSON.stringify(out)).not.toContain('hidden')
  })

  it('skips visible fields without a value or with an empty one', () => {
    const out = projectFields(
      fields,
      new Map<string, string | null>([
        ['a', ''],
        ['c', null],
      ]),
      none,
    )
    expect(out).toEqual([])
  })
})
