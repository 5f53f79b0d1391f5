// Version stamps for the portal's response cache: bumped in the same transaction as every change a
// client could see, read in the same query that validates the portal session.
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('workspaces').addColumn('portal_version', 'integer', (c) => c.notNull().defaultTo(0)).execute()
  await db.schema.alterTable('companies').addColumn('portal_version', 'integer', (c) => c.notNull().defaultTo(0)).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('companies').dropColumn('portal_version').execute()
  await db.schema.alterTable('workspaces').dropColumn('portal_version').execute()
}
