// The Share portal dialog: pick a contact, an expiry (and an uploads folder when storage allows), see what
// they will see, send the magic link; below, who has access (Re-share, Revoke) and the activity log.
import { useEffect, useRef, useState, type FormEvent } from 'react'
import type { Company, Contact } from '../../../../shared/contracts/staff.js'
import { Modal } from '../../../shared/ui/modal.js'
import { useResource } from '../../../shared/use-resource.js'
import { useAction } from '../../../shared/use-action.js'
import { errorField, FormError } from '../../../shared/ui/form-error.js'
import { Loading } from '../../../shared/ui/loading.js'
import { DEFAULT_EXPIRY, portalApi, type ExpiryChoice } from './api.js'
import { ContactPicker } from './contact-picker.js'
import { ExpiryPicker } from './expiry-picker.js'
import { FolderPicker } from './folder-picker.js'
import { TheyWillSee } from './they-will-see.js'
import { AccessList } from './access-list.js'
import { ActivityLog } from './activity-log.js'
import './portal.css'

type Props = { open: boolean; company: Company; reshareGrantId: string | null; onClose: () => void }

export function SharePortalDialog({ open, company, reshareGrantId, onClose }: Props) {
  return (
    <Modal open={open} title="Share portal" onClose={onClose}>
      <ShareBody company={company} reshareGrantId={reshareGrantId} />
    </Modal>
  )
}

function ShareBody({ company, reshareGrantId }: { company: Company; reshareGrantId: string | null }) {
  const info = useResource((signal) => portalApi.shareInfo(company.id, signal), [company.id])
  const [contact, setContact] = useState<Contact | null>(null)
  const [expiry, setExpiry] = useState<ExpiryChoice>(DEFAULT_EXPIRY)
  const [folder, setFolder] = useState<string | null>(null)
  const [sentTo, setSentTo] = useState('')
  const send = useAction()
  const searchRef = useRef<HTMLInputElement>(null)

  // The dialog focuses its first control when it opens; move to the search box (unless a Re-share is waiting).
  useEffect(() => {
    if (reshareGrantId) return
    const t = setTimeout(() => searchRef.current?.focus())
    return () => clearTimeout(t)
  }, [reshareGrantId])

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    if (!contact?.email) return
    const to = contact.email
    setSentTo('')
    const ok = await send.run(async () => {
      const body = { contactId: contact.id, expiresInDays: expiry, ...(info.data?.uploadsAvailable ? { uploadsFolder: folder } : {}) }
      info.setData(await portalApi.share(company.id, body))
    })
    if (ok) {
      setSentTo(to)
      setContact(null)
    }
  }

  const data = info.data
  const withAccess = new Set((data?.access ?? []).map((a) => a.contactId))
  return (
    <div className="share-portal stack">
      <p className="muted share-intro">
        Give a contact at <strong>{company.name}</strong> a secure link to this company’s portal — no password needed.
      </p>
      <form className="form share-section" onSubmit={submit} noValidate aria-label="Send a magic link">
        <ContactPicker
          companyId={company.id}
          companyName={company.name}
          value={contact}
          onChange={(c) => {
            setContact(c)
            // Sharing again keeps that contact's uploads folder unless it is changed here.
            const existing = data?.access.find((a) => a.contactId === c.id)
            if (existing) setFolder(existing.uploadsFolder)
            setSentTo('')
            send.setError(null)
          }}
          withAccess={withAccess}
          invalid={errorField(send.error) === 'contactId'}
          searchRef={searchRef}
        />
        <ExpiryPicker value={expiry} onChange={setExpiry} />
        {data?.uploadsAvailable && <FolderPicker value={folder} onChange={setFolder} disabled={send.busy} />}
        {data ? <TheyWillSee types={data.theyWillSee} /> : <Loading error={info.error} />}
        <FormError error={send.error} />
        {sentTo && (
          <p className="notice ok-notice" role="status">
            Magic link sent to {sentTo}
          </p>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={!contact || send.busy}>
            {send.busy ? 'Sending…' : 'Send magic link →'}
          </button>
        </div>
      </form>
      {data && (
        <>
          <AccessList access={data.access} defaultExpiry={expiry} reshareGrantId={reshareGrantId} onChanged={info.reload} />
          <ActivityLog activity={data.activity} />
        </>
      )}
    </div>
  )
}
