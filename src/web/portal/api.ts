// The portal's API client. A client talks to /api/portal; a staff Preview of one company talks to
// /api/portal-preview/:companyId (same endpoints, the staff cookie, read-only).
import { createApiClient, type ApiClient } from '../shared/api-client.js'

export type { PortalMe, PortalHome, PortalTypeSection, PortalStage, PortalRecordCard, PortalRecordDetail, PortalFile, PortalComment, PortalFieldValue } from '../../shared/contracts/portal.js'

export const CLIENT_API_BASE = '/api/portal'

export function portalApiBase(previewCompanyId: string | undefined): string {
  return previewCompanyId ? `/api/portal-preview/${encodeURIComponent(previewCompanyId)}` : CLIENT_API_BASE
}

export function createPortalApi(base: string, onUnauthorized: () => void): ApiClient {
  return createApiClient({ base, onUnauthorized })
}

/** A plain link target: the browser downloads the attachment in one click, streaming from storage. */
export function downloadUrl(base: string, fileId: string): string {
  return `${base}/files/${encodeURIComponent(fileId)}/download`
}

/** Ends the client's session (client mode only). A 401 means it had already ended: fine too. */
export async function signOut(api: ApiClient): Promise<void> {
  try {
    await api.post('/sign-out', {}, { skipAuthRedirect: true })
  } catch (err) {
    if ((err as { status?: number }).status === 401) return
    throw err
  }
}
