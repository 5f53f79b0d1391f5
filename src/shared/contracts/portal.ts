// What a client can ever receive from /api/portal/*. This file IS the allow-list of the portal:
// no passthrough, no z.any(); a key absent here never reaches a client's browser.
import { z } from 'zod'

export const PortalMe = z.object({
  workspace: z.object({ name: z.string(), logoUrl: z.string().nullable(), brandColor: z.string() }),
  company: z.object({ name: z.string() }),
  contact: z.object({ name: z.string(), email: z.string() }),
  preview: z.boolean(),
})
export type PortalMe = z.infer<typeof PortalMe>
