import type { UpdateWorkspace, Workspace } from '../../../shared/contracts/staff.js'
import type { z } from 'zod'
import type { Deps } from '../../deps.js'
import { notFound } from '../../errors.js'
import type { Brand } from '../../email/layout.js'
import { requireAdmin, type StaffPrincipal } from '../../staff/principal.js'
import { touchWorkspace } from '../../db/versions.js'
import * as q from './workspace.queries.js'

type Row = NonNullable<Awaited<ReturnType<typeof q.findWorkspace>>>
const toWorkspace = (w: Row): Workspace => ({
  id: w.id,
  name: w.name,
  slug: w.slug,
  logoUrl: w.logo_url,
  brandColor: w.brand_color,
  postalAddress: w.postal_address,
  senderName: w.sender_name,
  replyTo: w.reply_to,
  emailFooter: w.email_footer,
})

export async function findWorkspaceById(deps: Deps, workspaceId: string): Promise<Workspace> {
  const row = await q.findWorkspace(deps.db, workspaceId)
  if (!row) throw notFound('Workspace not found')
  return toWorkspace(row)
}

export const getWorkspace = (deps: Deps, staff: StaffPrincipal) => findWorkspaceById(deps, staff.workspaceId)

export async function updateWorkspace(deps: Deps, staff: StaffPrincipal, input: z.infer<typeof UpdateWorkspace>): Promise<Workspace> {
  requireAdmin(staff)
  await q.updateWorkspace(deps.db, staff.workspaceId, {
    ...(input.name !== undefined && { name: input.name }),
    ...(input.logoUrl !== undefined && { logo_url: input.logoUrl }),
    ...(input.brandColor !== undefined && { brand_color: input.brandColor }),
    ...(input.postalAddress !== undefined && { postal_address: input.postalAddress }),
    ...(input.senderName !== undefined && { sender_name: input.senderName }),
    ...(input.replyTo !== undefined && { reply_to: input.replyTo }),
    ...(input.emailFooter !== undefined && { email_footer: input.emailFooter || null }),
  })
  await touchWorkspace(deps.db, staff.workspaceId) // name, logo and colour brand every portal
  return getWorkspace(deps, staff)
}

/** What every email of this workspace is branded with. */
export const brandOf = (w: Workspace): Brand => ({ name: w.name, logoUrl: w.logoUrl, brandColor: w.brandColor, postalAddress: w.postalAddress, footer: w.emailFooter })

/** From, Reply-To and brand of customer-facing emails (Settings → Notifications). */
export const customerSender = (w: Workspace, mailFrom: string) => ({
  from: `"${w.senderName.replace(/["\r\n]/g, '')}" <${mailFrom}>`,
  replyTo: w.replyTo,
  brand: brandOf(w),
})
