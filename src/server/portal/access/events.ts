// The portal activity log: who shared, re-shared, revoked, opened, signed out, downloaded, uploaded — with time, IP, UA.
import { randomUUID } from 'node:crypto'
import type { Executor } from '../../jobs/outbox.js'

export type PortalEventKind = 'shared' | 'reshared' | 'revoked' | 'access_ended' | 'link_opened' | 'signed_out' | 'downloaded' | 'uploaded' | 'commented'

export const EVENT_LABELS: Record<PortalEventKind, string> = {
  shared: 'Portal shared',
  reshared: 'Link re-shared',
  revoked: 'Access revoked',
  access_ended: 'Access ended (contact changed)',
  link_opened: 'Link opened',
  signed_out: 'Signed out',
  downloaded: 'File downloaded',
  uploaded: 'File uploaded',
  commented: 'Comment posted',
}

export interface RequestMeta {
  ip: string | null
  userAgent: string | null
}

export async function recordEvent(
  db: Executor,
  now: Date,
  e: { workspaceId: string; companyId: string; kind: PortalEventKind; grantId?: string | null; contactId?: string | null; userId?: string | null; detail?: string | null; meta?: RequestMeta },
) {
  await db
    .insertInto('portal_events')
    .values({
      id: randomUUID(),
      workspace_id: e.workspaceId,
      company_id: e.companyId,
      grant_id: e.grantId ?? null,
      contact_id: e.contactId ?? null,
      user_id: e.userId ?? null,
      kind: e.kind,
      detail: e.detail ?? null,
      ip: e.meta?.ip ?? null,
      user_agent: e.meta?.userAgent?.slice(0, 300) ?? null,
      created_at: now.toISOString(),
    })
    .execute()
}

export const listEvents = (db: Executor, workspaceId: string, companyId: string) =>
  db
    .selectFrom('portal_events as e')
    .leftJoin('contacts as c', 'c.id', 'e.contact_id')
    .leftJoin('users as u', 'u.id', 'e.user_id')
    .select(['e.id', 'e.kind', 'e.detail', 'e.contact_id', 'e.ip', 'e.user_agent', 'e.created_at', 'c.name as contact_name', 'u.name as actor_name'])
    .where('e.workspace_id', '=', workspaceId)
    .where('e.company_id', '=', companyId)
    .orderBy('e.created_at', 'desc')
    .limit(100)
    .execute()
