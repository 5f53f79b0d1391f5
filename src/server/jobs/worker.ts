// Claims due jobs, runs their handler, retries with backoff and records failures.
// On PostgreSQL the claim uses FOR UPDATE SKIP LOCKED, so several workers never run one job twice;
// a claim carries a lease, and a job whose worker died is claimed again once the lease expires.
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { Db, Dialect } from '../db/database.js'
import type { JobRow } from '../db/schema.js'
import { backoffMs } from './outbox.js'

export type JobHandler = (payload: unknown, job: JobRow) => Promise<void>

export interface WorkerOptions {
  db: Db
  dialect: Dialect
  clock: () => Date
  handlers: Record<string, JobHandler>
  log: { error: (obj: object, msg: string) => void; info: (obj: object, msg: string) => void }
  pollMs?: number
  leaseMs?: number
}

export interface Worker {
  /** Runs every due job once; returns how many it ran. Used by tests and by the loop. */
  drain(): Promise<number>
  start(): void
  /** Stops polling and waits for the job in hand. */
  stop(): Promise<void>
}

export function createWorker(opts: WorkerOptions): Worker {
  const id = randomUUID()
  const leaseMs = opts.leaseMs ?? 60_000
  let timer: NodeJS.Timeout | undefined
  let running: Promise<unknown> = Promise.resolve()
  let stopped = false

  async function claim(): Promise<JobRow | undefined> {
    const now = opts.clock()
    const nowIso = now.toISOString()
    const lease = new Date(now.getTime() + leaseMs).toISOString()
    return opts.db.transaction().execute(async (trx) => {
      let query = trx
        .selectFrom('jobs')
        .select('id')
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', nowIso)]),
            eb.and([eb('status', '=', 'running'), eb('locked_until', '<', nowIso)]),
          ]),
        )
        .orderBy('run_at')
        .limit(1)
      if (opts.dialect === 'postgres') query = query.forUpdate().skipLocked()
      const next = await query.executeTakeFirst()
      if (!next) return undefined
      return trx
        .updateTable('jobs')
        .set({ status: 'running', locked_by: id, locked_until: lease, attempts: sql`attempts + 1`, updated_at: nowIso })
        .where('id', '=', next.id)
        .returningAll()
        .executeTakeFirst()
    })
  }

  async function runOne(job: JobRow): Promise<void> {
    const handler = opts.handlers[job.kind]
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`)
      await handler(JSON.parse(job.payload), job)
      await opts.db
        .updateTable('jobs')
        .set({ status: 'done', locked_until: null, last_error: null, updated_at: opts.clock().toISOString() })
        .where('id', '=', job.id)
        .where('locked_by', '=', id)
        .execute()
    } catch (err) {
      const now = opts.clock()
      const failed = job.attempts >= job.max_attempts
      const message = err instanceof Error ? err.message : String(err)
      opts.log.error({ jobId: job.id, kind: job.kind, attempt: job.attempts, err: message }, failed ? 'job failed for good' : 'job failed, will retry')
      await opts.db
        .updateTable('jobs')
        .set({
          status: failed ? 'failed' : 'pending',
          run_at: new Date(now.getTime() + backoffMs(job.attempts)).toISOString(),
          locked_until: null,
          locked_by: null,
          last_error: message.slice(0, 2000),
          updated_at: now.toISOString(),
        })
        .where('id', '=', job.id)
        // Only while we still hold the claim: once the lease expired another worker owns the job.
        .where('locked_by', '=', id)
        .execute()
    }
  }

  async function drain(): Promise<number> {
    let count = 0
    for (let job = await claim(); job; job = stopped ? undefined : await claim()) {
      await runOne(job)
      count++
    }
    return count
  }

  function tick(): void {
    running = drain()
      .catch((err: unknown) => opts.log.error({ err }, 'worker poll failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, opts.pollMs ?? 1000)
      })
  }

  return {
    drain,
    start() {
      stopped = false
      tick()
    },
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await running
    },
  }
}
