import type { EmailSummary } from '../../../../../shared/contracts/staff.js'

const CLASS: Record<EmailSummary['status'], string> = { queued: 'warn', sent: 'ok', failed: 'bad' }

export function EmailStatusBadge({ status }: { status: EmailSummary['status'] }) {
  return <span className={`badge ${CLASS[status]}`}>{status}</span>
}
