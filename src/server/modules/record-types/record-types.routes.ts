import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { IdParams } from '../../../shared/contracts/common.js'
import { CreateField, CreateRecordType, CreateStage, RecordType, TypeChildParams, UpdateField, UpdateRecordType, UpdateStage } from '../../../shared/contracts/staff.js'
import type { Deps } from '../../deps.js'
import { staffOf } from '../../staff/plugin.js'
import * as types from './record-types.service.js'

export const recordTypeRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['record types']
  const one = { 200: RecordType }
  app.get('/record-types', { schema: { tags, response: { 200: z.array(RecordType) } } }, async (request) => types.listRecordTypes(deps.db, staffOf(request).workspaceId))
  app.post('/record-types', { schema: { tags, body: CreateRecordType, response: { 201: RecordType } } }, async (request, reply) =>
    reply.status(201).send(await types.createRecordType(deps, staffOf(request), request.body)),
  )
  app.patch('/record-types/:id', { schema: { tags, params: IdParams, body: UpdateRecordType, response: one } }, async (request) =>
    types.updateRecordType(deps, staffOf(request), request.params.id, request.body),
  )
  app.post('/record-types/:id/stages', { schema: { tags, params: IdParams, body: CreateStage, response: one } }, async (request) =>
    types.createStage(deps, staffOf(request), request.params.id, request.body),
  )
  app.patch('/record-types/:id/stages/:childId', { schema: { tags, params: TypeChildParams, body: UpdateStage, response: one } }, async (request) =>
    types.updateStage(deps, staffOf(request), request.params.id, request.params.childId, request.body),
  )
  app.delete('/record-types/:id/stages/:childId', { schema: { tags, params: TypeChildParams, response: one } }, async (request) =>
    types.deleteStage(deps, staffOf(request), request.params.id, request.params.childId),
  )
  app.post('/record-types/:id/fields', { schema: { tags, params: IdParams, body: CreateField, response: one } }, async (request) =>
    types.createField(deps, staffOf(request), request.params.id, request.body),
  )
  app.patch('/record-types/:id/fields/:childId', { schema: { tags, params: TypeChildParams, body: UpdateField, response: one } }, async (request) =>
    types.updateField(deps, staffOf(request), request.params.id, request.params.childId, request.body),
  )
  app.delete('/record-types/:id/fields/:childId', { schema: { tags, params: TypeChildParams, response: one } }, async (request) =>
    types.deleteField(deps, staffOf(request), request.params.id, request.params.childId),
  )
}
