import { z } from 'zod'
import { FIELD_KINDS, RECORD_STATUSES } from './labels.js'

export const Id = z.uuid({ error: 'must be a valid id' })
export const IdParams = z.object({ id: Id })
export const Timestamp = z.string()
export const Ok = z.object({ ok: z.literal(true) })

export { FIELD_KINDS, RECORD_STATUSES, STATUS_LABELS } from './labels.js'
export const FieldKind = z.enum(FIELD_KINDS)
export type FieldKind = z.infer<typeof FieldKind>

export const RecordStatus = z.enum(RECORD_STATUSES)
export type RecordStatus = z.infer<typeof RecordStatus>

export const HexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1a73e8')

/** A field value as it travels: text kinds are strings, number/currency numbers (currency in cents), checkbox boolean, user an id. */
export const FieldValue = z.union([z.string(), z.number(), z.boolean(), z.null()])
export type FieldValue = z.infer<typeof FieldValue>
