// The buttons at the top of a company page. Add new company-level actions here (e.g. Share portal).
import type { Company, Contact } from '../../../../shared/contracts/staff.js'
import { PortalActions } from '../portal-admin/portal-actions.js'

type Props = { company: Company; contacts: Contact[]; onEdit: () => void }

export function CompanyActionBar({ company, onEdit }: Props) {
  return (
    <div className="action-bar">
      <button type="button" onClick={onEdit}>
        Edit details
      </button>
      <PortalActions company={company} />
    </div>
  )
}
