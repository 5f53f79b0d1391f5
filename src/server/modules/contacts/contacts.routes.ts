import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { IdParams, Ok } from '../../../shared/contracts/common.js'
import { Contact, ContactQuery, CreateContact, UpdateContact } from '../../../shared/contracts/staff.js'
import type { Deps } from '../../deps.js'
import { staffOf } from '../../staff/plugin.js'
import * as contacts from './contacts.service.js'

export const contactRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['contacts']
  app.get('/contacts', { schema: { tags, querystring: ContactQuery, response: { 200: z.array(Contact) } } }, async (request) =>
    contacts.listContacts(deps, staffOf(request), request.query),
  )
  app.post('/contacts', { schema: { tags, body: CreateContact, response: { 201: Contact } } }, async (request, reply) =>
    reply.status(201).send(await contacts.createContact(deps, staffOf(request), request.body)),
  )
  app.get('/contacts/:id', { schema: { tags, params: IdParams, response: { 200: Contact } } }, async (request) =>
    contacts.getContact(deps, staffOf(request), request.params.id),
  )
  app.patch('/contacts/:id', { schema: { tags, params: IdParams, body: UpdateContact, response: { 200: Contact } } }, async (request) =>
    contacts.updateContact(deps, staffOf(request), request.params.id, request.body),
  )
  app.delete('/contacts/:id', { schema: { tags, params: IdParams, response: { 200: Ok } } }, async (request) => {
    await contacts.deleteContact(deps, staffOf(request), request.params.id)
    return { ok: true as const }
  })
}
