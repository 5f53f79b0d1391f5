// Queues a rendered email in the caller's transaction; the worker delivers it (job kind 'email.send').
import { randomUUID } from 'node:crypto'
import type { Executor } from '../jobs/outbox.js'
import { enqueueJob } from '../jobs/outbox.js'
import type { Db } from '../db/database.js'
import type { Mailer } from './mailer.js'
import { renderEmail, type Brand, type EmailContent } from './layout.js'

export interface QueuedEmail {
  workspaceId: string
  to: string
  from: string
  replyTo?: string | null
  headers?: Record<string, string>
  /** One key per notification and recipient: a second queue with it is a no-op. */
  idempotencyKey: string
  brand: Brand
  content: EmailContent
}

export async function queueEmail(db: Executor, now: Date, email: QueuedEmail): Promise<void> {
  const rendered = renderEmail(email.brand, email.content)
  const id = randomUUID()
  const inserted = await db
    .insertInto('emails')
    .values({
      id,
      workspace_id: email.workspaceId,
      idempotency_key: email.idempotencyKey,
      to_address: email.to,
      from_address: email.from,
      reply_to: email.replyTo ?? null,
      subject: rendered.subject,
      text_body: rendered.text,
      html_body: rendered.html,
      headers: JSON.stringify(email.headers ?? {}),
      status: 'queued',
      attempts: 0,
      last_error: null,
      message_id: null,
      created_at: now.toISOString(),
      sent_at: null,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning('id')
    .executeTakeFirst()
  if (inserted) await enqueueJob(db, now, { kind: 'email.send', payload: { emailId: id }, workspaceId: email.workspaceId, idempotencyKey: `email:${id}` })
}

/** The job handler: sends a queued email once; a retry after success is a no-op. */
export function emailSendHandler(db: Db, mailer: Mailer, clock: () => Date) {
  return async (payload: unknown, job: { attempts: number; max_attempts: number }): Promise<void> => {
    const { emailId } = payload as { emailId: string }
    const row = await db.selectFrom('emails').selectAll().where('id', '=', emailId).executeTakeFirst()
    if (!row || row.status === 'sent') return
    try {
      const { messageId } = await mailer.send({
        id: row.id,
        to: row.to_address,
        from: row.from_address,
        replyTo: row.reply_to,
        subject: row.subject,
        text: row.text_body,
        html: row.html_body,
        headers: JSON.parse(row.headers) as Record<string, string>,
      })
      // Once delivered over SMTP, the secrets in the body (magic-link, confirm and unsubscribe tokens)
      // are not kept: only their hashes remain. The local mailbox is the recipient's inbox on this
      // disk, so there the outbox keeps them, for a new user to open their own links.
      const redact = mailer.kind === 'smtp' ? { text_body: redactTokens(row.text_body), html_body: redactTokens(row.html_body), headers: redactTokens(row.headers) } : {}
      await db
        .updateTable('emails')
        .set({ status: 'sent', attempts: row.attempts + 1, sent_at: clock().toISOString(), message_id: messageId, last_error: null, ...redact })
        .where('id', '=', emailId)
        .execute()
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      const status = job.attempts >= job.max_attempts ? 'failed' : 'queued'
      // A slow attempt failing after another worker sent the email must not mark it unsent again.
      await db
        .updateTable('emails')
        .set({ status, attempts: row.attempts + 1, last_error: message.slice(0, 2000) })
        .where('id', '=', emailId)
        .where('status', '!=', 'sent')
        .execute()
      throw err
    }
  }
}

/** Replaces the token of every link that grants something (/portal/l, /portal/confirm, /portal/unsubscribe). */
export const redactTokens = (text: string): string => text.replace(/(\/portal\/(?:l|confirm|unsubscribe)\/)[A-Za-z0-9_-]{20,}/g, '$1[sent]')
