import type { Updateable } from 'kysely'
import type { Db } from '../../db/database.js'
import type { WorkspaceRow } from '../../db/schema.js'

const COLUMNS = ['id', 'slug', 'name', 'logo_url', 'brand_color', 'postal_address', 'sender_name', 'reply_to', 'email_footer'] as const

export const findWorkspace = (db: Db, id: string) => db.selectFrom('workspaces').select(COLUMNS).where('id', '=', id).executeTakeFirst()

/** A patch that changes nothing is a no-op (`UPDATE … SET` with nothing to set is not SQL). */
export const updateWorkspace = async (db: Db, id: string, patch: Updateable<WorkspaceRow>) => {
  if (Object.keys(patch).length === 0) return
  await db.updateTable('workspaces').set(patch).where('id', '=', id).execute()
}
