// The company page's portal buttons: Preview portal (new tab) and Share portal (the dialog). A link from the
// expiry reminder email (?reshare=<grantId>) opens the dialog with that contact's Re-share ready to confirm.
import { useState } from 'react'
import { useSearchParams } from 'react-router'
import type { Company } from '../../../../shared/contracts/staff.js'
import { previewUrl } from './api.js'
import { SharePortalDialog } from './share-portal-dialog.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function PortalActions({ company }: { company: Company }) {
  const [params, setParams] = useSearchParams()
  const fromUrl = params.get('reshare')
  const reshareGrantId = fromUrl && UUID.test(fromUrl) ? fromUrl : null
  const [opened, setOpened] = useState(false)
  const open = opened || reshareGrantId !== null

  function close() {
    setOpened(false)
    if (params.has('reshare')) {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev)
          next.delete('reshare')
          return next
        },
        { replace: true },
      )
    }
  }

  return (
    <>
      <a className="button" href={previewUrl(company.id)} target="_blank" rel="noopener noreferrer">
        Preview portal <span aria-hidden="true">↗</span>
        <span className="visually-hidden"> (opens in a new tab)</span>
      </a>
      <button type="button" className="primary" onClick={() => setOpened(true)}>
        Share portal
      </button>
      <SharePortalDialog open={open} company={company} reshareGrantId={reshareGrantId} onClose={close} />
    </>
  )
}
