import type { Updateable } from 'kysely'
import type { Db } from '../../db/database.js'
import type { WorkspaceRow } from '../../db/schema.js'

const COLUMNS = ['id', 'slug', 'name', 'logo_url', 'brand_color', 'postal_address', 'sender_name'] as const

export const findWorkspace = (db: Db, id: string) => db.selectFrom('workspaces').select(COLUMNS).where('id', '=', id).executeTakeFirst()

export const updateWorkspace = (db: Db, id: string, patch: Updateable<WorkspaceRow>) =>
  db.updateTable('workspaces').set(patch).where('id', '=', id).execute()
