import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { IdParams } from '../../../shared/contracts/common.js'
import { Company, CompanyDetail, CompanyQuery, CreateCompany, UpdateCompany } from '../../../shared/contracts/staff.js'
import type { Deps } from '../../deps.js'
import { sendJsonText, writerFor } from '../../http/serializer.js'
import { staffOf } from '../../staff/plugin.js'
import * as companies from './companies.service.js'

export const companyRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['companies']
  const writeCompany = writerFor(Company)
  app.get('/companies', { schema: { tags, querystring: CompanyQuery, response: { 200: z.array(Company) } } }, async (request) =>
    companies.listCompanies(deps, staffOf(request), request.query.q),
  )
  app.post('/companies', { schema: { tags, body: CreateCompany, response: { 201: Company } } }, async (request, reply) =>
    reply.status(201).send(await companies.createCompany(deps, staffOf(request), request.body)),
  )
  app.get('/companies/:id', { schema: { tags, params: IdParams, response: { 200: CompanyDetail } } }, async (request, reply) => {
    const { company, contactsJson, recordsJson } = await companies.getCompanyDetail(deps, staffOf(request), request.params.id)
    return sendJsonText(reply, `{"company":${writeCompany(company)},"contacts":${contactsJson},"records":${recordsJson}}`)
  })
  app.patch('/companies/:id', { schema: { tags, params: IdParams, body: UpdateCompany, response: { 200: Company } } }, async (request) =>
    companies.updateCompany(deps, staffOf(request), request.params.id, request.body),
  )
}
