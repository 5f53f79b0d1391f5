// The transactional outbox: enqueue in the same transaction as the change that causes the job.
import { randomUUID } from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../db/schema.js'

export type Executor = Kysely<Database> | Transaction<Database>

export interface NewJob {
  kind: string
  payload: unknown
  workspaceId?: string | null
  /** A second enqueue with the same key is a no-op: the side effect happens once. */
  idempotencyKey?: string
  runAt?: Date
  maxAttempts?: number
}

export async function enqueueJob(db: Executor, now: Date, job: NewJob): Promise<void> {
  const at = now.toISOString()
  await db
    .insertInto('jobs')
    .values({
      id: randomUUID(),
      workspace_id: job.workspaceId ?? null,
      kind: job.kind,
      payload: JSON.stringify(job.payload),
      idempotency_key: job.idempotencyKey ?? null,
      status: 'pending',
      attempts: 0,
      max_attempts: job.maxAttempts ?? 8,
      run_at: (job.runAt ?? now).toISOString(),
      locked_until: null,
      locked_by: null,
      last_error: null,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute()
}

/** Exponential backoff with a cap: 5 s, 10 s, 20 s … up to 10 minutes. */
export const backoffMs = (attempt: number): number => Math.min(5_000 * 2 ** (attempt - 1), 600_000)
