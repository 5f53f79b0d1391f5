import { z } from 'zod'

export const ErrorCode = z.enum([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'VALIDATION',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
  'INTERNAL',
])
export type ErrorCode = z.infer<typeof ErrorCode>

/** The one wire shape of every error. `field` names the input at fault, when there is one. */
export const ErrorBody = z.object({
  error: z.object({ code: ErrorCode, message: z.string(), field: z.string().optional() }),
})
export type ErrorBody = z.infer<typeof ErrorBody>
