// Bumps of the portal view versions (see migration 005). Call them in the transaction of the change:
// the company's for its records, values, files and comments; the workspace's for settings, record
// types, branding and names that show on every company's portal.
import { sql } from 'kysely'
import type { Executor } from '../jobs/outbox.js'

export async function touchCompanies(db: Executor, workspaceId: string, companyIds: (string | null | undefined)[]): Promise<void> {
  const ids = [...new Set(companyIds.filter((id): id is string => Boolean(id)))]
  if (ids.length) await db.updateTable('companies').set({ portal_version: sql`portal_version + 1` }).where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute()
}

export async function touchWorkspace(db: Executor, workspaceId: string): Promise<void> {
  await db.updateTable('workspaces').set({ portal_version: sql`portal_version + 1` }).where('id', '=', workspaceId).execute()
}
