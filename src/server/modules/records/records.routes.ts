import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { IdParams } from '../../../shared/contracts/common.js'
import { CreateRecord, RecordDetail, RecordQuery, RecordSummary, UpdateRecord } from '../../../shared/contracts/staff.js'
import type { Deps } from '../../deps.js'
import { sendJsonText } from '../../http/serializer.js'
import { staffOf } from '../../staff/plugin.js'
import * as records from './records.service.js'

export const recordRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['records']
  app.get('/records', { schema: { tags, querystring: RecordQuery, response: { 200: z.array(RecordSummary) } } }, async (request, reply) =>
    sendJsonText(reply, await records.listRecordsJson(deps, staffOf(request), request.query)),
  )
  app.post('/records', { schema: { tags, body: CreateRecord, response: { 201: RecordDetail } } }, async (request, reply) =>
    reply.status(201).send(await records.createRecord(deps, staffOf(request), request.body)),
  )
  app.get('/records/:id', { schema: { tags, params: IdParams, response: { 200: RecordDetail } } }, async (request) =>
    records.getRecord(deps, staffOf(request), request.params.id),
  )
  app.patch('/records/:id', { schema: { tags, params: IdParams, body: UpdateRecord, response: { 200: RecordDetail } } }, async (request) =>
    records.updateRecord(deps, staffOf(request), request.params.id, request.body),
  )
}
