// "Send to contact": a search box over the company's contacts first, then the rest of the workspace.
// A contact without an email is listed but cannot be chosen, and says why.
import { useId, useState, type Ref } from 'react'
import type { Contact } from '../../../../shared/contracts/staff.js'
import { useDebounced, useResource } from '../../../shared/use-resource.js'
import { FormError } from '../../../shared/ui/form-error.js'
import { portalApi } from './api.js'

type Props = {
  companyId: string
  companyName: string
  value: Contact | null
  onChange: (contact: Contact) => void
  /** Contacts who already have access (shown with a tag; sharing again sends them a fresh link). */
  withAccess: ReadonlySet<string>
  invalid?: boolean
  searchRef?: Ref<HTMLInputElement>
}

const matches = (c: Contact, q: string) => c.name.toLowerCase().includes(q) || (c.email ?? '').toLowerCase().includes(q)

export function ContactPicker({ companyId, companyName, value, onChange, withAccess, invalid, searchRef }: Props) {
  const [query, setQuery] = useState('')
  const q = useDebounced(query.trim().toLowerCase(), 200)
  const own = useResource((signal) => portalApi.contactsOfCompany(companyId, signal), [companyId])
  const others = useResource((signal) => (q ? portalApi.searchContacts(q, signal) : Promise.resolve([])), [q])
  const name = useId()
  const hintId = useId()

  const ownList = (own.data ?? []).filter((c) => !q || matches(c, q))
  const otherList = (others.data ?? []).filter((c) => c.companyId !== companyId)

  const option = (contact: Contact, showCompany: boolean) => {
    const disabled = !contact.email
    return (
      <li key={contact.id}>
        <label className={`contact-option${disabled ? ' disabled' : ''}${value?.id === contact.id ? ' selected' : ''}`}>
          <input type="radio" name={name} value={contact.id} checked={value?.id === contact.id} disabled={disabled} onChange={() => onChange(contact)} />
          <span className="contact-option-text">
            <span className="contact-option-name">{contact.name}</span>
            {contact.email ? (
              <span className="muted small">
                {contact.email}
                {showCompany && ` · ${contact.companyName}`}
              </span>
            ) : (
              <span className="error-text small">No email on file — add one to share</span>
            )}
          </span>
          {withAccess.has(contact.id) && <span className="badge ok">Has access</span>}
        </label>
      </li>
    )
  }

  return (
    <fieldset className="plain-fieldset contact-picker">
      <legend>Send to contact</legend>
      <input
        ref={searchRef}
        type="search"
        aria-label="Search contacts"
        aria-describedby={hintId}
        placeholder="Search by name or email"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        {...(invalid ? { 'aria-invalid': true as const } : {})}
      />
      <p className="hint" id={hintId}>
        {companyName}’s contacts come first; type to find anyone else in your workspace.
      </p>
      <div className="contact-options">
        <p className="option-group">{companyName}</p>
        {own.error ? <FormError error={own.error} /> : null}
        {!own.data && !own.error && <p className="muted small">Loading…</p>}
        {own.data && ownList.length === 0 && <p className="empty small">{q ? 'No match.' : 'No contacts yet.'}</p>}
        <ul className="plain">{ownList.map((c) => option(c, false))}</ul>
        {q && (
          <>
            <p className="option-group">Other contacts</p>
            {others.error ? <FormError error={others.error} /> : null}
            {others.loading && <p className="muted small">Searching…</p>}
            {!others.loading && otherList.length === 0 && <p className="empty small">No other contact matches “{query.trim()}”.</p>}
            <ul className="plain">{otherList.map((c) => option(c, true))}</ul>
          </>
        )}
      </div>
      <p className="small selected-contact" aria-live="polite">
        {value ? (
          <>
            Sending to <strong>{value.name}</strong> &lt;{value.email}&gt;
          </>
        ) : (
          <span className="muted">No contact chosen yet.</span>
        )}
      </p>
    </fieldset>
  )
}
