// "Link expires": 30, 60 or 90 days, or Never — a radio group styled as a segmented control.
import { useId } from 'react'
import type { ExpiryChoice } from './api.js'

const CHOICES: { value: ExpiryChoice; label: string }[] = [
  { value: 30, label: '30 days' },
  { value: 60, label: '60 days' },
  { value: 90, label: '90 days' },
  { value: null, label: 'Never' },
]

type Props = { value: ExpiryChoice; onChange: (value: ExpiryChoice) => void; legend?: string; disabled?: boolean }

export function ExpiryPicker({ value, onChange, legend = 'Link expires', disabled = false }: Props) {
  const name = useId()
  return (
    <fieldset className="plain-fieldset">
      <legend>{legend}</legend>
      <div className="segmented">
        {CHOICES.map((choice) => (
          <label key={choice.label}>
            <input type="radio" name={name} checked={value === choice.value} disabled={disabled} onChange={() => onChange(choice.value)} />
            <span>{choice.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  )
}

/** "expires in 30 days" / "never expires", for confirmations. */
export function describeExpiry(value: ExpiryChoice): string {
  return value === null ? 'never expires' : `expires in ${value} days`
}
