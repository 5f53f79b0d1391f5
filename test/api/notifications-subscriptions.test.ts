// Issue 5: a client's own email preferences. Double opt-in (a scanner's GET of the confirmation link
// confirms nothing; the page's POST does, and keeps time, IP and user agent as proof), one-click
// unsubscribe (RFC 8058 POST with no Origin and no cookie; a GET only shows the page), re-subscribe one
// click away but only from our own page, the same branded page for an invalid and an expired token, an
// unsubscribe token that never signs anyone in and never expires, and Manage notifications.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { escapeHtml } from '../../src/server/email/layout.js'
import { testDatabases } from '../helpers/databases.js'
import {
  addresses,
  BROWSER_FORM_FROM_OUR_PAGE,
  buildNotifyWorld,
  getPage,
  htmlOf,
  newClient,
  newTenant,
  oneClickUnsubscribe,
  optIn,
  pageAction,
  patchPortalSettings,
  patchRecord,
  postConfirm,
  putPreferences,
  rawHeader,
  recipients,
  staffComment,
  subscribedClient,
  subscriptionOf,
  textOf,
  unsubscribeLinkOf,
  type Client,
  type NotifyWorld,
  type Tenant,
} from '../helpers/notify.js'
import { DAY, dumpDatabase, exchange, expectNoRowChanged, nextIp, openLink, portalCookieNameOf, share, signInClient } from '../helpers/portal.js'

describe.each(testDatabases)('notification preferences, confirmation and unsubscribe on $name', (db) => {
  let w: NotifyWorld
  let tenant: Tenant
  beforeAll(async () => {
    w = await buildNotifyWorld(db)
  })
  afterAll(() => w.close())
  beforeEach(async () => {
    tenant = await newTenant(w)
  })

  /** Moves the record to the next stage and lets the batching window pass: who heard about it? */
  const stageChange = async () => {
    const { stage_id } = await w.t.deps.db.selectFrom('records').select('stage_id').where('id', '=', tenant.ws.record.id).executeTakeFirstOrThrow()
    const ids = tenant.ws.projects.stageIds
    await patchRecord(w, tenant, tenant.ws.record.id, { stageId: ids[(ids.indexOf(stage_id!) + 1) % ids.length] })
    return recipients(await w.afterWindow())
  }
  const staffReply = async () => {
    await staffComment(w, tenant.admin, tenant.ws.record.id, 'A reply from the team')
    return recipients(await w.deliver())
  }
  const preferences = async (client: Client) => {
    const res = await w.t.app.inject({ url: '/api/portal/notifications', headers: { cookie: client.cookie } })
    expect(res.statusCode, res.body).toBe(200)
    return res.json()
  }
  const workspaceName = async () => (await w.t.deps.db.selectFrom('workspaces').select('name').where('id', '=', tenant.ws.workspaceId).executeTakeFirstOrThrow()).name
  /** A confirmed client and the unsubscribe link of the first update they received. */
  const withUnsubscribeLink = async () => {
    const client = await subscribedClient(w, tenant)
    await patchRecord(w, tenant, tenant.ws.record.id, { stageId: tenant.ws.projects.stageIds[1] })
    const [m, ...rest] = await w.afterWindow()
    expect(rest).toEqual([])
    return { client, ...unsubscribeLinkOf(w, m!, 'status') }
  }
  const noSetCookie = (res: { headers: Record<string, unknown> }) => expect(res.headers['set-cookie']).toBeUndefined()

  it('opting in sends one branded confirmation email, and a pending subscriber gets no updates', async () => {
    await patchPortalSettings(w, tenant, tenant.ws.projects.id, { emailOnStaffReply: true })
    const client = await newClient(w, tenant)
    expect(await preferences(client)).toEqual({ status: 'none', statusChanges: true, commentReplies: true })
    const ip = nextIp()
    const res = await putPreferences(w, client, { statusChanges: true, commentReplies: true }, { 'x-forwarded-for': ip, 'user-agent': 'OptInBrowser/1.0' })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({ status: 'pending', statusChanges: true, commentReplies: true })
    expect(await subscriptionOf(w, client)).toMatchObject({
      status: 'pending',
      email: client.email,
      opted_in_at: w.t.clock().toISOString(),
      opted_in_ip: ip,
      opted_in_ua: 'OptInBrowser/1.0',
      confirmed_at: null,
      confirmed_ip: null,
    })

    const [m, ...rest] = await w.deliver()
    expect(rest).toEqual([])
    expect(addresses(m!.to)).toEqual([client.email])
    expect(m!.subject).toBe('Confirm your Acme Co portal updates')
    const name = await workspaceName()
    for (const part of [textOf(m!), htmlOf(m!)]) {
      expect(part).toContain(`You asked ${name} to email you about project status changes and replies to comments in the Acme Co portal.`)
      expect(part).toContain('If you did not ask for this, ignore this email and nothing will be sent.')
      expect(part).toContain(`${w.origin}/portal/confirm/`)
    }
    // Not a notification yet: nothing to unsubscribe from.
    expect(rawHeader(m!, 'list-unsubscribe')).toBeUndefined()

    expect(await stageChange()).toEqual([])
    expect(await staffReply()).toEqual([])
  })

  it('a GET of the confirmation link changes nothing; the page POST confirms and keeps time, IP and user agent as proof', async () => {
    const client = await newClient(w, tenant)
    const { token } = await optIn(w, client)
    const optedIn = await subscriptionOf(w, client)

    // A link scanner fetching the URL (twice) confirms nothing and writes nothing.
    for (let i = 0; i < 2; i++) {
      const page = await expectNoRowChanged(w.t.deps, () => getPage(w, `/portal/confirm/${token}`))
      expect(page.statusCode).toBe(200)
      expect(page.headers['cache-control']).toBe('no-store')
      noSetCookie(page)
      expect(page.body).toContain('<form method="post" action="/portal/confirm">')
      expect(page.body).toContain(`<input type="hidden" name="token" value="${token}">`)
      expect(page.body).toContain(escapeHtml(await workspaceName())) // branded with the subscriber's workspace
    }
    expect(await stageChange()).toEqual([])

    // A cross-origin POST of the form is refused and confirms nothing.
    const forged = await expectNoRowChanged(w.t.deps, () => postConfirm(w, token, { origin: 'https://evil.example' }))
    expect(forged.statusCode).toBe(403)

    w.t.clock.advance(60_000)
    const ip = nextIp()
    const confirmed = await postConfirm(w, token, { 'x-forwarded-for': ip, 'user-agent': 'ConfirmBrowser/2.0' })
    expect(confirmed.statusCode, confirmed.body).toBe(200)
    expect(confirmed.body).toContain('You are subscribed')
    expect(confirmed.body).toContain(escapeHtml(await workspaceName()))
    noSetCookie(confirmed)
    expect(await subscriptionOf(w, client)).toMatchObject({
      status: 'confirmed',
      opted_in_at: optedIn!.opted_in_at,
      opted_in_ip: optedIn!.opted_in_ip,
      confirmed_at: w.t.clock().toISOString(),
      confirmed_ip: ip,
      confirmed_ua: 'ConfirmBrowser/2.0',
    })
    expect(await preferences(client)).toEqual({ status: 'confirmed', statusChanges: true, commentReplies: true })
    expect(await stageChange()).toEqual([client.email])

    // The confirmation link is spent: page and POST both show the invalid page, and nothing changes.
    const before = await subscriptionOf(w, client)
    expect((await getPage(w, `/portal/confirm/${token}`)).statusCode).toBe(410)
    expect((await postConfirm(w, token)).statusCode).toBe(410)
    expect(await subscriptionOf(w, client)).toEqual(before)
  })

  it('an invalid token shows the same branded page, with the same status, as an expired confirmation link', async () => {
    const client = await newClient(w, tenant)
    const { token } = await optIn(w, client)
    w.t.clock.advance(7 * DAY + 60_000)

    const expired = await getPage(w, `/portal/confirm/${token}`)
    expect(expired.statusCode).toBe(410)
    expect(expired.body).toContain('This link is no longer valid')
    const names = (await w.t.deps.db.selectFrom('workspaces').select('name').execute()).map((r) => escapeHtml(r.name))
    expect(names.some((n) => expired.body.includes(`<span>${n}</span>`))).toBe(true) // the deployment's brand
    expect(expired.body).toContain('--brand:#')

    const expiredPost = await postConfirm(w, token)
    expect(expiredPost.statusCode).toBe(410)
    expect((await subscriptionOf(w, client))?.status).toBe('pending')

    const unknown = 'A'.repeat(43)
    const pages = [
      await getPage(w, `/portal/confirm/${unknown}`),
      await getPage(w, '/portal/confirm/not-a-token'),
      await postConfirm(w, unknown),
      await getPage(w, `/portal/unsubscribe/${unknown}`),
      await getPage(w, '/portal/unsubscribe/x'),
      await oneClickUnsubscribe(w, unknown),
      await pageAction(w, unknown, 'resubscribe'),
      expiredPost,
    ]
    for (const page of pages) {
      expect(page.statusCode).toBe(expired.statusCode)
      expect(page.body).toBe(expired.body)
      expect(page.headers['content-type']).toBe(expired.headers['content-type'])
      noSetCookie(page)
    }
  })

  it('a GET of the unsubscribe link only shows the page: nothing changes, and no session is ever opened', async () => {
    const { client, token } = await withUnsubscribeLink()
    const page = await expectNoRowChanged(w.t.deps, () => getPage(w, `/portal/unsubscribe/${token}`))
    expect(page.statusCode).toBe(200)
    noSetCookie(page)
    expect(page.body).toContain('Stop Acme Co portal emails?')
    expect(page.body).toContain(escapeHtml(await workspaceName()))
    expect(page.body).toContain(`<form method="post" action="/portal/unsubscribe/${token}"><input type="hidden" name="action" value="unsubscribe">`)
    expect((await subscriptionOf(w, client))?.status).toBe('confirmed')

    // The token grants preference changes only: no session, not as a cookie, not as a magic link.
    const me = await w.t.app.inject({ url: '/api/portal/me' })
    expect(me.statusCode).toBe(401)
    const asCookie = await w.t.app.inject({ url: '/api/portal/me', headers: { cookie: `${portalCookieNameOf(w.t)}=${token}` } })
    expect(asCookie.statusCode).toBe(401)
    expect((await openLink(w.t, token)).statusCode).toBe(410)
    const asLink = await exchange(w.t, token)
    expect(asLink.res.statusCode).toBe(410)
    expect(asLink.cookie).toBeUndefined()
    const sessions = await w.t.deps.db.selectFrom('portal_sessions').select('grant_id').where('grant_id', '=', client.grantId).execute()
    expect(sessions).toHaveLength(1) // only the one the magic link opened
    expect(await stageChange()).toEqual([client.email])
  })

  it('the RFC 8058 one-click POST unsubscribes at once and idempotently, with 200 and no redirect; the next change sends nothing', async () => {
    await patchPortalSettings(w, tenant, tenant.ws.projects.id, { emailOnStaffReply: true })
    const { client, token } = await withUnsubscribeLink()
    const colleague = await subscribedClient(w, tenant)

    const res = await oneClickUnsubscribe(w, token)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers.location).toBeUndefined()
    noSetCookie(res)
    expect(res.body).toContain('You are unsubscribed')
    const after = await subscriptionOf(w, client)
    expect(after).toMatchObject({ status: 'unsubscribed', unsubscribed_at: w.t.clock().toISOString() })
    expect(await preferences(client)).toMatchObject({ status: 'unsubscribed' })

    // Again, later: same answer, nothing changes (the first opt-out time is kept).
    w.t.clock.advance(60_000)
    const again = await expectNoRowChanged(w.t.deps, () => oneClickUnsubscribe(w, token))
    expect(again.statusCode).toBe(200)
    expect(again.headers.location).toBeUndefined()
    expect(again.body).toBe(res.body)

    // Effective before the next send: no update and no reply for them; their colleague still hears.
    expect(await stageChange()).toEqual([colleague.email])
    expect(await staffReply()).toEqual([colleague.email])
  })

  it('the one-click POST is honoured as multipart/form-data too (the encoding of the RFC 8058 example)', async () => {
    const { client, token } = await withUnsubscribeLink()
    const boundary = '---FormBoundaryjWmhtjORrn'
    const res = await w.t.app.inject({
      method: 'POST',
      url: `/portal/unsubscribe/${token}`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-forwarded-for': nextIp() },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers.location).toBeUndefined()
    expect((await subscriptionOf(w, client))?.status).toBe('unsubscribed')
    expect(await stageChange()).toEqual([])
  })

  it('re-subscribing is one click from our page, but a cross-origin "resubscribe" does not re-subscribe', async () => {
    const { client, token } = await withUnsubscribeLink()
    const viaPage = await pageAction(w, token, 'unsubscribe')
    expect(viaPage.statusCode).toBe(200)
    expect(viaPage.body).toContain('<input type="hidden" name="action" value="resubscribe"><button type="submit">Re-subscribe</button>')
    expect((await subscriptionOf(w, client))?.status).toBe('unsubscribed')

    const forgeries: [string | null, Record<string, string>][] = [
      ['https://evil.example', {}],
      ['https://evil.example', { 'sec-fetch-site': 'cross-site' }],
      ['null', {}],
      ['null', { 'sec-fetch-site': 'cross-site' }],
      [null, {}],
      [null, { 'sec-fetch-site': 'same-site' }],
    ]
    for (const [origin, headers] of forgeries) {
      const forged = await pageAction(w, token, 'resubscribe', origin, headers)
      expect(forged.statusCode).toBe(200)
      expect(forged.body).toContain('You are unsubscribed')
      expect((await subscriptionOf(w, client))?.status, `${origin} ${JSON.stringify(headers)}`).toBe('unsubscribed')
    }
    expect(await stageChange()).toEqual([])

    const back = await pageAction(w, token, 'resubscribe')
    expect(back.statusCode).toBe(200)
    noSetCookie(back)
    expect(back.body).toContain('Stop Acme Co portal emails?')
    expect(await subscriptionOf(w, client)).toMatchObject({ status: 'confirmed', unsubscribed_at: null })
    expect(await stageChange()).toEqual([client.email])
  })

  it('the page buttons work as a real browser sends them: under no-referrer the form posts Origin: null', async () => {
    const { client, token } = await withUnsubscribeLink()
    const page = await getPage(w, `/portal/unsubscribe/${token}`)
    expect(page.headers['referrer-policy']).toBe('no-referrer')
    expect(page.body).toContain('<meta name="referrer" content="no-referrer">')

    expect((await pageAction(w, token, 'unsubscribe', null, BROWSER_FORM_FROM_OUR_PAGE)).statusCode).toBe(200)
    expect((await subscriptionOf(w, client))?.status).toBe('unsubscribed')
    const back = await pageAction(w, token, 'resubscribe', null, BROWSER_FORM_FROM_OUR_PAGE)
    expect(back.statusCode).toBe(200)
    expect(back.body).toContain('Stop Acme Co portal emails?')
    expect((await subscriptionOf(w, client))?.status).toBe('confirmed')
    expect(await stageChange()).toEqual([client.email])

    // The confirmation page is under the same policy: its Confirm button posts Origin: null too.
    const colleague = await newClient(w, tenant)
    const { token: confirmToken } = await optIn(w, colleague)
    const confirmPage = await getPage(w, `/portal/confirm/${confirmToken}`)
    expect(confirmPage.headers['referrer-policy']).toBe('no-referrer')
    const confirmed = await postConfirm(w, confirmToken, BROWSER_FORM_FROM_OUR_PAGE)
    expect(confirmed.statusCode, confirmed.body).toBe(200)
    expect((await subscriptionOf(w, colleague))?.status).toBe('confirmed')
  })

  it('an old unsubscribe link never skips double opt-in: a changed address must confirm before it gets anything', async () => {
    const { client, token: oldToken } = await withUnsubscribeLink()
    // The contact's address changes: access ends, and staff share the portal with the new address.
    const newEmail = `moved-${client.contactId.slice(0, 8)}@acme.example`
    const patched = await w.t.app.inject({ method: 'PATCH', url: `/api/v1/contacts/${client.contactId}`, headers: tenant.admin, payload: { email: newEmail } })
    expect(patched.statusCode, patched.body).toBe(200)
    const { token: linkToken, grantId } = await share(w.t, tenant.admin, client.companyId, client.contactId)
    const moved: Client = { ...client, email: newEmail, grantId, cookie: await signInClient(w.t, linkToken) }
    expect(recipients(await w.deliver())).toEqual([newEmail]) // the magic link
    const { token: confirmToken } = await optIn(w, moved)
    expect(await subscriptionOf(w, moved)).toMatchObject({ status: 'pending', email: newEmail })

    // Re-subscribing with the link sent to the old address must not confirm the new one.
    const res = await pageAction(w, oldToken, 'resubscribe')
    expect(res.statusCode).toBe(200)
    expect(await subscriptionOf(w, moved)).toMatchObject({ status: 'pending', email: newEmail, confirmed_at: null })
    expect(await stageChange()).toEqual([])

    expect((await postConfirm(w, confirmToken)).statusCode).toBe(200)
    expect(await stageChange()).toEqual([newEmail])
  })

  it('Manage notifications: changing topics keeps a confirmed client confirmed; both topics off unsubscribes', async () => {
    await patchPortalSettings(w, tenant, tenant.ws.projects.id, { emailOnStaffReply: true })
    const client = await subscribedClient(w, tenant)
    const confirmedAt = (await subscriptionOf(w, client))!.confirmed_at

    const repliesOnly = await putPreferences(w, client, { statusChanges: false, commentReplies: true })
    expect(repliesOnly.statusCode, repliesOnly.body).toBe(200)
    expect(repliesOnly.json()).toEqual({ status: 'confirmed', statusChanges: false, commentReplies: true })
    expect(await w.deliver()).toEqual([]) // no second confirmation email
    expect((await subscriptionOf(w, client))?.confirmed_at).toBe(confirmedAt)
    expect(await stageChange()).toEqual([])
    expect(await staffReply()).toEqual([client.email])

    const off = await putPreferences(w, client, { statusChanges: false, commentReplies: false })
    expect(off.statusCode, off.body).toBe(200)
    expect(off.json()).toEqual({ status: 'unsubscribed', statusChanges: false, commentReplies: false })
    expect(await preferences(client)).toEqual(off.json())
    expect(await stageChange()).toEqual([])
    expect(await staffReply()).toEqual([])

    // Turning emails back on starts double opt-in again: nothing until the new link is confirmed.
    const { token } = await optIn(w, client, { statusChanges: true, commentReplies: false })
    expect(await stageChange()).toEqual([])
    expect((await postConfirm(w, token)).statusCode).toBe(200)
    expect(await stageChange()).toEqual([client.email])
    expect(await staffReply()).toEqual([])
  })

  it('preferences belong to the signed-in client: no session → 401, staff Preview → 403, unknown keys → 400', async () => {
    const client = await newClient(w, tenant)
    const before = await dumpDatabase(w.t.deps)
    const anonymous = await w.t.app.inject({ method: 'PUT', url: '/api/portal/notifications', headers: { origin: w.origin }, payload: { statusChanges: true, commentReplies: true } })
    expect(anonymous.statusCode).toBe(401)
    const preview = await w.t.app.inject({
      method: 'PUT',
      url: `/api/portal-preview/${tenant.ws.company.id}/notifications`,
      headers: tenant.admin,
      payload: { statusChanges: true, commentReplies: true },
    })
    expect(preview.statusCode).toBe(403)
    for (const payload of [{ statusChanges: true, commentReplies: true, email: 'attacker@evil.example' }, { statusChanges: 'yes', commentReplies: true }, { statusChanges: true }]) {
      expect((await putPreferences(w, client, payload as never)).statusCode).toBe(400)
    }
    expect(await dumpDatabase(w.t.deps)).toEqual(before)
    expect(await w.deliver()).toEqual([])
  })

  // Last: it moves the clock by more than a year.
  it('the unsubscribe link does not expire', async () => {
    const { client, token } = await withUnsubscribeLink()
    w.t.clock.advance(400 * DAY)
    const page = await getPage(w, `/portal/unsubscribe/${token}`)
    expect(page.statusCode).toBe(200)
    expect((await oneClickUnsubscribe(w, token)).statusCode).toBe(200)
    expect((await subscriptionOf(w, client))?.status).toBe('unsubscribed')
  })
})
