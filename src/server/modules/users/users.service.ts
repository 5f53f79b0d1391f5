import type { Deps } from '../../deps.js'
import { AppError } from '../../errors.js'
import { hashPassword, verifyPassword } from '../../security/tokens.js'
import type { StaffPrincipal } from '../../staff/principal.js'
import { createStaffSession } from '../../staff/sessions.js'
import * as q from './users.queries.js'

// A real hash to compare against when the email is unknown, so both paths take the same time.
const dummyHash = hashPassword('not-a-real-password')

export async function signIn(deps: Deps, input: { email: string; password: string }) {
  const user = await q.findUserByEmail(deps.db, input.email)
  const ok = await verifyPassword(input.password, user?.password_hash ?? (await dummyHash))
  if (!user || !ok) throw new AppError('UNAUTHENTICATED', 'That email and password do not match')
  return createStaffSession(deps.db, deps.clock(), user)
}

export const listStaff = (deps: Deps, staff: StaffPrincipal) => q.listUsers(deps.db, staff.workspaceId)

/** Throws VALIDATION unless every id is a staff user of this workspace. */
export async function assertStaffIds(deps: Deps, workspaceId: string, ids: string[], field: string): Promise<void> {
  const unique = [...new Set(ids)]
  if ((await q.countUsersIn(deps.db, workspaceId, unique)) !== unique.length) {
    throw new AppError('VALIDATION', `${field} must name staff users of this workspace`, field)
  }
}
