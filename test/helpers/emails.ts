// Queues an email the way a notification does: branded from the workspace row, one idempotency key.
import { randomUUID } from 'node:crypto'
import type { EmailRow } from '../../src/server/db/schema.js'
import type { Deps } from '../../src/server/deps.js'
import type { Brand, EmailContent } from '../../src/server/email/layout.js'
import { queueEmail, type QueuedEmail } from '../../src/server/email/outbox.js'
import type { Executor } from '../../src/server/jobs/outbox.js'

export const ACTION_URL = 'http://localhost:3000/portal/records/42'

export const sampleContent = (over: Partial<EmailContent> = {}): EmailContent => ({
  subject: 'New comment on Website redesign',
  paragraphs: ['Ada commented on Website redesign.', 'Open the portal to reply.'],
  action: { label: 'Open in portal', url: ACTION_URL },
  reason: 'You receive this because you watch Website redesign.',
  ...over,
})

export async function brandOfWorkspace(db: Executor, workspaceId: string): Promise<Brand & { senderName: string }> {
  const w = await db.selectFrom('workspaces').selectAll().where('id', '=', workspaceId).executeTakeFirstOrThrow()
  return { name: w.name, logoUrl: w.logo_url, brandColor: w.brand_color, postalAddress: w.postal_address, senderName: w.sender_name }
}

export interface TestEmailInput {
  workspaceId: string
  to: string
  replyTo?: string | null
  idempotencyKey?: string
  content?: EmailContent
  headers?: Record<string, string>
}

/** Queues through the real queueEmail and returns the stored row (the first one, for a repeated key). */
export async function queueTestEmail(deps: Pick<Deps, 'config'>, db: Executor, now: Date, input: TestEmailInput): Promise<EmailRow> {
  const { senderName, ...brand } = await brandOfWorkspace(db, input.workspaceId)
  const idempotencyKey = input.idempotencyKey ?? `test:${randomUUID()}`
  const email: QueuedEmail = {
    workspaceId: input.workspaceId,
    to: input.to,
    from: `"${senderName}" <${deps.config.mailFrom}>`,
    replyTo: input.replyTo ?? null,
    idempotencyKey,
    brand,
    content: input.content ?? sampleContent(),
    ...(input.headers ? { headers: input.headers } : {}),
  }
  await queueEmail(db, now, email)
  return db.selectFrom('emails').selectAll().where('idempotency_key', '=', idempotencyKey).executeTakeFirstOrThrow()
}
