import { randomUUID } from 'node:crypto'
import type { z } from 'zod'
import type { Company, CreateCompany, UpdateCompany } from '../../../shared/contracts/staff.js'
import type { Deps } from '../../deps.js'
import { notFound } from '../../errors.js'
import type { StaffPrincipal } from '../../staff/principal.js'
import { companyRecordsJson } from '../records/records.service.js'
import { touchCompanies } from '../../db/versions.js'
import * as q from './companies.queries.js'

type Row = Awaited<ReturnType<typeof q.listCompanies>>[number]
const toCompany = (r: Row): Company => ({
  id: r.id,
  name: r.name,
  domain: r.domain,
  contactCount: Number(r.contact_count ?? 0),
  recordCount: Number(r.record_count ?? 0),
  updatedAt: r.updated_at,
})

export const listCompanies = async (deps: Deps, staff: StaffPrincipal, search?: string) =>
  (await q.listCompanies(deps.db, staff.workspaceId, search)).map(toCompany)

export async function getCompany(deps: Deps, staff: StaffPrincipal, id: string): Promise<Company> {
  const row = await q.findCompany(deps.db, staff.workspaceId, id)
  if (!row) throw notFound('Company not found')
  return toCompany(row)
}

/** CompanyDetail, with its contacts and records as JSON text written by the database. */
export async function getCompanyDetail(deps: Deps, staff: StaffPrincipal, id: string): Promise<{ company: Company; contactsJson: string; recordsJson: string }> {
  const row = await q.findCompanyPage(deps.db, staff.workspaceId, id)
  if (!row) throw notFound('Company not found')
  return { company: toCompany(row), contactsJson: row.contacts_json ?? '[]', recordsJson: await companyRecordsJson(deps, staff, row) }
}

/** True when the company exists in this workspace (for other modules' reference checks). */
export const companyExists = async (deps: Deps, workspaceId: string, id: string) => Boolean(await q.findCompany(deps.db, workspaceId, id))

export async function createCompany(deps: Deps, staff: StaffPrincipal, input: z.infer<typeof CreateCompany>): Promise<Company> {
  const now = deps.clock().toISOString()
  const id = randomUUID()
  await q.insertCompany(deps.db, { id, workspace_id: staff.workspaceId, name: input.name, domain: input.domain ?? null, created_at: now, updated_at: now })
  return getCompany(deps, staff, id)
}

export async function updateCompany(deps: Deps, staff: StaffPrincipal, id: string, input: z.infer<typeof UpdateCompany>): Promise<Company> {
  const result = await q.updateCompany(deps.db, staff.workspaceId, id, {
    ...(input.name !== undefined && { name: input.name }),
    ...(input.domain !== undefined && { domain: input.domain }),
    updated_at: deps.clock().toISOString(),
  })
  if (!Number(result.numUpdatedRows)) throw notFound('Company not found')
  await touchCompanies(deps.db, staff.workspaceId, [id])
  return getCompany(deps, staff, id)
}
