// A client's email preferences: GET and PUT /api/portal/notifications (client mode only; a staff
// Preview never shows or changes them). The shared API client has no PUT, so this one request is
// made here, with the same error handling (ApiError with the server's message, 401 ends the session).
import { ApiError, toApiError, type ApiClient } from '../../../shared/api-client.js'
import type { PortalPreferences } from '../../../../shared/contracts/portal.js'

export type { PortalPreferences }
export type Topics = Pick<PortalPreferences, 'statusChanges' | 'commentReplies'>

export function getPreferences(api: ApiClient, signal?: AbortSignal): Promise<PortalPreferences> {
  return api.get<PortalPreferences>('/notifications', { signal })
}

/** Opting in (or in again) sends a confirmation email and answers 'pending'; no topic at all → 'unsubscribed'. */
export async function updatePreferences(api: ApiClient, apiBase: string, topics: Topics): Promise<PortalPreferences> {
  let res: Response
  try {
    res = await fetch(`${apiBase}/notifications`, {
      method: 'PUT',
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ statusChanges: topics.statusChanges, commentReplies: topics.commentReplies }),
    })
  } catch {
    throw new ApiError(0, 'NETWORK', 'Could not reach the server. Check your connection and try again.')
  }
  const text = await res.text()
  if (!res.ok) {
    if (res.status === 401) api.unauthorized()
    throw toApiError(res.status, text)
  }
  return JSON.parse(text) as PortalPreferences
}
