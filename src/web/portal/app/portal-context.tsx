// What every portal page needs: who is looking (or that it is a staff Preview), the API for this
// mode, and how to link inside the portal (Preview pages live under /preview/:companyId).
import { createContext, useContext } from 'react'
import type { ApiClient } from '../../shared/api-client.js'
import type { PortalMe } from '../api.js'

export type PortalContextValue = {
  me: PortalMe
  api: ApiClient
  /** The API base, for plain links such as downloads. */
  apiBase: string
  preview: boolean
  paths: { home: string; record: (id: string) => string }
}

export const PortalContext = createContext<PortalContextValue | null>(null)

export function usePortal(): PortalContextValue {
  const value = useContext(PortalContext)
  if (!value) throw new Error('usePortal() outside the portal layout')
  return value
}

export function portalPaths(previewCompanyId: string | undefined): PortalContextValue['paths'] {
  const root = previewCompanyId ? `/preview/${encodeURIComponent(previewCompanyId)}` : ''
  return { home: root || '/', record: (id) => `${root}/records/${encodeURIComponent(id)}` }
}
