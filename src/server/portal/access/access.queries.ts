// SQL for grants, links and sessions. Expiry and revocation are checked in the same query that finds a token.
import type { Insertable } from 'kysely'
import type { Dialect } from '../../db/database.js'
import { inList, listParam } from '../../db/in-list.js'
import { prepared } from '../../db/prepared.js'
import type { Executor } from '../../jobs/outbox.js'
import type { PortalGrantRow, PortalLinkRow, PortalSessionRow } from '../../db/schema.js'

export const insertGrant = (db: Executor, row: Insertable<PortalGrantRow>) => db.insertInto('portal_grants').values(row).execute()
export const insertLink = (db: Executor, row: Insertable<PortalLinkRow>) => db.insertInto('portal_links').values(row).execute()
export const insertSession = (db: Executor, row: Insertable<PortalSessionRow>) => db.insertInto('portal_sessions').values(row).execute()

export const findActiveGrant = (db: Executor, workspaceId: string, companyId: string, contactId: string) =>
  db
    .selectFrom('portal_grants')
    .select(['id'])
    .where('workspace_id', '=', workspaceId)
    .where('company_id', '=', companyId)
    .where('contact_id', '=', contactId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()

export const findGrant = (db: Executor, workspaceId: string, grantId: string) =>
  db
    .selectFrom('portal_grants as g')
    .innerJoin('companies as co', 'co.id', 'g.company_id')
    .select(['g.id', 'g.company_id', 'g.contact_id', 'g.contact_email', 'g.revoked_at', 'g.uploads_folder', 'co.name as company_name'])
    .where('g.workspace_id', '=', workspaceId)
    .where('g.id', '=', grantId)
    .executeTakeFirst()

export const supersedeLinks = (db: Executor, grantId: string, at: string) =>
  db.updateTable('portal_links').set({ superseded_at: at }).where('grant_id', '=', grantId).where('superseded_at', 'is', null).execute()

export const revokeGrant = (db: Executor, grantId: string, at: string) =>
  db.updateTable('portal_grants').set({ revoked_at: at }).where('id', '=', grantId).where('revoked_at', 'is', null).execute()

export const deleteSessionsOfGrant = (db: Executor, grantId: string) => db.deleteFrom('portal_sessions').where('grant_id', '=', grantId).execute()

export const activeGrantsOfContact = (db: Executor, workspaceId: string, contactId: string) =>
  db.selectFrom('portal_grants').select(['id', 'company_id']).where('workspace_id', '=', workspaceId).where('contact_id', '=', contactId).where('revoked_at', 'is', null).execute()

/** A link that can still open the portal: not superseded, not expired, grant not revoked, contact unchanged. */
export const findUsableLink = (db: Executor, tokenHash: string, now: string) =>
  db
    .selectFrom('portal_links as l')
    .innerJoin('portal_grants as g', 'g.id', 'l.grant_id')
    .innerJoin('contacts as c', (j) => j.onRef('c.id', '=', 'g.contact_id').onRef('c.email', '=', 'g.contact_email').onRef('c.company_id', '=', 'g.contact_company_id'))
    .select(['l.id as link_id', 'l.expires_at', 'g.id as grant_id', 'g.workspace_id', 'g.company_id', 'g.contact_id'])
    .where('l.token_hash', '=', tokenHash)
    .where('l.superseded_at', 'is', null)
    .where('g.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('l.expires_at', 'is', null), eb('l.expires_at', '>', now)]))
    .executeTakeFirst()

/** The one query behind every portal request (batched, see coalesce.ts): session, grant and contact, all still valid. */
const liveSessions = prepared((db: Executor, idHashes: unknown, now: string, idleSince: string) =>
  db
    .selectFrom('portal_sessions as s')
    .innerJoin('portal_grants as g', 'g.id', 's.grant_id')
    .innerJoin('contacts as c', (j) => j.onRef('c.id', '=', 'g.contact_id').onRef('c.email', '=', 'g.contact_email').onRef('c.company_id', '=', 'g.contact_company_id'))
    .innerJoin('companies as co', 'co.id', 'g.company_id')
    .innerJoin('workspaces as w', 'w.id', 'g.workspace_id')
    .select([
      's.id_hash',
      's.last_seen_at',
      'g.id as grant_id',
      'g.workspace_id',
      'g.company_id',
      'g.contact_id',
      'g.uploads_folder',
      'c.name as contact_name',
      'c.email as contact_email',
      'w.portal_version as workspace_version',
      'co.portal_version as company_version',
    ])
    .where(inList(db, 's.id_hash', idHashes))
    .where('s.expires_at', '>', now)
    .where('s.last_seen_at', '>', idleSince)
    .where('g.revoked_at', 'is', null),
)
export const findLiveSessions = (db: Executor, idHashes: string[], now: string, idleSince: string) => liveSessions(db, listParam(db, idHashes), now, idleSince)

export const touchSessions = (db: Executor, idHashes: string[], at: string) => db.updateTable('portal_sessions').set({ last_seen_at: at }).where('id_hash', 'in', idHashes).execute()
export const deleteSession = (db: Executor, idHash: string) => db.deleteFrom('portal_sessions').where('id_hash', '=', idHash).execute()
export const markLinkUsed = (db: Executor, linkId: string, at: string) => db.updateTable('portal_links').set({ last_used_at: at }).where('id', '=', linkId).execute()

/**
 * Serialises link sending in one workspace, across instances: a row lock on the workspace, held until the
 * sending transaction ends (FOR NO KEY UPDATE does not block inserts that merely reference the workspace).
 * SQLite needs none: its one connection runs one transaction at a time.
 */
export async function lockLinkSending(db: Executor, dialect: Dialect, workspaceId: string): Promise<void> {
  if (dialect === 'postgres') await db.selectFrom('workspaces').select('id').where('id', '=', workspaceId).forNoKeyUpdate().execute()
}

export const countLinksSince = async (db: Executor, filter: { workspaceId: string; contactId?: string }, since: string) => {
  let query = db
    .selectFrom('portal_links as l')
    .innerJoin('portal_grants as g', 'g.id', 'l.grant_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('l.workspace_id', '=', filter.workspaceId)
    .where('l.created_at', '>', since)
  if (filter.contactId) query = query.where('g.contact_id', '=', filter.contactId)
  return Number((await query.executeTakeFirstOrThrow()).n)
}

export const listAccess = (db: Executor, workspaceId: string, companyId: string, now: string, idleSince: string) =>
  db
    .selectFrom('portal_grants as g')
    .innerJoin('contacts as c', 'c.id', 'g.contact_id')
    .innerJoin('portal_links as l', (j) => j.onRef('l.grant_id', '=', 'g.id').on('l.superseded_at', 'is', null))
    .leftJoin('users as u', 'u.id', 'l.sent_by_user_id')
    .select((eb) => [
      'g.id as grant_id',
      'g.contact_id',
      'c.name as contact_name',
      'g.contact_email',
      'g.uploads_folder',
      'u.name as shared_by',
      'l.created_at as sent_at',
      'l.expires_at',
      'l.last_used_at',
      eb
        .selectFrom('portal_sessions as s')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('s.grant_id', '=', 'g.id')
        .where('s.expires_at', '>', now)
        .where('s.last_seen_at', '>', idleSince)
        .as('open_sessions'),
    ])
    .where('g.workspace_id', '=', workspaceId)
    .where('g.company_id', '=', companyId)
    .where('g.revoked_at', 'is', null)
    .orderBy('l.created_at', 'desc')
    .execute()

export const linksDueForReminder = (db: Executor, now: string, horizon: string) =>
  db
    .selectFrom('portal_links as l')
    .innerJoin('portal_grants as g', 'g.id', 'l.grant_id')
    .select(['l.id', 'l.grant_id', 'l.workspace_id', 'l.expires_at', 'l.sent_by_user_id', 'g.company_id', 'g.shared_by_user_id'])
    .where('l.superseded_at', 'is', null)
    .where('g.revoked_at', 'is', null)
    .where('l.reminder_sent_at', 'is', null)
    .where('l.expires_at', 'is not', null)
    .where('l.expires_at', '>', now)
    .where('l.expires_at', '<=', horizon)
    .limit(100)
    .execute()

export const markReminderSent = (db: Executor, linkId: string, at: string) => db.updateTable('portal_links').set({ reminder_sent_at: at }).where('id', '=', linkId).execute()
