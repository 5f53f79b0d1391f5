import type { Executor } from '../../jobs/outbox.js'

const SUMMARY = ['id', 'to_address', 'subject', 'status', 'attempts', 'last_error', 'created_at', 'sent_at'] as const

export const listEmails = (db: Executor, workspaceId: string) =>
  db.selectFrom('emails').select(SUMMARY).where('workspace_id', '=', workspaceId).orderBy('created_at', 'desc').limit(200).execute()

export const findEmail = (db: Executor, workspaceId: string, id: string) =>
  db
    .selectFrom('emails')
    .select([...SUMMARY, 'from_address', 'reply_to', 'text_body', 'html_body'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst()
