import { STATUS_LABELS } from '../../../shared/contracts/labels.js'
import type { RecordStatus } from '../../../shared/contracts/common.js'

export function StatusBadge({ status }: { status: RecordStatus }) {
  return <span className={`pill status-${status}`}>{STATUS_LABELS[status]}</span>
}
