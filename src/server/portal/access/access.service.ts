// Who may open a company's portal, and for how long. Links are long-lived, multi-use share links
// (docs/decisions/002-long-lived-portal-links.md); sessions are short compared to them and revocable.
// Only SHA-256 hashes of link tokens and session ids are stored.
import { randomUUID } from 'node:crypto'
import type { PortalShareInfo } from '../../../shared/contracts/portal-admin.js'
import type { Deps } from '../../deps.js'
import { AppError, notFound } from '../../errors.js'
import type { Executor } from '../../jobs/outbox.js'
import { queueEmail } from '../../email/outbox.js'
import { linkExpiryReminderEmail, portalLinkEmail } from '../../email/messages/portal-link.js'
import { hashToken, isTokenShaped, newToken } from '../../security/tokens.js'
import { coalesce } from '../../db/coalesce.js'
import type { StaffPrincipal } from '../../staff/principal.js'
import { getCompany } from '../../modules/companies/companies.service.js'
import { getContact } from '../../modules/contacts/contacts.service.js'
import { countRecordsByType } from '../../modules/records/records.service.js'
import type { Workspace } from '../../../shared/contracts/staff.js'
import { brandOf, findWorkspaceById } from '../../modules/workspace/workspace.service.js'
import { listPortalSettings } from '../settings.service.js'
import { cleanFolderPath } from '../../storage/workspace-storage.js'
import { EVENT_LABELS, listEvents, recordEvent, type PortalEventKind, type RequestMeta } from './events.js'
import * as q from './access.queries.js'

const DAY = 86_400_000
const LIMITS = { perContactPerHour: 5, perWorkspacePerHour: 100 }

export const linkUrl = (deps: Deps, token: string) => `${deps.config.baseUrl}/portal/l/${token}`

/**
 * The hourly limits, counted in the database so that every instance sees every link. Call it in the sending
 * transaction: it first takes the workspace's link-sending lock, so concurrent shares (on any instance) are
 * counted one after the other instead of all passing the same count.
 */
async function assertSendAllowed(deps: Deps, trx: Executor, workspaceId: string, contactId: string) {
  await q.lockLinkSending(trx, deps.dialect, workspaceId)
  const since = new Date(deps.clock().getTime() - 3_600_000).toISOString()
  if ((await q.countLinksSince(trx, { workspaceId, contactId }, since)) >= LIMITS.perContactPerHour) {
    throw new AppError('RATE_LIMITED', `This contact was already sent ${LIMITS.perContactPerHour} links in the last hour. Please wait an hour before sending another.`)
  }
  if ((await q.countLinksSince(trx, { workspaceId }, since)) >= LIMITS.perWorkspacePerHour) {
    throw new AppError('RATE_LIMITED', `Your workspace sent ${LIMITS.perWorkspacePerHour} portal links in the last hour. Please wait before sending more.`)
  }
}

/** Creates the link, supersedes earlier ones and queues the email, all in the caller's transaction. */
async function issueLink(
  deps: Deps,
  trx: Executor,
  staff: StaffPrincipal,
  g: { grantId: string; companyName: string; contactEmail: string; expiresInDays: number | null; reshare: boolean; ws: Workspace },
) {
  const ws = g.ws
  const now = deps.clock()
  const token = newToken()
  const linkId = randomUUID()
  const expiresAt = g.expiresInDays === null ? null : new Date(now.getTime() + g.expiresInDays * DAY)
  await q.supersedeLinks(trx, g.grantId, now.toISOString())
  await q.insertLink(trx, {
    id: linkId,
    grant_id: g.grantId,
    workspace_id: staff.workspaceId,
    token_hash: hashToken(token),
    expires_at: expiresAt?.toISOString() ?? null,
    created_at: now.toISOString(),
    sent_by_user_id: staff.userId,
    superseded_at: null,
    last_used_at: null,
    reminder_sent_at: null,
  })
  await queueEmail(trx, now, {
    workspaceId: staff.workspaceId,
    to: g.contactEmail,
    from: `"${ws.senderName.replaceAll('"', '')}" <${deps.config.mailFrom}>`,
    replyTo: staff.email,
    idempotencyKey: `portal-link:${linkId}`,
    brand: brandOf(ws),
    content: portalLinkEmail({ workspaceName: ws.name, companyName: g.companyName, sharedBy: staff.name, url: linkUrl(deps, token), expiresAt, reshare: g.reshare }),
  })
}

export async function sharePortal(
  deps: Deps,
  staff: StaffPrincipal,
  companyId: string,
  input: { contactId: string; expiresInDays: number | null; uploadsFolder?: string | null | undefined },
  meta: RequestMeta,
): Promise<void> {
  const company = await getCompany(deps, staff, companyId)
  const contact = await getContact(deps, staff, input.contactId).catch(() => {
    throw new AppError('VALIDATION', 'contactId does not name a contact of this workspace', 'contactId')
  })
  if (!contact.email) throw new AppError('VALIDATION', `${contact.name} has no email address on file; add one to share the portal`, 'contactId')
  const uploadsFolder = input.uploadsFolder ? cleanFolderPath(input.uploadsFolder) : input.uploadsFolder
  const ws = await findWorkspaceById(deps, staff.workspaceId)
  const now = deps.clock()
  await deps.db.transaction().execute(async (trx) => {
    await assertSendAllowed(deps, trx, staff.workspaceId, contact.id)
    // Under the lock, so two concurrent first shares cannot both create a grant.
    const existing = await q.findActiveGrant(trx, staff.workspaceId, companyId, contact.id)
    const grantId = existing?.id ?? randomUUID()
    if (!existing) {
      await q.insertGrant(trx, {
        id: grantId,
        workspace_id: staff.workspaceId,
        company_id: companyId,
        contact_id: contact.id,
        contact_email: contact.email!,
        contact_company_id: contact.companyId,
        shared_by_user_id: staff.userId,
        uploads_folder: uploadsFolder ?? null,
        created_at: now.toISOString(),
        revoked_at: null,
      })
    } else if (uploadsFolder !== undefined) {
      await trx.updateTable('portal_grants').set({ uploads_folder: uploadsFolder }).where('id', '=', grantId).execute()
    }
    await issueLink(deps, trx, staff, { grantId, companyName: company.name, contactEmail: contact.email!, expiresInDays: input.expiresInDays, reshare: Boolean(existing), ws })
    await recordEvent(trx, now, { workspaceId: staff.workspaceId, companyId, grantId, contactId: contact.id, userId: staff.userId, kind: existing ? 'reshared' : 'shared', meta })
  })
}

async function activeGrant(deps: Deps, staff: StaffPrincipal, grantId: string) {
  const grant = await q.findGrant(deps.db, staff.workspaceId, grantId)
  if (!grant || grant.revoked_at) throw notFound('Portal access not found')
  return grant
}

export async function resharePortal(deps: Deps, staff: StaffPrincipal, grantId: string, expiresInDays: number | null, meta: RequestMeta): Promise<void> {
  const grant = await activeGrant(deps, staff, grantId)
  const ws = await findWorkspaceById(deps, staff.workspaceId)
  await deps.db.transaction().execute(async (trx) => {
    await assertSendAllowed(deps, trx, staff.workspaceId, grant.contact_id)
    await issueLink(deps, trx, staff, { grantId, companyName: grant.company_name, contactEmail: grant.contact_email, expiresInDays, reshare: true, ws })
    await recordEvent(trx, deps.clock(), { workspaceId: staff.workspaceId, companyId: grant.company_id, grantId, contactId: grant.contact_id, userId: staff.userId, kind: 'reshared', meta })
  })
}

async function endGrant(trx: Executor, now: Date, grant: { id: string; company_id: string; contact_id: string }, workspaceId: string, kind: PortalEventKind, userId: string | null, meta?: RequestMeta) {
  await q.revokeGrant(trx, grant.id, now.toISOString())
  await q.supersedeLinks(trx, grant.id, now.toISOString())
  await q.deleteSessionsOfGrant(trx, grant.id)
  await recordEvent(trx, now, { workspaceId, companyId: grant.company_id, grantId: grant.id, contactId: grant.contact_id, userId, kind, ...(meta ? { meta } : {}) })
}

/** Revoke: the link and every session of it stop at once, in one transaction. */
export async function revokePortal(deps: Deps, staff: StaffPrincipal, grantId: string, meta: RequestMeta): Promise<void> {
  const grant = await activeGrant(deps, staff, grantId)
  await deps.db.transaction().execute((trx) => endGrant(trx, deps.clock(), grant, staff.workspaceId, 'revoked', staff.userId, meta))
}

/** Access follows the contact: called when a contact is deleted, loses its email or changes company. */
export async function endAccessForContact(trx: Executor, now: Date, workspaceId: string, contactId: string, userId: string | null): Promise<void> {
  for (const g of await q.activeGrantsOfContact(trx, workspaceId, contactId)) {
    await endGrant(trx, now, { id: g.id, company_id: g.company_id, contact_id: contactId }, workspaceId, 'access_ended', userId)
  }
}

export async function getShareInfo(deps: Deps, staff: StaffPrincipal, companyId: string): Promise<PortalShareInfo> {
  await getCompany(deps, staff, companyId)
  const now = deps.clock().toISOString()
  const [settings, recordCounts, access, events] = await Promise.all([
    listPortalSettings(deps.db, staff.workspaceId),
    countRecordsByType(deps, staff, companyId),
    q.listAccess(deps.db, staff.workspaceId, companyId, now, new Date(deps.clock().getTime() - deps.config.portal.sessionIdleMs).toISOString()),
    listEvents(deps.db, staff.workspaceId, companyId),
  ])
  return {
    uploadsAvailable: true, // both the local folder and Dropbox can take client uploads
    theyWillSee: settings
      .filter((s) => s.shareable)
      .map((s) => ({
        typeId: s.typeId,
        plural: s.plural,
        fields: ['Name', ...(s.hasPipeline ? ['Stage'] : []), ...(s.showStatus ? ['Status'] : []), ...s.fields.filter((f) => f.visible).map((f) => f.label), ...(s.showFiles ? ['Files'] : []), ...(s.showComments ? ['Comments'] : [])],
        recordCount: recordCounts.get(s.typeId) ?? 0,
      })),
    access: access.map((a) => ({
      grantId: a.grant_id,
      contactId: a.contact_id,
      contactName: a.contact_name,
      contactEmail: a.contact_email,
      sharedBy: a.shared_by,
      sentAt: a.sent_at,
      expiresAt: a.expires_at,
      lastUsedAt: a.last_used_at,
      openSessions: Number(a.open_sessions ?? 0),
      uploadsFolder: a.uploads_folder,
    })),
    activity: events.map((e) => ({
      id: e.id,
      kind: e.kind,
      label: EVENT_LABELS[e.kind as PortalEventKind] ?? e.kind,
      detail: e.detail,
      contactId: e.contact_id,
      contactName: e.contact_name,
      actorName: e.actor_name,
      ip: e.ip,
      userAgent: e.user_agent,
      at: e.created_at,
    })),
  }
}

// ── the client's side: link → session → principal ──

export interface PortalSession {
  token: string
  expiresAt: Date
}

/** Exchanges a usable link for a brand-new session. Returns undefined for any unusable link, whatever the reason. */
export async function exchangeLink(deps: Deps, token: unknown, meta: RequestMeta, previousSession?: unknown): Promise<PortalSession | undefined> {
  if (!isTokenShaped(token)) return undefined
  const now = deps.clock()
  const link = await q.findUsableLink(deps.db, hashToken(token), now.toISOString())
  if (!link) return undefined
  const sessionToken = newToken()
  const cap = now.getTime() + deps.config.portal.sessionMaxMs
  const expiresAt = new Date(link.expires_at ? Math.min(cap, new Date(link.expires_at).getTime()) : cap)
  await deps.db.transaction().execute(async (trx) => {
    if (isTokenShaped(previousSession)) await q.deleteSession(trx, hashToken(previousSession))
    await q.insertSession(trx, {
      id_hash: hashToken(sessionToken),
      grant_id: link.grant_id,
      link_id: link.link_id,
      workspace_id: link.workspace_id,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: expiresAt.toISOString(),
    })
    await q.markLinkUsed(trx, link.link_id, now.toISOString())
    await recordEvent(trx, now, { workspaceId: link.workspace_id, companyId: link.company_id, grantId: link.grant_id, contactId: link.contact_id, kind: 'link_opened', meta })
  })
  return { token: sessionToken, expiresAt }
}

/** Read-only check used by the link page's GET: never writes. */
export async function isLinkUsable(deps: Deps, token: unknown): Promise<boolean> {
  return isTokenShaped(token) && Boolean(await q.findUsableLink(deps.db, hashToken(token), deps.clock().toISOString()))
}

export interface ClientPrincipal {
  kind: 'client'
  workspaceId: string
  companyId: string
  contactId: string
  contactName: string
  contactEmail: string
  grantId: string
  sessionHash: string
  uploadsFolder: string | null
  /** What the client's view depends on: workspace and company versions, read with the session. */
  viewVersion: string
}

const TOUCH_EVERY_MS = 60_000

/**
 * Validity is re-checked on every request, in one query; nothing is cached across requests. Requests that
 * arrive together share that query (coalesce.ts), which is always sent after each of them arrived.
 */
export function createSessionResolver(deps: Deps): (token: unknown) => Promise<ClientPrincipal | undefined> {
  const lookup = coalesce(async (idHashes: string[]) => {
    const now = deps.clock()
    const rows = await q.findLiveSessions(deps.db, idHashes, now.toISOString(), new Date(now.getTime() - deps.config.portal.sessionIdleMs).toISOString())
    const stale = rows.filter((r) => now.getTime() - new Date(r.last_seen_at).getTime() > TOUCH_EVERY_MS).map((r) => r.id_hash)
    if (stale.length > 0) await q.touchSessions(deps.db, stale, now.toISOString())
    return new Map(rows.map((r) => [r.id_hash, r]))
  })
  return async (token) => {
    if (!isTokenShaped(token)) return undefined
    const idHash = hashToken(token)
    const row = await lookup(idHash)
    return (
      row && {
        kind: 'client',
        workspaceId: row.workspace_id,
        companyId: row.company_id,
        contactId: row.contact_id,
        contactName: row.contact_name,
        contactEmail: row.contact_email!,
        grantId: row.grant_id,
        sessionHash: idHash,
        uploadsFolder: row.uploads_folder,
        viewVersion: `${row.workspace_version}.${row.company_version}`,
      }
    )
  }
}

export async function signOut(deps: Deps, principal: ClientPrincipal, meta: RequestMeta): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await q.deleteSession(trx, principal.sessionHash)
    await recordEvent(trx, deps.clock(), { workspaceId: principal.workspaceId, companyId: principal.companyId, grantId: principal.grantId, contactId: principal.contactId, kind: 'signed_out', meta })
  })
}

/** A week before a link expires, its sharer gets a reminder with a one-click Re-share. Idempotent per link. */
export async function sendExpiryReminders(deps: Deps): Promise<number> {
  const now = deps.clock()
  const due = await q.linksDueForReminder(deps.db, now.toISOString(), new Date(now.getTime() + 7 * DAY).toISOString())
  for (const link of due) {
    const ws = await findWorkspaceById(deps, link.workspace_id)
    await deps.db.transaction().execute(async (trx) => {
      const sharerId = link.sent_by_user_id ?? link.shared_by_user_id
      const sharer = sharerId ? await trx.selectFrom('users').select(['email']).where('id', '=', sharerId).executeTakeFirst() : undefined
      const detail = await trx
        .selectFrom('portal_grants as g')
        .innerJoin('companies as co', 'co.id', 'g.company_id')
        .innerJoin('contacts as c', 'c.id', 'g.contact_id')
        .select(['co.name as company_name', 'c.name as contact_name'])
        .where('g.id', '=', link.grant_id)
        .executeTakeFirstOrThrow()
      if (sharer) {
        await queueEmail(trx, now, {
          workspaceId: link.workspace_id,
          to: sharer.email,
          from: `"Coeffection" <${deps.config.mailFrom}>`,
          idempotencyKey: `link-reminder:${link.id}`,
          brand: brandOf(ws),
          content: linkExpiryReminderEmail({
            companyName: detail.company_name,
            contactName: detail.contact_name,
            expiresAt: new Date(link.expires_at!),
            reshareUrl: `${deps.config.baseUrl}/app/companies/${link.company_id}?reshare=${link.grant_id}`,
          }),
        })
      }
      await q.markReminderSent(trx, link.id, now.toISOString())
    })
  }
  return due.length
}

export async function recordDownload(deps: Deps, p: ClientPrincipal, fileName: string, meta: RequestMeta): Promise<void> {
  await recordEvent(deps.db, deps.clock(), { workspaceId: p.workspaceId, companyId: p.companyId, grantId: p.grantId, contactId: p.contactId, kind: 'downloaded', detail: fileName, meta })
}
