// One error handler, one wire shape ({ error: { code, message, field? } }); no stack trace leaves the server.
import type { FastifyError, FastifyInstance } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import type { ErrorBody } from '../shared/contracts/errors.js'
import { AppError } from './errors.js'
import { DropboxAuthError, DropboxError } from './storage/dropbox-api.js'
import { toAppError } from './storage/dropbox-store.js'

type Issue = { instancePath: string; message?: string; keyword: string; params: Record<string, unknown> }

function describe(issue: Issue, part: string): { field: string; message: string } {
  if (issue.keyword === 'unrecognized_keys') {
    const keys = (issue.params.keys as string[] | undefined) ?? []
    const at = issue.instancePath.replace(/^\//, '').replaceAll('/', '.')
    const field = [at, keys[0]].filter(Boolean).join('.')
    return { field, message: `${field} is not a known field` }
  }
  const field = issue.instancePath.replace(/^\//, '').replaceAll('/', '.') || part
  const message = (issue.message ?? 'is invalid').replace(/^Invalid input: /, '')
  return { field, message: `${field} ${message}` }
}

/** Storage errors a person can act on become AppErrors; a refused Dropbox token says how to fix it. */
function fromStorage<T>(error: T): T | AppError {
  if (error instanceof DropboxAuthError) return new AppError('CONFLICT', 'The Dropbox connection is broken; an admin can reconnect it in Settings → Storage')
  if (error instanceof DropboxError) {
    const mapped = toAppError(error, 'folder')
    return mapped instanceof AppError ? mapped : error
  }
  return error
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((thrown: FastifyError | AppError, request, reply) => {
    const error = fromStorage(thrown)
    let status = 500
    let body: ErrorBody = { error: { code: 'INTERNAL', message: 'Something went wrong on our side. Please try again.' } }
    if (error instanceof AppError) {
      status = error.status
      body = { error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) } }
    } else if (hasZodFastifySchemaValidationErrors(error)) {
      status = 400
      const { field, message } = describe(error.validation[0] as Issue, error.validationContext ?? 'body')
      body = { error: { code: 'VALIDATION', message, field } }
    } else if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      status = 400
      body = { error: { code: 'VALIDATION', message: 'The request body is not valid JSON' } }
    } else if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || error.code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') {
      status = 415
      body = { error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'This content type is not accepted here' } }
    } else if (error.code === 'FST_REQ_FILE_TOO_LARGE') {
      status = 413
      body = { error: { code: 'PAYLOAD_TOO_LARGE', message: 'Files may be at most 50 MB' } }
    } else if (error.statusCode === 413) {
      status = 413
      body = { error: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large' } }
    } else if (error.statusCode === 429) {
      status = 429
      body = { error: { code: 'RATE_LIMITED', message: 'Too many requests. Please wait a minute and try again.' } }
    } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      status = error.statusCode
      body = { error: { code: status === 404 ? 'NOT_FOUND' : 'VALIDATION', message: error.message } }
    }
    if (status >= 500) request.log.error({ err: error }, 'request failed')
    return reply.status(status).type('application/json; charset=utf-8').send(body)
  })
  app.setNotFoundHandler((request, reply) => {
    void request
    reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'Not found' } })
  })
}
