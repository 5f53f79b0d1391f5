// Staff-side shapes for configuring and sharing the Client Portal (/api/v1/portal/*, /api/v1/companies/:id/portal).
import { z } from 'zod'
import { FieldKind, Id, Timestamp } from './common.js'

export const PortalTypeSettings = z.object({
  typeId: Id,
  key: z.string(),
  singular: z.string(),
  plural: z.string(),
  hasPipeline: z.boolean(),
  shareable: z.boolean(),
  showStatus: z.boolean(),
  showFiles: z.boolean(),
  showComments: z.boolean(),
  allowUploads: z.boolean(),
  emailOnStaffReply: z.boolean(),
  fields: z.array(z.object({ id: Id, key: z.string(), label: z.string(), kind: FieldKind, visible: z.boolean() })),
})
export type PortalTypeSettings = z.infer<typeof PortalTypeSettings>

export const UpdatePortalTypeSettings = z.strictObject({
  shareable: z.boolean().optional(),
  showStatus: z.boolean().optional(),
  showFiles: z.boolean().optional(),
  showComments: z.boolean().optional(),
  allowUploads: z.boolean().optional(),
  emailOnStaffReply: z.boolean().optional(),
  visibleFieldIds: z.array(Id).max(200).optional(),
})
export type UpdatePortalTypeSettings = z.infer<typeof UpdatePortalTypeSettings>

export const LINK_EXPIRY_DAYS = [30, 60, 90] as const
export const ExpiresInDays = z.union([z.literal(30), z.literal(60), z.literal(90), z.null()], { error: 'must be 30, 60, 90 or null (never)' })

export const SharePortal = z.strictObject({
  contactId: Id,
  expiresInDays: ExpiresInDays,
  uploadsFolder: z.string().trim().max(500).nullable().optional(),
})
export const ResharePortal = z.strictObject({ expiresInDays: ExpiresInDays })

export const PortalAccess = z.object({
  grantId: Id,
  contactId: Id,
  contactName: z.string(),
  contactEmail: z.string(),
  sharedBy: z.string().nullable(),
  sentAt: Timestamp,
  expiresAt: Timestamp.nullable(),
  lastUsedAt: Timestamp.nullable(),
  openSessions: z.number(),
  uploadsFolder: z.string().nullable(),
})
export type PortalAccess = z.infer<typeof PortalAccess>

export const PortalActivity = z.object({
  id: Id,
  kind: z.string(),
  label: z.string(),
  detail: z.string().nullable(),
  contactId: z.string().nullable(),
  contactName: z.string().nullable(),
  actorName: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  at: Timestamp,
})
export type PortalActivity = z.infer<typeof PortalActivity>

export const PortalShareInfo = z.object({
  uploadsAvailable: z.boolean(),
  theyWillSee: z.array(z.object({ typeId: Id, plural: z.string(), fields: z.array(z.string()), recordCount: z.number() })),
  access: z.array(PortalAccess),
  activity: z.array(PortalActivity),
})
export type PortalShareInfo = z.infer<typeof PortalShareInfo>

export const StorageStatus = z.object({
  provider: z.enum(['local', 'dropbox']),
  dropboxAvailable: z.boolean(),
  dropbox: z
    .object({ accountName: z.string(), accountEmail: z.string(), status: z.enum(['connected', 'broken']), brokenReason: z.string().nullable(), connectedAt: Timestamp })
    .nullable(),
})
export type StorageStatus = z.infer<typeof StorageStatus>
export const FolderQuery = z.strictObject({ path: z.string().max(1000).optional() })
export const StorageFolder = z.object({ name: z.string(), path: z.string() })
export type StorageFolder = z.infer<typeof StorageFolder>
export const ConnectDropbox = z.object({ authorizeUrl: z.string() })
export const OAuthCallback = z.object({ code: z.string().max(2000).optional(), state: z.string().max(200).optional(), error: z.string().max(200).optional() })
