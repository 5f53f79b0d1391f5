// Portal settings, access (grants, links, sessions) and the portal activity log.
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('portal_type_settings')
    .addColumn('record_type_id', 'text', (c) => c.primaryKey().references('record_types.id').onDelete('cascade'))
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('shareable', 'integer', (c) => c.notNull())
    .addColumn('show_status', 'integer', (c) => c.notNull())
    .addColumn('show_files', 'integer', (c) => c.notNull())
    .addColumn('show_comments', 'integer', (c) => c.notNull())
    .addColumn('allow_uploads', 'integer', (c) => c.notNull())
    .addColumn('email_on_staff_reply', 'integer', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('portal_type_settings_ws').on('portal_type_settings').columns(['workspace_id']).execute()

  // Opt-in: a custom field is visible to clients only while a row exists here.
  await db.schema
    .createTable('portal_visible_fields')
    .addColumn('field_id', 'text', (c) => c.primaryKey().references('fields.id').onDelete('cascade'))
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('record_type_id', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('portal_visible_fields_ws').on('portal_visible_fields').columns(['workspace_id', 'record_type_id']).execute()

  await db.schema
    .createTable('portal_grants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('contact_email', 'text', (c) => c.notNull()) // the address it was shared to; access ends if it changes
    .addColumn('contact_company_id', 'text', (c) => c.notNull()) // where the contact worked when shared
    .addColumn('shared_by_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('uploads_folder', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute()
  await db.schema.createIndex('portal_grants_company').on('portal_grants').columns(['workspace_id', 'company_id']).execute()
  await db.schema.createIndex('portal_grants_contact').on('portal_grants').columns(['contact_id']).execute()

  await db.schema
    .createTable('portal_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('grant_id', 'text', (c) => c.notNull().references('portal_grants.id').onDelete('cascade'))
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('expires_at', 'text') // null: never
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_by_user_id', 'text')
    .addColumn('superseded_at', 'text')
    .addColumn('last_used_at', 'text')
    .addColumn('reminder_sent_at', 'text')
    .execute()
  await db.schema.createIndex('portal_links_grant').on('portal_links').columns(['grant_id']).execute()
  await db.schema.createIndex('portal_links_ws_created').on('portal_links').columns(['workspace_id', 'created_at']).execute()

  await db.schema
    .createTable('portal_sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('grant_id', 'text', (c) => c.notNull().references('portal_grants.id').onDelete('cascade'))
    .addColumn('link_id', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull()) // absolute limit, never past the link's expiry
    .execute()
  await db.schema.createIndex('portal_sessions_grant').on('portal_sessions').columns(['grant_id']).execute()

  await db.schema
    .createTable('portal_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('company_id', 'text', (c) => c.notNull())
    .addColumn('grant_id', 'text')
    .addColumn('contact_id', 'text')
    .addColumn('user_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('portal_events_company').on('portal_events').columns(['workspace_id', 'company_id', 'created_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['portal_events', 'portal_sessions', 'portal_links', 'portal_grants', 'portal_visible_fields', 'portal_type_settings']) await db.schema.dropTable(t).execute()
}
