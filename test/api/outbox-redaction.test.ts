// Token hygiene of the outbox: once a magic link is delivered over SMTP, the database keeps no raw
// link token (only its hash); the delivered message still carries a working link.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { redactTokens } from '../../src/server/email/outbox.js'
import { testDatabases } from '../helpers/databases.js'
import { buildPortalWorld, expectLinkWorks, share, whereStored, type PortalWorld } from '../helpers/portal.js'
import { startSmtpServer } from '../helpers/smtp.js'

describe('redactTokens', () => {
  it('replaces the token of link, confirm and unsubscribe URLs and nothing else', () => {
    const token = 'A'.repeat(43)
    const text = `open https://x.example/portal/l/${token} or /portal/confirm/${token} or /portal/unsubscribe/${token}; see /portal/records/${token}`
    expect(redactTokens(text)).toBe(`open https://x.example/portal/l/[sent] or /portal/confirm/[sent] or /portal/unsubscribe/[sent]; see /portal/records/${token}`)
  })
})

describe.each(testDatabases)('outbox keeps no raw link token after SMTP delivery on $name', (db) => {
  let w: PortalWorld
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>
  beforeAll(async () => {
    smtp = await startSmtpServer()
    w = await buildPortalWorld(db, { SMTP_URL: smtp.url })
  })
  afterAll(async () => {
    await w.t.close()
    await smtp.close()
  })

  it('stores the token only until it is sent, and the delivered link still works', async () => {
    const sent = await share(w.t, w.adminHeaders, w.ws.company.id, w.ws.contact.id)
    expect(await whereStored(w.t.deps, sent.token)).not.toEqual([]) // queued: the outbox needs it to send
    await w.t.worker.drain()
    await smtp.waitFor(1)
    expect(smtp.messages[0]!.text).toContain(sent.token)
    expect(await whereStored(w.t.deps, sent.token)).toEqual([])
    await expectLinkWorks(w.t, sent.token)
  })
})
