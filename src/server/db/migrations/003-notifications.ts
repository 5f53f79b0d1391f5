// Client notification preferences (double opt-in, one-click unsubscribe), batched record changes,
// and the workspace's customer-email settings.
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('workspaces').addColumn('reply_to', 'text').execute()
  await db.schema.alterTable('workspaces').addColumn('email_footer', 'text').execute()

  await db.schema
    .createTable('portal_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // pending | confirmed | unsubscribed
    .addColumn('status_changes', 'integer', (c) => c.notNull())
    .addColumn('comment_replies', 'integer', (c) => c.notNull())
    .addColumn('confirm_token_hash', 'text', (c) => c.unique())
    .addColumn('confirm_expires_at', 'text')
    .addColumn('opted_in_at', 'text')
    .addColumn('opted_in_ip', 'text')
    .addColumn('opted_in_ua', 'text')
    .addColumn('confirmed_at', 'text')
    .addColumn('confirmed_ip', 'text')
    .addColumn('confirmed_ua', 'text')
    .addColumn('unsubscribed_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('portal_subscriptions_contact_company', ['contact_id', 'company_id'])
    .execute()
  await db.schema.createIndex('portal_subscriptions_company').on('portal_subscriptions').columns(['workspace_id', 'company_id', 'status']).execute()

  // Each notification email carries its own unsubscribe token; we keep only its hash, forever.
  await db.schema
    .createTable('unsubscribe_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('subscription_id', 'text', (c) => c.notNull().references('portal_subscriptions.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('record_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull().references('records.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull()) // stage | status
    .addColumn('from_value', 'text')
    .addColumn('to_value', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('notified_at', 'text')
    .execute()
  await db.schema.createIndex('record_changes_pending').on('record_changes').columns(['record_id', 'notified_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['record_changes', 'unsubscribe_tokens', 'portal_subscriptions']) await db.schema.dropTable(t).execute()
  await db.schema.alterTable('workspaces').dropColumn('email_footer').execute()
  await db.schema.alterTable('workspaces').dropColumn('reply_to').execute()
}
