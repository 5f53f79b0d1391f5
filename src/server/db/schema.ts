import type { Generated } from 'kysely'

// Row types of every table, gathered into `Database` for Kysely. Timestamps are ISO-8601 text.
export type Role = 'admin' | 'member'
export type FieldKind = 'text' | 'long_text' | 'number' | 'currency' | 'date' | 'select' | 'url' | 'checkbox' | 'user'
export type RecordStatus = 'on_track' | 'at_risk' | 'off_track' | 'done'
export type JobStatus = 'pending' | 'running' | 'done' | 'failed'

export interface WorkspaceRow {
  id: string
  slug: string
  name: string
  logo_url: string | null
  brand_color: string
  postal_address: string
  sender_name: string
  reply_to: string | null
  email_footer: string | null
  portal_version: Generated<number>
  created_at: string
}
export interface UserRow {
  id: string
  workspace_id: string
  email: string
  name: string
  role: Role
  password_hash: string
  created_at: string
}
export interface StaffSessionRow {
  id_hash: string
  user_id: string
  workspace_id: string
  created_at: string
  expires_at: string
}
export interface CompanyRow {
  id: string
  workspace_id: string
  name: string
  domain: string | null
  portal_version: Generated<number>
  created_at: string
  updated_at: string
}
export interface ContactRow {
  id: string
  workspace_id: string
  company_id: string
  name: string
  email: string | null
  created_at: string
}
export interface RecordTypeRow {
  id: string
  workspace_id: string
  key: string
  singular: string
  plural: string
  has_pipeline: number
  position: number
}
export interface StageRow {
  id: string
  workspace_id: string
  record_type_id: string
  name: string
  color: string
  position: number
}
export interface FieldRow {
  id: string
  workspace_id: string
  record_type_id: string
  key: string
  label: string
  kind: FieldKind
  options: string | null
  position: number
}
export interface RecordRow {
  id: string
  workspace_id: string
  record_type_id: string
  company_id: string
  name: string
  owner_id: string | null
  stage_id: string | null
  status: RecordStatus
  created_at: string
  updated_at: string
}
export interface RecordValueRow {
  record_id: string
  field_id: string
  workspace_id: string
  value: string
}
export interface RecordWatcherRow {
  record_id: string
  user_id: string
  workspace_id: string
}
export interface FileRow {
  id: string
  workspace_id: string
  record_id: string
  name: string
  size: number
  content_type: string
  storage_provider: string
  storage_key: string
  source: 'team' | 'client'
  uploaded_by_user_id: string | null
  uploaded_by_contact_id: string | null
  created_at: string
}
export interface CommentRow {
  id: string
  workspace_id: string
  record_id: string
  author_user_id: string | null
  author_contact_id: string | null
  body: string
  created_at: string
}
export interface JobRow {
  id: string
  workspace_id: string | null
  kind: string
  payload: string
  idempotency_key: string | null
  status: JobStatus
  attempts: number
  max_attempts: number
  run_at: string
  locked_until: string | null
  locked_by: string | null
  last_error: string | null
  created_at: string
  updated_at: string
}
export interface EmailRow {
  id: string
  workspace_id: string
  idempotency_key: string
  to_address: string
  from_address: string
  reply_to: string | null
  subject: string
  text_body: string
  html_body: string
  headers: string
  status: 'queued' | 'sent' | 'failed'
  attempts: number
  last_error: string | null
  message_id: string | null
  created_at: string
  sent_at: string | null
}

export interface PortalTypeSettingsRow {
  record_type_id: string
  workspace_id: string
  shareable: number
  show_status: number
  show_files: number
  show_comments: number
  allow_uploads: number
  email_on_staff_reply: number
}
export interface PortalVisibleFieldRow {
  field_id: string
  workspace_id: string
  record_type_id: string
}
export interface PortalGrantRow {
  id: string
  workspace_id: string
  company_id: string
  contact_id: string
  contact_email: string
  contact_company_id: string
  shared_by_user_id: string | null
  uploads_folder: string | null
  created_at: string
  revoked_at: string | null
}
export interface PortalLinkRow {
  id: string
  grant_id: string
  workspace_id: string
  token_hash: string
  expires_at: string | null
  created_at: string
  sent_by_user_id: string | null
  superseded_at: string | null
  last_used_at: string | null
  reminder_sent_at: string | null
}
export interface PortalSessionRow {
  id_hash: string
  grant_id: string
  link_id: string
  workspace_id: string
  created_at: string
  last_seen_at: string
  expires_at: string
}
export interface PortalEventRow {
  id: string
  workspace_id: string
  company_id: string
  grant_id: string | null
  contact_id: string | null
  user_id: string | null
  kind: string
  detail: string | null
  ip: string | null
  user_agent: string | null
  created_at: string
}

export interface PortalSubscriptionRow {
  id: string
  workspace_id: string
  company_id: string
  contact_id: string
  email: string
  status: 'pending' | 'confirmed' | 'unsubscribed'
  status_changes: number
  comment_replies: number
  confirm_token_hash: string | null
  confirm_expires_at: string | null
  opted_in_at: string | null
  opted_in_ip: string | null
  opted_in_ua: string | null
  confirmed_at: string | null
  confirmed_ip: string | null
  confirmed_ua: string | null
  unsubscribed_at: string | null
  updated_at: string
}
export interface UnsubscribeTokenRow {
  token_hash: string
  subscription_id: string
  created_at: string
}
export interface RecordChangeRow {
  id: string
  workspace_id: string
  record_id: string
  kind: 'stage' | 'status'
  from_value: string | null
  to_value: string | null
  created_at: string
  notified_at: string | null
}

export interface StorageConnectionRow {
  workspace_id: string
  provider: 'dropbox'
  account_id: string
  account_name: string
  account_email: string
  access_token_enc: string
  refresh_token_enc: string
  access_expires_at: string
  status: 'connected' | 'broken'
  broken_reason: string | null
  connected_by_user_id: string | null
  connected_at: string
  updated_at: string
}
export interface OAuthStateRow {
  state_hash: string
  workspace_id: string
  user_id: string
  verifier_enc: string
  expires_at: string
}

export interface Database {
  workspaces: WorkspaceRow
  users: UserRow
  staff_sessions: StaffSessionRow
  companies: CompanyRow
  contacts: ContactRow
  record_types: RecordTypeRow
  stages: StageRow
  fields: FieldRow
  records: RecordRow
  record_values: RecordValueRow
  record_watchers: RecordWatcherRow
  files: FileRow
  comments: CommentRow
  jobs: JobRow
  emails: EmailRow
  portal_type_settings: PortalTypeSettingsRow
  portal_visible_fields: PortalVisibleFieldRow
  portal_grants: PortalGrantRow
  portal_links: PortalLinkRow
  portal_sessions: PortalSessionRow
  portal_events: PortalEventRow
  portal_subscriptions: PortalSubscriptionRow
  unsubscribe_tokens: UnsubscribeTokenRow
  record_changes: RecordChangeRow
  storage_connections: StorageConnectionRow
  oauth_states: OAuthStateRow
}
