// A client's own notification emails: double opt-in, preferences, one-click unsubscribe (RFC 8058).
// Confirmation and unsubscribe tokens are random, sent once, stored as SHA-256; an unsubscribe token
// never expires and only ever changes preferences — it never signs anyone in.
import { randomUUID } from 'node:crypto'
import type { Deps } from '../../deps.js'
import type { Executor } from '../../jobs/outbox.js'
import { queueEmail } from '../../email/outbox.js'
import { confirmSubscriptionEmail } from '../../email/messages/notifications.js'
import { hashToken, isTokenShaped, newToken } from '../../security/tokens.js'
import { customerSender, findWorkspaceById } from '../../modules/workspace/workspace.service.js'
import type { ClientPrincipal } from '../access/access.service.js'
import type { RequestMeta } from '../access/events.js'
import * as q from './subscriptions.queries.js'

const CONFIRM_DAYS = 7

export interface Preferences {
  status: 'none' | 'pending' | 'confirmed' | 'unsubscribed'
  statusChanges: boolean
  commentReplies: boolean
}

const toPreferences = (row: { status: Preferences['status']; status_changes: number; comment_replies: number } | undefined): Preferences =>
  row ? { status: row.status, statusChanges: Boolean(row.status_changes), commentReplies: Boolean(row.comment_replies) } : { status: 'none', statusChanges: true, commentReplies: true }

export async function getPreferences(deps: Deps, p: ClientPrincipal): Promise<Preferences> {
  return toPreferences(await q.findForContact(deps.db, p.workspaceId, p.companyId, p.contactId))
}

const topicsOf = (t: { statusChanges: boolean; commentReplies: boolean }) => [
  ...(t.statusChanges ? ['project status changes'] : []),
  ...(t.commentReplies ? ['replies to comments'] : []),
]

/** Opt in (a confirmation email follows), change topics, or — with no topic — turn emails off. */
export async function setPreferences(deps: Deps, p: ClientPrincipal, topics: { statusChanges: boolean; commentReplies: boolean }, meta: RequestMeta): Promise<Preferences> {
  const now = deps.clock()
  const at = now.toISOString()
  const existing = await q.findForContact(deps.db, p.workspaceId, p.companyId, p.contactId)
  const flags = { status_changes: topics.statusChanges ? 1 : 0, comment_replies: topics.commentReplies ? 1 : 0, updated_at: at }
  if (!topics.statusChanges && !topics.commentReplies) {
    if (existing) await q.updateSubscription(deps.db, existing.id, { ...flags, status: 'unsubscribed', unsubscribed_at: at, confirm_token_hash: null })
    return getPreferences(deps, p)
  }
  if (existing?.status === 'confirmed' && existing.email === p.contactEmail) {
    await q.updateSubscription(deps.db, existing.id, flags)
    return getPreferences(deps, p)
  }
  // New, pending, unsubscribed or a changed address: (re)start double opt-in.
  const ws = await findWorkspaceById(deps, p.workspaceId)
  const company = await deps.db.selectFrom('companies').select('name').where('id', '=', p.companyId).executeTakeFirstOrThrow()
  const token = newToken()
  const id = existing?.id ?? randomUUID()
  const pending = {
    ...flags,
    email: p.contactEmail,
    status: 'pending' as const,
    confirm_token_hash: hashToken(token),
    confirm_expires_at: new Date(now.getTime() + CONFIRM_DAYS * 86_400_000).toISOString(),
    opted_in_at: at,
    opted_in_ip: meta.ip,
    opted_in_ua: meta.userAgent,
    confirmed_at: null,
    confirmed_ip: null,
    confirmed_ua: null,
  }
  const sender = customerSender(ws, deps.config.mailFrom)
  await deps.db.transaction().execute(async (trx) => {
    if (existing) await q.updateSubscription(trx, id, pending)
    else await q.insertSubscription(trx, { id, workspace_id: p.workspaceId, company_id: p.companyId, contact_id: p.contactId, unsubscribed_at: null, ...pending })
    await queueEmail(trx, now, {
      workspaceId: p.workspaceId,
      to: p.contactEmail,
      ...sender,
      idempotencyKey: `subscription-confirm:${id}:${pending.confirm_token_hash}`,
      content: confirmSubscriptionEmail({ companyName: company.name, workspaceName: ws.name, topics: topicsOf(topics), url: `${deps.config.baseUrl}/portal/confirm/${token}` }),
    })
  })
  return getPreferences(deps, p)
}

/** The confirmation page's POST. A GET of the link alone confirms nothing. Returns the subscription's workspace, or undefined for a bad token. */
export async function confirmSubscription(deps: Deps, token: unknown, meta: RequestMeta): Promise<string | undefined> {
  if (!isTokenShaped(token)) return undefined
  const now = deps.clock().toISOString()
  const row = await q.findByConfirmToken(deps.db, hashToken(token), now)
  if (!row) return undefined
  await q.updateSubscription(deps.db, row.id, { status: 'confirmed', confirmed_at: now, confirmed_ip: meta.ip, confirmed_ua: meta.userAgent, confirm_token_hash: null, updated_at: now })
  return row.workspace_id
}

/** The workspace of a pending subscription whose confirmation token is still usable (its page carries that brand). */
export async function confirmTokenWorkspace(deps: Deps, token: unknown): Promise<string | undefined> {
  if (!isTokenShaped(token)) return undefined
  return (await q.findByConfirmToken(deps.db, hashToken(token), deps.clock().toISOString()))?.workspace_id
}

/** A fresh unsubscribe URL for one email to one subscriber, created in the sending transaction. */
export async function unsubscribeUrl(deps: Deps, trx: Executor, subscriptionId: string): Promise<string> {
  const token = newToken()
  await q.insertUnsubscribeToken(trx, { token_hash: hashToken(token), subscription_id: subscriptionId, created_at: deps.clock().toISOString() })
  return `${deps.config.baseUrl}/portal/unsubscribe/${token}`
}

export async function findByUnsubscribeToken(deps: Deps, token: unknown) {
  if (!isTokenShaped(token)) return undefined
  return q.findByUnsubscribeToken(deps.db, hashToken(token))
}

/** Unsubscribe (idempotent) or re-subscribe with one click. Returns the new state, or undefined for a bad token. */
export async function changeByUnsubscribeToken(deps: Deps, token: unknown, action: 'unsubscribe' | 'resubscribe'): Promise<Preferences | undefined> {
  const row = await findByUnsubscribeToken(deps, token)
  if (!row) return undefined
  const at = deps.clock().toISOString()
  if (action === 'unsubscribe') {
    // Idempotent: a repeated opt-out changes nothing and keeps the time of the first one.
    if (row.status !== 'unsubscribed') await q.updateSubscription(deps.db, row.id, { status: 'unsubscribed', unsubscribed_at: at, updated_at: at })
  } else if (row.status === 'unsubscribed' && row.confirmed_at) {
    // They confirmed this address before (the token reached them by email), so re-subscribing needs no new opt-in.
    // A pending opt-in (a new or changed address) is confirmed only by its own confirmation link.
    await q.updateSubscription(deps.db, row.id, { status: 'confirmed', unsubscribed_at: null, updated_at: at, ...(row.status_changes || row.comment_replies ? {} : { status_changes: 1, comment_replies: 1 }) })
  }
  return toPreferences(await q.findByUnsubscribeToken(deps.db, hashToken(token as string)))
}

export const confirmedSubscribers = (deps: Deps, workspaceId: string, companyId: string, topic: 'status_changes' | 'comment_replies') =>
  q.confirmedSubscribers(deps.db, workspaceId, companyId, topic)
