// One custom field as the right native input for its kind.
import type { Field, StaffUser } from '../../../../shared/contracts/staff.js'
import type { Draft } from './field-value.js'

type Props = { field: Field; id: string; value: Draft; users: StaffUser[]; invalid: boolean; errorId: string; onChange: (value: Draft) => void }

export function FieldInput({ field, id, value, users, invalid, errorId, onChange }: Props) {
  const text = typeof value === 'string' ? value : ''
  const common = { id, name: field.key, ...(invalid ? { 'aria-invalid': true as const, 'aria-describedby': errorId } : {}) }
  const onText = (e: { target: { value: string } }) => onChange(e.target.value)
  switch (field.kind) {
    case 'long_text':
      return <textarea {...common} rows={4} value={text} onChange={onText} />
    case 'number':
      return <input {...common} type="text" inputMode="decimal" value={text} onChange={onText} />
    case 'currency':
      return (
        <span className="currency-input">
          <span aria-hidden="true">$</span>
          <input {...common} type="text" inputMode="decimal" placeholder="0.00" value={text} onChange={onText} />
        </span>
      )
    case 'date':
      return <input {...common} type="date" value={text} onChange={onText} />
    case 'url':
      return <input {...common} type="url" placeholder="https://" value={text} onChange={onText} />
    case 'checkbox':
      return <input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
    case 'select':
      return (
        <select {...common} value={text} onChange={onText}>
          <option value="">—</option>
          {field.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
          {text && !field.options.includes(text) && <option value={text}>{text} (no longer an option)</option>}
        </select>
      )
    case 'user':
      return (
        <select {...common} value={text} onChange={onText}>
          <option value="">Nobody</option>
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
      )
    default:
      return <input {...common} type="text" value={text} onChange={onText} />
  }
}
