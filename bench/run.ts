// `npm run bench`: the real server on a large seeded workspace (50 companies; one with 200 records,
// 1,000 files, 5,000 comments), measured with wrk against a raw node:http server that sends the very
// same bytes, in the same run: server and ceiling pinned to CPU 0, wrk to CPU 1, 50 connections,
// a warm-up, 10 s per case, the case and its ceiling alternating in 5 s slices. SQLite, and PostgreSQL when reachable.
// Prints one table and writes bench/results/latest.json (with the upload rows of bench/upload.ts).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { loadConfig } from '../src/server/config.js'
import { migrateToLatest, openDatabase } from '../src/server/db/database.js'
import { createMailer } from '../src/server/email/mailer.js'
import { createLocalStore } from '../src/server/storage/local-store.js'
import { seedLarge } from './seed-large.js'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3)
// The case and its ceiling take turns in slices (2 × 5 s each by default), so both meet the same machine: on this
// VM the hypervisor's steal moved between 0 and 40 % within minutes, and the ceiling with it by up to 3×. Every
// slice opens its 50 connections afresh and Node accepts one per event-loop turn, so on a slow case (the staff
// page, the uncached home) the slice's first replies wait long: shorter slices put that wait into p90.
const SLICES = Number(process.env.BENCH_SLICES ?? 2)
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
// BENCH_PROFILE=dir writes a --cpu-prof of each app server there; BENCH_DB=sqlite|postgres runs one database;
// BENCH_SCENARIO=a,b runs only those scenarios (for profiling one path).
const PROFILE = process.env.BENCH_PROFILE
const ONLY = process.env.BENCH_DB
const SCENARIOS = process.env.BENCH_SCENARIO?.split(',')
const ADMIN = { email: 'bench@example.com', password: 'bench-password' }

interface Row {
  scenario: string
  db: string
  rps: number
  p50_ms: number
  p90_ms: number
  p99_ms: number
  ceiling_rps: number
  ceiling_p90_ms: number
  ratio: number
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function wrk(url: string, headers: Record<string, string>, seconds: number) {
  const args = ['-c', '1', 'wrk', '-t2', '-c50', `-d${seconds}s`, '--latency', ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]), url]
  const out = execFileSync('taskset', args, { encoding: 'utf8' })
  const ms = (label: string) => {
    const m = out.match(new RegExp(`\\s${label}%\\s+([\\d.]+)(us|ms|s)`))
    if (!m) return NaN
    const v = Number(m[1])
    return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v
  }
  const non2xx = Number(out.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0)
  if (non2xx > 0) throw new Error(`${url}: ${non2xx} non-2xx responses\n${out}`)
  return { rps: Number(out.match(/Requests\/sec:\s+([\d.]+)/)![1]), p50: ms('50'), p90: ms('90'), p99: ms('99') }
}

type Wrk = ReturnType<typeof wrk>
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return Math.round((s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2) * 1000) / 1000
}
/** Slices of equal length: req/s is their mean; a percentile is the median of theirs (wrk reports no histogram). */
const combine = (slices: Wrk[]): Wrk => ({
  rps: slices.reduce((sum, x) => sum + x.rps, 0) / slices.length,
  p50: median(slices.map((x) => x.p50)),
  p90: median(slices.map((x) => x.p90)),
  p99: median(slices.map((x) => x.p99)),
})

/** The share of CPU time the hypervisor took from this VM while `run` ran, in percent (from /proc/stat). */
function stealDuring<T>(run: () => T): { result: T; steal: number } {
  const read = () => readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
  const before = read()
  const result = run()
  const after = read()
  const total = after.reduce((sum, v, i) => sum + v - before[i]!, 0)
  return { result, steal: total > 0 ? Math.round(((after[7]! - before[7]!) / total) * 1000) / 10 : 0 }
}

async function waitFor(url: string) {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).ok) return
    } catch {
      /* not up yet */
    }
    await sleep(100)
  }
  throw new Error(`${url} did not come up`)
}

function startPinned(args: string[], env: Record<string, string>): ChildProcess {
  return spawn('taskset', ['-c', '0', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] })
}

async function pgReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL })
  try {
    await client.connect()
    await client.end()
    return true
  } catch {
    return false
  }
}

async function freshPgDatabase(): Promise<string> {
  const client = new pg.Client({ connectionString: PG_URL })
  await client.connect()
  await client.query('DROP DATABASE IF EXISTS coeffection_bench WITH (FORCE)')
  await client.query('CREATE DATABASE coeffection_bench')
  await client.end()
  const url = new URL(PG_URL)
  url.pathname = '/coeffection_bench'
  return url.toString()
}

async function runFor(dbName: 'sqlite' | 'postgres'): Promise<Row[]> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'coeffection-bench-'))
  const databaseUrl = dbName === 'sqlite' ? `file:${path.join(dataDir, 'bench.db')}` : await freshPgDatabase()
  const config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: databaseUrl })
  const { db, dialect } = openDatabase(databaseUrl)
  await migrateToLatest(db)
  const seeded = await seedLarge({ config, db, dialect, clock: () => new Date(), mailer: createMailer(config), storage: createLocalStore(path.join(dataDir, 'storage')) }, ADMIN)
  // Vacuumed as a live database would be: without it, autovacuum and hint-bit writes of the fresh rows run during the measurements.
  if (dialect === 'postgres') await (await import('kysely')).sql`VACUUM ANALYZE`.execute(db)
  await db.destroy()

  const ports = { cached: 4100, uncached: 4101, ceiling: 4102 }
  const env = (port: number, cache: 'on' | 'off') => ({ PORT: String(port), HOST: '127.0.0.1', BASE_URL: `http://localhost:${port}`, DATA_DIR: dataDir, DATABASE_URL: databaseUrl, WORKER: 'off', SEED_DEMO: 'off', LOG_LEVEL: 'warn', PORTAL_CACHE: cache })
  const node = ['node', ...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(PROFILE)}`] : []), '--import', 'tsx', 'src/server/server.ts']
  const servers = [startPinned(node, env(ports.cached, 'on')), startPinned(node, env(ports.uncached, 'off'))]
  try {
    const base = `http://127.0.0.1:${ports.cached}`
    await waitFor(`${base}/readyz`)
    await waitFor(`http://127.0.0.1:${ports.uncached}/readyz`)
    const origin = { origin: `http://localhost:${ports.cached}`, 'content-type': 'application/json' }
    const signIn = await fetch(`${base}/api/v1/auth/sign-in`, { method: 'POST', headers: origin, body: JSON.stringify(ADMIN) })
    const staffCookie = signIn.headers.get('set-cookie')!.split(';')[0]!
    const staff = { ...origin, cookie: staffCookie }
    await fetch(`${base}/api/v1/companies/${seeded.companyId}/portal/share`, { method: 'POST', headers: staff, body: JSON.stringify({ contactId: seeded.contactId, expiresInDays: 30 }) })
    const emails = (await (await fetch(`${base}/api/v1/emails`, { headers: staff })).json()) as { id: string }[]
    const links = ((await (await fetch(`${base}/api/v1/emails/${emails[0]!.id}`, { headers: staff })).json()) as { links: string[] }).links
    const token = links.find((l) => l.includes('/portal/l/'))!.split('/').pop()!
    const exchange = await fetch(`${base}/portal/session`, { method: 'POST', redirect: 'manual', headers: { origin: origin.origin, 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${token}` })
    const client = { cookie: exchange.headers.get('set-cookie')!.split(';')[0]! }
    const home = (await (await fetch(`${base}/api/portal/home`, { headers: client })).json()) as { types: { records: { id: string }[] }[] }
    const recordId = home.types[0]!.records[0]!.id

    const scenarios = [
      { scenario: 'portal_home', url: `${base}/api/portal/home`, headers: client },
      { scenario: 'portal_detail', url: `${base}/api/portal/records/${recordId}`, headers: client },
      { scenario: 'portal_home_uncached', url: `http://127.0.0.1:${ports.uncached}/api/portal/home`, headers: client },
      { scenario: 'staff_company', url: `${base}/api/v1/companies/${seeded.companyId}`, headers: { cookie: staffCookie } },
    ]
    const rows: Row[] = []
    for (const s of scenarios.filter((x) => !SCENARIOS || SCENARIOS.includes(x.scenario))) {
      const res = await fetch(s.url, { headers: s.headers })
      if (!res.ok) throw new Error(`${s.scenario}: ${res.status}`)
      const bodyFile = path.join(dataDir, `${s.scenario}.body`)
      writeFileSync(bodyFile, Buffer.from(await res.arrayBuffer()))
      const ceiling = startPinned(['node', '--import', 'tsx', 'bench/ceiling-server.ts', bodyFile, res.headers.get('content-type') ?? 'application/json', String(ports.ceiling)], {})
      const ceilingUrl = `http://127.0.0.1:${ports.ceiling}/`
      await waitFor(ceilingUrl)
      wrk(s.url, s.headers, WARMUP)
      wrk(ceilingUrl, {}, WARMUP)
      const slice = Math.max(1, Math.round(SECONDS / SLICES)) // wrk takes whole seconds
      const { result: pairs, steal } = stealDuring(() => Array.from({ length: SLICES }, () => [wrk(s.url, s.headers, slice), wrk(ceilingUrl, {}, slice)] as const))
      const app = combine(pairs.map(([a]) => a))
      const raw = combine(pairs.map(([, c]) => c))
      ceiling.kill('SIGTERM')
      await sleep(300)
      rows.push({
        scenario: s.scenario,
        db: dbName,
        rps: Math.round(app.rps),
        p50_ms: app.p50,
        p90_ms: app.p90,
        p99_ms: app.p99,
        ceiling_rps: Math.round(raw.rps),
        ceiling_p90_ms: raw.p90,
        ratio: Math.round((app.rps / raw.rps) * 1000) / 1000,
      })
      console.log(`${dbName} ${s.scenario}: ${Math.round(app.rps)} req/s (ceiling ${Math.round(raw.rps)}), ratio ${(app.rps / raw.rps).toFixed(3)}, body ${readFileSync(bodyFile).length} B, steal ${steal} %`)
    }
    return rows
  } finally {
    for (const s of servers) s.kill('SIGTERM')
    await sleep(500)
    rmSync(dataDir, { recursive: true, force: true })
  }
}

async function main() {
  const rows = ONLY === 'postgres' ? [] : await runFor('sqlite')
  if (ONLY === 'sqlite') console.log('BENCH_DB=sqlite: SQLite only')
  else if (await pgReachable()) rows.push(...(await runFor('postgres')))
  else console.log(`PostgreSQL not reachable at ${PG_URL}: SQLite only`)
  console.table(rows)
  mkdirSync('bench/results', { recursive: true })
  const upload = existsSync('bench/results/upload.json') ? (JSON.parse(readFileSync('bench/results/upload.json', 'utf8')) as unknown[]) : []
  writeFileSync('bench/results/latest.json', JSON.stringify([...rows, ...upload], null, 2) + '\n')
  console.log('wrote bench/results/latest.json')
}

void main()
