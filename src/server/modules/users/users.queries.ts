import type { Db } from '../../db/database.js'

export const findUserByEmail = (db: Db, email: string) =>
  db.selectFrom('users').select(['id', 'workspace_id', 'name', 'email', 'role', 'password_hash']).where('email', '=', email).executeTakeFirst()

export const listUsers = (db: Db, workspaceId: string) =>
  db.selectFrom('users').select(['id', 'name', 'email', 'role']).where('workspace_id', '=', workspaceId).orderBy('name').execute()

export const countUsersIn = async (db: Db, workspaceId: string, ids: string[]): Promise<number> => {
  if (ids.length === 0) return 0
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
