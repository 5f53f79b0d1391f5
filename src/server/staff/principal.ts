import type { Role } from '../db/schema.js'
import { AppError } from '../errors.js'

/** Who is calling the staff API. Every staff service is given one and scopes by its workspace. */
export interface StaffPrincipal {
  kind: 'staff'
  userId: string
  workspaceId: string
  role: Role
  name: string
  email: string
}

export function requireAdmin(staff: StaffPrincipal): void {
  if (staff.role !== 'admin') throw new AppError('FORBIDDEN', 'Only workspace admins can change this')
}
