// The one registry of job kinds, used by the server process and the tests alike.
import type { Deps } from '../deps.js'
import { emailSendHandler } from '../email/outbox.js'
import { notifyClientsOfStaffReply, sendRecordUpdates } from '../modules/notifications/notifications.service.js'
import type { JobHandler } from './worker.js'

export function jobHandlers(deps: Deps): Record<string, JobHandler> {
  return {
    'email.send': emailSendHandler(deps.db, deps.mailer, deps.clock),
    'notify.record-updates': (payload) => sendRecordUpdates(deps, payload as { recordId: string; workspaceId: string }),
    'notify.staff-reply': (payload) => notifyClientsOfStaffReply(deps, payload as { workspaceId: string; commentId: string }),
  }
}
