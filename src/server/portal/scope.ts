// Choke point 2: the ONLY data access of portal routes. Every query here is filtered by the principal's
// company (taken from the session, never from the request) and by the shareable record types.
// Changes to this file need two reviewers.
import type { PortalMe } from '../../shared/contracts/portal.js'
import type { Deps } from '../deps.js'
import { notFound } from '../errors.js'
import type { ClientPrincipal } from './access/access.service.js'

/** A staff Preview of a company: the same code path, read-only. */
export interface PreviewPrincipal {
  kind: 'preview'
  workspaceId: string
  companyId: string
  staffUserId: string
}
export type PortalPrincipal = ClientPrincipal | PreviewPrincipal

export async function describePrincipal(deps: Deps, p: PortalPrincipal): Promise<PortalMe> {
  const row = await deps.db
    .selectFrom('companies as co')
    .innerJoin('workspaces as w', 'w.id', 'co.workspace_id')
    .select(['co.name as company_name', 'w.name as workspace_name', 'w.logo_url', 'w.brand_color'])
    .where('co.id', '=', p.companyId)
    .where('co.workspace_id', '=', p.workspaceId)
    .executeTakeFirst()
  if (!row) throw notFound()
  return {
    workspace: { name: row.workspace_name, logoUrl: row.logo_url, brandColor: row.brand_color },
    company: { name: row.company_name },
    contact: p.kind === 'client' ? { name: p.contactName, email: p.contactEmail } : { name: 'Preview', email: 'preview' },
    preview: p.kind === 'preview',
  }
}
