import type { ErrorCode } from '../shared/contracts/errors.js'

const STATUS: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  VALIDATION: 400,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message)
  }
  get status(): number {
    return STATUS[this.code]
  }
}

export const notFound = (what = 'Not found') => new AppError('NOT_FOUND', what)
export const invalid = (field: string, message: string) => new AppError('VALIDATION', message, field)
