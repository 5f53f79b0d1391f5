// What a client can ever receive from /api/portal/*. This file IS the allow-list of the portal:
// no passthrough, no z.any(); a key absent here never reaches a client's browser.
import { z } from 'zod'

export const PortalMe = z.object({
  workspace: z.object({ name: z.string(), logoUrl: z.string().nullable(), brandColor: z.string() }),
  company: z.object({ name: z.string() }),
  contact: z.object({ name: z.string(), email: z.string() }),
  preview: z.boolean(),
})
export type PortalMe = z.infer<typeof PortalMe>

const Id = z.string()
const Status = z.enum(['on_track', 'at_risk', 'off_track', 'done'])

/** A visible field, already formatted by kind on the server (so the client needs no staff data). */
export const PortalFieldValue = z.object({
  key: z.string(),
  label: z.string(),
  kind: z.enum(['text', 'long_text', 'number', 'currency', 'date', 'select', 'url', 'checkbox', 'user']),
  display: z.string(),
  href: z.string().optional(), // only for url fields: an http(s) link
})
export type PortalFieldValue = z.infer<typeof PortalFieldValue>

export const PortalRecordCard = z.object({
  id: Id,
  name: z.string(),
  stageId: Id.nullable(),
  status: Status.optional(), // absent unless the type shows status
  fileCount: z.number().optional(), // absent unless the type shows files
  summary: z.array(PortalFieldValue),
})
export type PortalRecordCard = z.infer<typeof PortalRecordCard>

export const PortalStage = z.object({
  id: Id,
  name: z.string(),
  color: z.string(),
  count: z.number(),
  statusRollup: z.array(z.object({ status: Status, count: z.number() })).optional(),
  fileCount: z.number().optional(),
})
export type PortalStage = z.infer<typeof PortalStage>

export const PortalTypeSection = z.object({
  key: z.string(),
  singular: z.string(),
  plural: z.string(),
  hasPipeline: z.boolean(),
  stages: z.array(PortalStage),
  records: z.array(PortalRecordCard),
})
export type PortalTypeSection = z.infer<typeof PortalTypeSection>

export const PortalHome = z.object({ types: z.array(PortalTypeSection) })
export type PortalHome = z.infer<typeof PortalHome>

export const PortalFile = z.object({
  id: Id,
  name: z.string(),
  size: z.number(),
  createdAt: z.string(),
  source: z.enum(['team', 'client']),
  uploadedBy: z.string(),
})
export type PortalFile = z.infer<typeof PortalFile>

export const PortalComment = z.object({
  id: Id,
  body: z.string(),
  authorName: z.string(),
  side: z.enum(['team', 'client']),
  createdAt: z.string(),
})
export type PortalComment = z.infer<typeof PortalComment>

export const PortalRecordDetail = z.object({
  id: Id,
  name: z.string(),
  type: z.object({ key: z.string(), singular: z.string(), plural: z.string() }),
  stage: z.object({ name: z.string(), color: z.string() }).nullable(),
  status: Status.optional(),
  fields: z.array(PortalFieldValue),
  files: z.array(PortalFile).optional(), // absent when the type hides files
  comments: z.array(PortalComment).optional(), // absent when the type hides comments
  canUpload: z.boolean(),
  canComment: z.boolean(),
})
export type PortalRecordDetail = z.infer<typeof PortalRecordDetail>

export const PostPortalComment = z.strictObject({
  body: z.string().trim().min(1, 'cannot be empty').max(10_000, 'must be at most 10,000 characters'),
})

export const PortalPreferences = z.object({
  status: z.enum(['none', 'pending', 'confirmed', 'unsubscribed']),
  statusChanges: z.boolean(),
  commentReplies: z.boolean(),
})
export type PortalPreferences = z.infer<typeof PortalPreferences>
export const UpdatePortalPreferences = z.strictObject({ statusChanges: z.boolean(), commentReplies: z.boolean() })
