// The staff app's calls for Settings → Portal and the Share portal dialog (/api/v1/portal/*, /companies/:id/portal).
import type { PortalShareInfo, PortalTypeSettings, UpdatePortalTypeSettings } from '../../../../shared/contracts/portal-admin.js'
import type { Contact } from '../../../../shared/contracts/staff.js'
import { api } from '../../api.js'

/** 30, 60 or 90 days, or null for a link that never expires. */
export type ExpiryChoice = 30 | 60 | 90 | null
export const DEFAULT_EXPIRY: ExpiryChoice = 30

export const portalApi = {
  settings: (signal?: AbortSignal) => api.get<PortalTypeSettings[]>('/portal/settings', { signal }),
  updateType: (typeId: string, patch: UpdatePortalTypeSettings) => api.patch<PortalTypeSettings>(`/portal/settings/${typeId}`, patch),
  shareInfo: (companyId: string, signal?: AbortSignal) => api.get<PortalShareInfo>(`/companies/${companyId}/portal`, { signal }),
  share: (companyId: string, body: { contactId: string; expiresInDays: ExpiryChoice; uploadsFolder?: string | null }) =>
    api.post<PortalShareInfo>(`/companies/${companyId}/portal/share`, body),
  reshare: (grantId: string, expiresInDays: ExpiryChoice) => api.post<{ ok: true }>(`/portal/grants/${grantId}/reshare`, { expiresInDays }),
  revoke: (grantId: string) => api.post<{ ok: true }>(`/portal/grants/${grantId}/revoke`, {}),
  contactsOfCompany: (companyId: string, signal?: AbortSignal) => api.get<Contact[]>(`/contacts?companyId=${encodeURIComponent(companyId)}`, { signal }),
  searchContacts: (q: string, signal?: AbortSignal) => api.get<Contact[]>(`/contacts?q=${encodeURIComponent(q)}`, { signal }),
}

/** The portal SPA's staff Preview of one company (opened in a new tab). */
export const previewUrl = (companyId: string) => `/portal/preview/${encodeURIComponent(companyId)}`
