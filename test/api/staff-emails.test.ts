import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queueEmail } from '../../src/server/email/outbox.js'
import { testDatabases } from '../helpers/databases.js'
import { buildStaffWorld, expectFieldError, expectNotFound, expectStatus, missingId, type StaffWorld } from '../helpers/staff.js'

const brand = { name: 'Studio', logoUrl: null, brandColor: '#4f46e5', postalAddress: '1 Main St, Springfield' }

describe.each(testDatabases)('staff email outbox on $name', (db) => {
  let w: StaffWorld
  const idOf = async (key: string) => (await w.t.deps.db.selectFrom('emails').select('id').where('idempotency_key', '=', key).executeTakeFirstOrThrow()).id
  beforeAll(async () => {
    w = await buildStaffWorld(db)
    const now = w.t.clock()
    await queueEmail(w.t.deps.db, now, {
      workspaceId: w.ws.workspaceId,
      to: w.ws.contact.email,
      from: '"Studio" <portal@coeffection.local>',
      replyTo: w.ws.admin.email,
      idempotencyKey: 'test:ours',
      brand,
      content: {
        subject: 'Your portal link',
        paragraphs: ['Open your portal to see Website redesign.'],
        action: { label: 'Open portal', url: 'http://localhost:3000/portal/l/abc123' },
        reason: 'You receive this because Studio shared a portal with you.',
      },
    })
    await queueEmail(w.t.deps.db, now, {
      workspaceId: w.other.workspaceId,
      to: w.other.contact.email,
      from: '"Other" <portal@coeffection.local>',
      idempotencyKey: 'test:theirs',
      brand: { ...brand, name: 'Other' },
      content: { subject: 'Their secret subject', paragraphs: ['Not for you.'], reason: 'Because.' },
    })
  })
  afterAll(() => w.t.close())

  it('lists queued emails of this workspace only', async () => {
    const res = await w.inject({ url: '/api/v1/emails', headers: w.admin })
    expectStatus(res, 200)
    expect(res.json()).toEqual([
      {
        id: await idOf('test:ours'),
        to: w.ws.contact.email,
        subject: 'Your portal link',
        status: 'queued',
        attempts: 0,
        lastError: null,
        createdAt: w.t.clock().toISOString(),
        sentAt: null,
      },
    ])
    expect(res.body).not.toContain('Their secret subject')
  })

  it('shows an email with both parts and the links in it', async () => {
    const res = await w.inject({ url: `/api/v1/emails/${await idOf('test:ours')}`, headers: w.member })
    expectStatus(res, 200)
    const email = res.json()
    expect(email).toMatchObject({ to: w.ws.contact.email, from: '"Studio" <portal@coeffection.local>', replyTo: w.ws.admin.email, subject: 'Your portal link', status: 'queued' })
    expect(email.text).toContain('Open your portal to see Website redesign.')
    expect(email.html).toContain('Open your portal to see Website redesign.')
    expect(email.html).toContain('1 Main St, Springfield')
    expect(email.links).toContain('http://localhost:3000/portal/l/abc123')
  })

  it('shows the email as sent once the worker has delivered it', async () => {
    expect(await w.t.worker.drain()).toBeGreaterThanOrEqual(1)
    const res = await w.inject({ url: `/api/v1/emails/${await idOf('test:ours')}`, headers: w.admin })
    expect(res.json()).toMatchObject({ status: 'sent', attempts: 1, lastError: null, sentAt: w.t.clock().toISOString() })
  })

  it('answers 404 for an email of another workspace, exactly like a missing one', async () => {
    const foreign = await w.inject({ url: `/api/v1/emails/${await idOf('test:theirs')}`, headers: w.admin })
    const missing = await w.inject({ url: `/api/v1/emails/${missingId()}`, headers: w.admin })
    expectNotFound(foreign)
    expect(foreign.json()).toEqual(missing.json())
    expect(foreign.body).not.toContain('Their secret subject')
    // Their admin sees it.
    expectStatus(await w.inject({ url: `/api/v1/emails/${await idOf('test:theirs')}`, headers: w.otherAdmin }), 200)
  })

  it('answers 400 for a malformed id', async () => {
    expectFieldError(await w.inject({ url: '/api/v1/emails/latest', headers: w.admin }), 'id')
  })

  it('answers 401 without a session', async () => {
    expectStatus(await w.inject({ url: '/api/v1/emails', headers: w.anonymous }), 401)
    expectStatus(await w.inject({ url: `/api/v1/emails/${await idOf('test:ours')}`, headers: w.anonymous }), 401)
  })
})
