import { randomUUID } from 'node:crypto'
import type { z } from 'zod'
import type { Contact, CreateContact, UpdateContact } from '../../../shared/contracts/staff.js'
import type { Deps } from '../../deps.js'
import { AppError, notFound } from '../../errors.js'
import type { StaffPrincipal } from '../../staff/principal.js'
import { companyExists } from '../companies/companies.service.js'
import { endAccessForContact } from '../../portal/access/access.service.js'
import { touchWorkspace } from '../../db/versions.js'
import * as q from './contacts.queries.js'

type Row = Awaited<ReturnType<typeof q.listContacts>>[number]
const toContact = (r: Row): Contact => ({ id: r.id, companyId: r.company_id, companyName: r.company_name, name: r.name, email: r.email })

export const listContacts = async (deps: Deps, staff: StaffPrincipal, filter: { q?: string | undefined; companyId?: string | undefined }) =>
  (await q.listContacts(deps.db, staff.workspaceId, filter)).map(toContact)

export async function getContact(deps: Deps, staff: StaffPrincipal, id: string): Promise<Contact> {
  const row = await q.findContact(deps.db, staff.workspaceId, id)
  if (!row) throw notFound('Contact not found')
  return toContact(row)
}

async function assertCompany(deps: Deps, staff: StaffPrincipal, companyId: string) {
  if (!(await companyExists(deps, staff.workspaceId, companyId))) throw new AppError('VALIDATION', 'companyId does not name a company of this workspace', 'companyId')
}

export async function createContact(deps: Deps, staff: StaffPrincipal, input: z.infer<typeof CreateContact>): Promise<Contact> {
  await assertCompany(deps, staff, input.companyId)
  const id = randomUUID()
  await q.insertContact(deps.db, {
    id,
    workspace_id: staff.workspaceId,
    company_id: input.companyId,
    name: input.name,
    email: input.email ?? null,
    created_at: deps.clock().toISOString(),
  })
  return getContact(deps, staff, id)
}

export async function updateContact(deps: Deps, staff: StaffPrincipal, id: string, input: z.infer<typeof UpdateContact>): Promise<Contact> {
  const before = await getContact(deps, staff, id)
  if (input.companyId) await assertCompany(deps, staff, input.companyId)
  // Access follows the contact: a new address or a new company ends their portal access at once.
  const endsAccess = (input.email !== undefined && input.email !== before.email) || (input.companyId !== undefined && input.companyId !== before.companyId)
  await deps.db.transaction().execute(async (trx) => {
    await q.updateContact(trx, staff.workspaceId, id, {
      ...(input.companyId !== undefined && { company_id: input.companyId }),
      ...(input.name !== undefined && { name: input.name }),
      ...(input.email !== undefined && { email: input.email }),
    })
    if (endsAccess) await endAccessForContact(trx, deps.clock(), staff.workspaceId, id, staff.userId)
    await touchWorkspace(trx, staff.workspaceId) // contact names show on comments and files
  })
  return getContact(deps, staff, id)
}

export async function deleteContact(deps: Deps, staff: StaffPrincipal, id: string): Promise<void> {
  await getContact(deps, staff, id)
  await deps.db.transaction().execute(async (trx) => {
    await endAccessForContact(trx, deps.clock(), staff.workspaceId, id, staff.userId)
    await q.clearContactAuthorship(trx, id)
    await q.deleteContact(trx, staff.workspaceId, id)
    await touchWorkspace(trx, staff.workspaceId)
  })
}
