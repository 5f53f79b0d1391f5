// The staff app's API client (/api/v1). A 401 anywhere sends the user to the sign-in page.
import { createApiClient } from '../shared/api-client.js'

let unauthorized: () => void = () => window.location.assign('/app/sign-in')

/** The router installs its own navigation here so a 401 doesn't reload the page. */
export function setUnauthorizedHandler(handler: () => void): void {
  unauthorized = handler
}

export const api = createApiClient({ base: '/api/v1', onUnauthorized: () => unauthorized() })
