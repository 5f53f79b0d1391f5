// Staff sessions live in the database (so any instance can serve them); only a hash of the id is stored.
import type { Db } from '../db/database.js'
import { prepared } from '../db/prepared.js'
import { hashToken, isTokenShaped, newToken } from '../security/tokens.js'
import type { StaffPrincipal } from './principal.js'

export const STAFF_COOKIE = 'coeffection_staff'
export const STAFF_SESSION_DAYS = 14

export async function createStaffSession(db: Db, now: Date, user: { id: string; workspace_id: string }): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken()
  const expiresAt = new Date(now.getTime() + STAFF_SESSION_DAYS * 86_400_000)
  await db
    .insertInto('staff_sessions')
    .values({ id_hash: hashToken(token), user_id: user.id, workspace_id: user.workspace_id, created_at: now.toISOString(), expires_at: expiresAt.toISOString() })
    .execute()
  return { token, expiresAt }
}

// Every staff request runs it: built once (prepared.ts).
const liveSession = prepared((db, idHash: string, now: string) =>
  db
    .selectFrom('staff_sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['u.id', 'u.workspace_id', 'u.role', 'u.name', 'u.email'])
    .where('s.id_hash', '=', idHash)
    .where('s.expires_at', '>', now),
)

/** Expiry is checked in the same query that finds the session. */
export async function findStaffSession(db: Db, now: Date, token: unknown): Promise<StaffPrincipal | undefined> {
  if (!isTokenShaped(token)) return undefined
  const [row] = await liveSession(db, hashToken(token), now.toISOString())
  return row && { kind: 'staff', userId: row.id, workspaceId: row.workspace_id, role: row.role, name: row.name, email: row.email }
}

export async function deleteStaffSession(db: Db, token: unknown): Promise<void> {
  if (isTokenShaped(token)) await db.deleteFrom('staff_sessions').where('id_hash', '=', hashToken(token)).execute()
}
