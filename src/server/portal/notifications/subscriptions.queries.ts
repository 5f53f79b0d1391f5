import type { Insertable, Updateable } from 'kysely'
import type { Executor } from '../../jobs/outbox.js'
import type { PortalSubscriptionRow } from '../../db/schema.js'

const COLUMNS = ['id', 'workspace_id', 'company_id', 'contact_id', 'email', 'status', 'status_changes', 'comment_replies', 'confirm_expires_at'] as const

export const findForContact = (db: Executor, workspaceId: string, companyId: string, contactId: string) =>
  db.selectFrom('portal_subscriptions').select(COLUMNS).where('workspace_id', '=', workspaceId).where('company_id', '=', companyId).where('contact_id', '=', contactId).executeTakeFirst()

export const findByConfirmToken = (db: Executor, hash: string, now: string) =>
  db
    .selectFrom('portal_subscriptions')
    .select(COLUMNS)
    .where('confirm_token_hash', '=', hash)
    .where('status', '=', 'pending')
    .where('confirm_expires_at', '>', now)
    .executeTakeFirst()

export const findByUnsubscribeToken = (db: Executor, hash: string) =>
  db
    .selectFrom('unsubscribe_tokens as t')
    .innerJoin('portal_subscriptions as s', 's.id', 't.subscription_id')
    .select(['s.id', 's.workspace_id', 's.company_id', 's.contact_id', 's.email', 's.status', 's.status_changes', 's.comment_replies', 's.confirm_expires_at', 's.confirmed_at'])
    .where('t.token_hash', '=', hash)
    .executeTakeFirst()

export const insertSubscription = (db: Executor, row: Insertable<PortalSubscriptionRow>) => db.insertInto('portal_subscriptions').values(row).execute()
export const updateSubscription = (db: Executor, id: string, patch: Updateable<PortalSubscriptionRow>) => db.updateTable('portal_subscriptions').set(patch).where('id', '=', id).execute()
export const insertUnsubscribeToken = (db: Executor, row: { token_hash: string; subscription_id: string; created_at: string }) =>
  db.insertInto('unsubscribe_tokens').values(row).execute()

/** Confirmed subscribers of a company who still have access (live grant, same address). */
export const confirmedSubscribers = (db: Executor, workspaceId: string, companyId: string, topic: 'status_changes' | 'comment_replies') =>
  db
    .selectFrom('portal_subscriptions as s')
    .innerJoin('contacts as c', (j) => j.onRef('c.id', '=', 's.contact_id').onRef('c.email', '=', 's.email'))
    .select(['s.id', 's.email', 's.contact_id', 'c.name as contact_name'])
    .where('s.workspace_id', '=', workspaceId)
    .where('s.company_id', '=', companyId)
    .where('s.status', '=', 'confirmed')
    .where(`s.${topic}`, '=', 1)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('portal_grants as g')
          .select('g.id')
          .whereRef('g.contact_id', '=', 's.contact_id')
          .whereRef('g.company_id', '=', 's.company_id')
          .whereRef('g.contact_email', '=', 's.email')
          .where('g.revoked_at', 'is', null),
      ),
    )
    .execute()
