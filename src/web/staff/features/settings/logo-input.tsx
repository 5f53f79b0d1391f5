// The workspace logo: upload an image (sent as a data: URL, at most 300 KB) or paste an https URL.
import { useState } from 'react'
import { FieldError, invalidProps } from '../../../shared/ui/form-error.js'

const MAX_LOGO_BYTES = 300 * 1024
const TYPES = ['image/png', 'image/jpeg', 'image/svg+xml', 'image/webp']

type Props = { value: string | null; onChange: (value: string | null) => void; readOnly: boolean; error: unknown }

export function LogoInput({ value, onChange, readOnly, error }: Props) {
  const [localError, setLocalError] = useState<string | null>(null)
  const isData = value?.startsWith('data:') ?? false

  function pick(file: File | undefined) {
    setLocalError(null)
    if (!file) return
    if (!TYPES.includes(file.type)) return setLocalError('Choose a PNG, JPEG, SVG or WebP image.')
    if (file.size > MAX_LOGO_BYTES) return setLocalError('The logo must be at most 300 KB.')
    const reader = new FileReader()
    reader.onload = () => onChange(typeof reader.result === 'string' ? reader.result : null)
    reader.onerror = () => setLocalError('Could not read that file.')
    reader.readAsDataURL(file)
  }

  return (
    <fieldset className="field plain-fieldset">
      <legend>Logo</legend>
      <div className="logo-preview">
        {value ? <img src={value} alt="Current logo" /> : <span className="muted small">No logo</span>}
        {value && !readOnly && (
          <button type="button" className="small" onClick={() => onChange(null)}>
            Remove logo
          </button>
        )}
      </div>
      {!readOnly && (
        <>
          <label htmlFor="ws-logo-file">Upload an image</label>
          <input id="ws-logo-file" type="file" accept={TYPES.join(',')} onChange={(e) => pick(e.target.files?.[0])} />
          <label htmlFor="ws-logoUrl">…or paste an image URL</label>
          <input
            id="ws-logoUrl"
            type="url"
            placeholder="https://example.com/logo.png"
            value={isData ? '' : (value ?? '')}
            onChange={(e) => onChange(e.target.value.trim() || null)}
            {...invalidProps(error, 'logoUrl', 'ws-logoUrl-error')}
          />
          <p className="hint">PNG, JPEG, SVG or WebP, at most 300 KB{isData ? ' · using the uploaded image' : ''}.</p>
        </>
      )}
      {localError && (
        <p className="error-text" role="alert">
          {localError}
        </p>
      )}
      <FieldError error={error} field="logoUrl" id="ws-logoUrl-error" />
    </fieldset>
  )
}
