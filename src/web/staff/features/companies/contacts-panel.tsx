// A company's contacts: list, inline edit, delete, and an add form.
import { useState } from 'react'
import type { Contact } from '../../../../shared/contracts/staff.js'
import { api } from '../../api.js'
import { FormError } from '../../../shared/ui/form-error.js'
import { ContactForm } from './contact-form.js'

type Props = { companyId: string; contacts: Contact[]; onChange: () => void }

export function ContactsPanel({ companyId, contacts, onChange }: Props) {
  const [editingId, setEditingId] = useState<string | null>(null)
  const [adding, setAdding] = useState(false)
  const [deleteError, setDeleteError] = useState<unknown>(null)

  async function remove(contact: Contact) {
    if (!window.confirm(`Delete ${contact.name}?`)) return
    setDeleteError(null)
    try {
      await api.del(`/contacts/${contact.id}`)
      onChange()
    } catch (err) {
      setDeleteError(err)
    }
  }

  return (
    <section className="card" aria-labelledby="contacts-heading">
      <div className="card-header">
        <h2 id="contacts-heading">Contacts</h2>
        {!adding && (
          <button type="button" className="small" onClick={() => setAdding(true)}>
            Add contact
          </button>
        )}
      </div>
      <FormError error={deleteError} />
      {contacts.length === 0 && !adding && <p className="empty">No contacts yet.</p>}
      <ul className="plain contact-list">
        {contacts.map((contact) =>
          editingId === contact.id ? (
            <li key={contact.id}>
              <ContactForm
                idPrefix={`contact-${contact.id}`}
                initial={contact}
                submitLabel="Save"
                onSubmit={(body) => api.patch(`/contacts/${contact.id}`, body)}
                onDone={() => {
                  setEditingId(null)
                  onChange()
                }}
                onCancel={() => setEditingId(null)}
              />
            </li>
          ) : (
            <li key={contact.id} className="contact-row">
              <div className="contact-main">
                <strong>{contact.name}</strong>
                {contact.email ? (
                  <a href={`mailto:${contact.email}`} className="small">
                    {contact.email}
                  </a>
                ) : (
                  <span className="muted small">No email</span>
                )}
              </div>
              <div className="row">
                <button type="button" className="small" onClick={() => setEditingId(contact.id)} aria-label={`Edit ${contact.name}`}>
                  Edit
                </button>
                <button type="button" className="small danger" onClick={() => remove(contact)} aria-label={`Delete ${contact.name}`}>
                  Delete
                </button>
              </div>
            </li>
          ),
        )}
      </ul>
      {adding && (
        <ContactForm
          idPrefix="new-contact"
          submitLabel="Add contact"
          onSubmit={(body) => api.post('/contacts', { companyId, ...body })}
          onDone={() => {
            setAdding(false)
            onChange()
          }}
          onCancel={() => setAdding(false)}
        />
      )}
    </section>
  )
}
