// Upload benchmark: four clients upload 50 MB each at once into the real server (portal upload route,
// local storage), against a raw node:http server that pipes the same bytes to disk with the same
// write-buffer size. Prints MB/s for both, their ratio, and the server's peak RSS growth over idle.
// Run: npm run bench:upload   (no test asserts on time; this only prints figures)
import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'

const SIZE = 50 * 1024 * 1024
const CLIENTS = 4
const CHUNK = Buffer.alloc(1024 * 1024, 7)
CHUNK.write('%PDF-1.7\n')

const rssKb = (pid: number, field: 'VmRSS') => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`${field}:\\s+(\\d+)`))?.[1] ?? 0)

/** Sends one multipart upload of SIZE bytes, streamed from memory chunks (the client never holds 50 MB). */
function upload(port: number, url: string, headers: Record<string, string>): Promise<number> {
  const boundary = '----coeffection-bench'
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.pdf"\r\nContent-Type: application/pdf\r\n\r\n`)
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
  return new Promise((resolve, reject) => {
    const req = http.request({ port, path: url, method: 'POST', headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(head.length + SIZE + tail.length) } }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.write(head)
    let sent = 0
    const pump = () => {
      while (sent < SIZE) {
        const n = Math.min(CHUNK.length, SIZE - sent)
        sent += n
        if (!req.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n))) return void req.once('drain', pump)
      }
      req.end(tail)
    }
    pump()
  })
}

async function timed(run: () => Promise<number>[]): Promise<{ seconds: number; statuses: number[] }> {
  const start = process.hrtime.bigint()
  const statuses = await Promise.all(run())
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, statuses }
}

async function rawCeiling(dir: string): Promise<number> {
  let n = 0
  const server = http.createServer((req, res) => {
    void pipeline(req, createWriteStream(path.join(dir, `raw-${n++}`), { highWaterMark: 1024 * 1024 })).then(() => res.end('ok'))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as { port: number }).port
  const { seconds } = await timed(() => Array.from({ length: CLIENTS }, () => upload(port, '/', {})))
  server.close()
  return (CLIENTS * SIZE) / 1024 / 1024 / seconds
}

async function waitReady(port: number) {
  for (let i = 0; i < 200; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`)
      if (res.ok) return
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('server did not start')
}

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'coeffection-bench-'))
  const port = 3900 + Math.floor(Math.random() * 50)
  const base = `http://localhost:${port}`
  const server: ChildProcess = spawn('node', ['--import', 'tsx', 'src/server/server.ts'], {
    env: { ...process.env, PORT: String(port), BASE_URL: base, DATA_DIR: dataDir, ADMIN_EMAIL: 'bench@example.com', ADMIN_PASSWORD: 'bench-password', WORKER: 'off', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  try {
    await waitReady(port)
    const json = { 'content-type': 'application/json', origin: base }
    const signIn = await fetch(`${base}/api/v1/auth/sign-in`, { method: 'POST', headers: json, body: JSON.stringify({ email: 'bench@example.com', password: 'bench-password' }) })
    const staff = { ...json, cookie: signIn.headers.get('set-cookie')!.split(';')[0]! }
    const acme = ((await (await fetch(`${base}/api/v1/companies?q=Acme`, { headers: staff })).json()) as { id: string }[])[0]!
    const contact = ((await (await fetch(`${base}/api/v1/contacts?companyId=${acme.id}`, { headers: staff })).json()) as { id: string; email: string }[]).find((c) => c.email)!
    const types = (await (await fetch(`${base}/api/v1/portal/settings`, { headers: staff })).json()) as { typeId: string; key: string }[]
    await fetch(`${base}/api/v1/portal/settings/${types.find((t) => t.key === 'projects')!.typeId}`, { method: 'PATCH', headers: staff, body: JSON.stringify({ allowUploads: true }) })
    await fetch(`${base}/api/v1/companies/${acme.id}/portal/share`, { method: 'POST', headers: staff, body: JSON.stringify({ contactId: contact.id, expiresInDays: 30, uploadsFolder: '/Bench' }) })
    const emails = (await (await fetch(`${base}/api/v1/emails`, { headers: staff })).json()) as { id: string }[]
    const detail = (await (await fetch(`${base}/api/v1/emails/${emails[0]!.id}`, { headers: staff })).json()) as { links: string[] }
    const token = detail.links.find((l) => l.includes('/portal/l/'))!.split('/').pop()!
    const exchange = await fetch(`${base}/portal/session`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base }, body: `token=${token}` })
    const client = { cookie: exchange.headers.get('set-cookie')!.split(';')[0]!, origin: base }
    const home = (await (await fetch(`${base}/api/portal/home`, { headers: client })).json()) as { types: { records: { id: string }[] }[] }
    const recordId = home.types[0]!.records[0]!.id

    await new Promise((r) => setTimeout(r, 1000))
    const idleKb = rssKb(server.pid!, 'VmRSS')
    let peakKb = idleKb
    const sampler = setInterval(() => (peakKb = Math.max(peakKb, rssKb(server.pid!, 'VmRSS'))), 20)
    const run = await timed(() => Array.from({ length: CLIENTS }, () => upload(port, `/api/portal/records/${recordId}/files`, client)))
    clearInterval(sampler)
    if (run.statuses.some((s) => s !== 201)) throw new Error(`uploads answered ${run.statuses.join(', ')}`)
    const appMbS = (CLIENTS * SIZE) / 1024 / 1024 / run.seconds
    const ceilingMbS = await rawCeiling(dataDir)
    const row = {
      scenario: 'upload',
      mb_s: Math.round(appMbS * 10) / 10,
      ceiling_mb_s: Math.round(ceilingMbS * 10) / 10,
      ratio: Math.round((appMbS / ceilingMbS) * 1000) / 1000,
      rss_growth_mb: Math.round(((peakKb - idleKb) / 1024) * 10) / 10,
      idle_rss_mb: Math.round((idleKb / 1024) * 10) / 10,
      peak_rss_mb: Math.round((peakKb / 1024) * 10) / 10,
    }
    console.log(`\n${CLIENTS} concurrent uploads of 50 MB (portal route, local storage) vs raw node:http pipe-to-disk (1 MiB write buffer)`)
    console.table([row])
    mkdirSync('bench/results', { recursive: true })
    writeFileSync('bench/results/upload.json', JSON.stringify([row], null, 2) + '\n')
  } finally {
    server.kill('SIGTERM')
    rmSync(dataDir, { recursive: true, force: true })
  }
}

void main()
