// Request and response shapes of the staff API (/api/v1), shared by the server and the staff app.
import { z } from 'zod'
import { FieldKind, FieldValue, HexColor, Id, RecordStatus, Timestamp } from './common.js'

const Name = z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters')
const Email = z.string().trim().toLowerCase().pipe(z.email({ error: 'must be a valid email address' }))

// ── auth ──
export const SignIn = z.strictObject({ email: Email, password: z.string().min(1, 'is required') })
export const Me = z.object({
  user: z.object({ id: Id, name: z.string(), email: z.string(), role: z.enum(['admin', 'member']) }),
  workspace: z.object({ id: Id, name: z.string(), slug: z.string(), logoUrl: z.string().nullable(), brandColor: z.string() }),
})
export type Me = z.infer<typeof Me>

// ── workspace ──
export const Workspace = z.object({
  id: Id,
  name: z.string(),
  slug: z.string(),
  logoUrl: z.string().nullable(),
  brandColor: z.string(),
  postalAddress: z.string(),
  senderName: z.string(),
  replyTo: z.string().nullable(),
  emailFooter: z.string().nullable(),
})
export type Workspace = z.infer<typeof Workspace>
const LogoUrl = z
  .string()
  .max(400_000, 'must be at most 300 KB')
  .regex(/^(https:\/\/|data:image\/(png|jpeg|svg\+xml|webp);base64,)/, 'must be an https URL or an uploaded PNG, JPEG, SVG or WebP image')
export const UpdateWorkspace = z.strictObject({
  name: Name.optional(),
  logoUrl: LogoUrl.nullable().optional(),
  brandColor: HexColor.optional(),
  postalAddress: z.string().trim().min(1, 'is required').max(500).optional(),
  senderName: Name.optional(),
  replyTo: Email.nullable().optional(),
  emailFooter: z.string().trim().max(500, 'must be at most 500 characters').nullable().optional(),
})

export const EmailPreview = z.object({ kind: z.string(), label: z.string(), subject: z.string(), text: z.string(), html: z.string() })
export type EmailPreview = z.infer<typeof EmailPreview>

export const StaffUser = z.object({ id: Id, name: z.string(), email: z.string(), role: z.enum(['admin', 'member']) })
export type StaffUser = z.infer<typeof StaffUser>

// ── companies & contacts ──
export const Company = z.object({ id: Id, name: z.string(), domain: z.string().nullable(), contactCount: z.number(), recordCount: z.number(), updatedAt: Timestamp })
export type Company = z.infer<typeof Company>
export const CompanyQuery = z.strictObject({ q: z.string().max(200).optional() })
export const CreateCompany = z.strictObject({ name: Name, domain: z.string().trim().max(200).nullable().optional() })
export const UpdateCompany = CreateCompany.partial()

export const Contact = z.object({ id: Id, companyId: Id, companyName: z.string(), name: z.string(), email: z.string().nullable() })
export type Contact = z.infer<typeof Contact>
export const ContactQuery = z.strictObject({ q: z.string().max(200).optional(), companyId: Id.optional() })
export const CreateContact = z.strictObject({ companyId: Id, name: Name, email: Email.nullable().optional() })
export const UpdateContact = z.strictObject({ companyId: Id.optional(), name: Name.optional(), email: Email.nullable().optional() })

// ── record types ──
export const Stage = z.object({ id: Id, name: z.string(), color: z.string(), position: z.number() })
export type Stage = z.infer<typeof Stage>
export const Field = z.object({ id: Id, key: z.string(), label: z.string(), kind: FieldKind, options: z.array(z.string()), position: z.number() })
export type Field = z.infer<typeof Field>
export const RecordType = z.object({
  id: Id,
  key: z.string(),
  singular: z.string(),
  plural: z.string(),
  hasPipeline: z.boolean(),
  stages: z.array(Stage),
  fields: z.array(Field),
})
export type RecordType = z.infer<typeof RecordType>
const Key = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must start with a letter and use only a-z, 0-9 and _ (at most 40)')
export const CreateRecordType = z.strictObject({ key: Key, singular: Name, plural: Name, hasPipeline: z.boolean() })
export const UpdateRecordType = z.strictObject({ singular: Name.optional(), plural: Name.optional() })
export const CreateStage = z.strictObject({ name: Name, color: HexColor })
export const UpdateStage = z.strictObject({ name: Name.optional(), color: HexColor.optional(), position: z.number().int().min(0).optional() })
const Options = z.array(z.string().trim().min(1).max(100)).max(50)
export const CreateField = z.strictObject({ key: Key, label: Name, kind: FieldKind, options: Options.optional() })
export const UpdateField = z.strictObject({ label: Name.optional(), options: Options.optional(), position: z.number().int().min(0).optional() })
export const TypeChildParams = z.object({ id: Id, childId: Id })

// ── records ──
export const RecordSummary = z.object({
  id: Id,
  name: z.string(),
  typeId: Id,
  companyId: Id,
  companyName: z.string(),
  stageId: Id.nullable(),
  status: RecordStatus,
  ownerId: Id.nullable(),
  updatedAt: Timestamp,
})
export type RecordSummary = z.infer<typeof RecordSummary>
export const RecordQuery = z.strictObject({ companyId: Id.optional(), typeId: Id.optional() })
export const FileInfo = z.object({
  id: Id,
  name: z.string(),
  size: z.number(),
  contentType: z.string(),
  source: z.enum(['team', 'client']),
  uploadedBy: z.string(),
  createdAt: Timestamp,
})
export type FileInfo = z.infer<typeof FileInfo>
export const Comment = z.object({
  id: Id,
  body: z.string(),
  authorName: z.string(),
  side: z.enum(['team', 'client']),
  createdAt: Timestamp,
})
export type Comment = z.infer<typeof Comment>
export const RecordDetail = RecordSummary.extend({
  watcherIds: z.array(Id),
  values: z.record(z.string(), FieldValue),
  createdAt: Timestamp,
})
export type RecordDetail = z.infer<typeof RecordDetail>
export const Values = z.record(z.string(), FieldValue)
export const CreateRecord = z.strictObject({
  typeId: Id,
  companyId: Id,
  name: Name,
  stageId: Id.nullable().optional(),
  status: RecordStatus.optional(),
  ownerId: Id.nullable().optional(),
  watcherIds: z.array(Id).max(50).optional(),
  values: Values.optional(),
})
export const UpdateRecord = z.strictObject({
  name: Name.optional(),
  companyId: Id.optional(),
  stageId: Id.nullable().optional(),
  status: RecordStatus.optional(),
  ownerId: Id.nullable().optional(),
  watcherIds: z.array(Id).max(50).optional(),
  values: Values.optional(),
})
export const CreateComment = z.strictObject({
  body: z.string().trim().min(1, 'cannot be empty').max(10_000, 'must be at most 10,000 characters'),
})

export const CompanyDetail = z.object({
  company: Company,
  contacts: z.array(Contact),
  records: z.array(RecordSummary),
})
export type CompanyDetail = z.infer<typeof CompanyDetail>

// ── email outbox ──
export const EmailSummary = z.object({
  id: Id,
  to: z.string(),
  subject: z.string(),
  status: z.enum(['queued', 'sent', 'failed']),
  attempts: z.number(),
  lastError: z.string().nullable(),
  createdAt: Timestamp,
  sentAt: Timestamp.nullable(),
})
export type EmailSummary = z.infer<typeof EmailSummary>
export const EmailDetail = EmailSummary.extend({
  from: z.string(),
  replyTo: z.string().nullable(),
  text: z.string(),
  html: z.string(),
  links: z.array(z.string()),
})
export type EmailDetail = z.infer<typeof EmailDetail>
