// /metrics in Prometheus text format, and request logs that carry the request id and principal kind
// but never a token or a cookie.
import { Writable } from 'node:stream'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp, type App } from '../../src/server/app.js'
import { redactUrl } from '../../src/server/http/observability.js'
import { buildTestApp, ORIGIN, type TestApp } from '../helpers/app.js'
import { testDatabases } from '../helpers/databases.js'
import { createWorkspace, signInStaff, type WorkspaceFixture } from '../factories.js'
import { share, signInClient } from '../helpers/portal.js'

describe('redactUrl', () => {
  it('hides the token of link, confirm and unsubscribe URLs and any query string', () => {
    expect(redactUrl('/portal/l/abcDEF123_-xyz')).toBe('/portal/l/[redacted]')
    expect(redactUrl('/portal/confirm/tok?x=1')).toBe('/portal/confirm/[redacted]?…')
    expect(redactUrl('/portal/unsubscribe/tok')).toBe('/portal/unsubscribe/[redacted]')
    expect(redactUrl('/api/v1/companies?q=acme')).toBe('/api/v1/companies?…')
    expect(redactUrl('/api/portal/home')).toBe('/api/portal/home')
  })
})

describe.each(testDatabases)('observability on $name', (db) => {
  let t: TestApp
  let ws: WorkspaceFixture
  let logged: App
  const lines: string[] = []
  beforeAll(async () => {
    t = await buildTestApp(db)
    ws = await createWorkspace(t.deps)
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) })
    logged = await buildApp(t.deps, { logger: pino({ level: 'info' }, sink) })
  })
  afterAll(async () => {
    await logged.close()
    await t.close()
  })

  it('serves /metrics with request durations by route, job queue depth and age, email and storage failures', async () => {
    await logged.inject({ url: '/healthz' })
    const res = await logged.inject({ url: '/metrics' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/plain/)
    for (const name of ['coeffection_http_request_duration_seconds_bucket', 'coeffection_job_queue_depth', 'coeffection_job_queue_oldest_age_seconds', 'coeffection_emails_failed', 'coeffection_storage_failures_total', 'process_cpu_seconds_total']) {
      expect(res.body).toContain(name)
    }
    expect(res.body).toMatch(/coeffection_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} 1/)
  })

  it('logs each request with its id and principal kind, and never a link token, session id or cookie', async () => {
    const staff = await signInStaff(logged, ws.admin.email)
    const sent = await share(t, staff, ws.company.id, ws.contact.id)
    const cookie = await signInClient(t, sent.token)
    lines.length = 0
    await logged.inject({ url: `/portal/l/${sent.token}` })
    await logged.inject({ url: '/api/portal/me', headers: { cookie } })
    await logged.inject({ url: '/api/v1/me', headers: staff })
    await logged.inject({ method: 'POST', url: '/portal/session', headers: { ...ORIGIN, 'content-type': 'application/x-www-form-urlencoded' }, payload: `token=${sent.token}` })
    const entries = lines.map((l) => JSON.parse(l) as { msg: string; reqId?: string; principal?: string; url?: string })
    const requests = entries.filter((e) => e.msg === 'request')
    expect(requests).toHaveLength(4)
    expect(requests.every((e) => typeof e.reqId === 'string' && e.reqId.length > 0)).toBe(true)
    expect(requests.map((e) => e.principal)).toEqual(['anonymous', 'client', 'staff', 'anonymous'])
    const all = lines.join('\n')
    expect(all).not.toContain(sent.token)
    expect(all).not.toContain(cookie.split('=')[1]!)
    expect(all).not.toContain(staff.cookie!.split('=')[1]!)
  })
})
