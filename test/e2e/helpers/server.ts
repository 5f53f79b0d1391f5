// Starts the real server (src/server/server.ts) as a child process on a free port with a fresh DATA_DIR.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const HERE = path.dirname(fileURLToPath(import.meta.url))

const ROOT = path.resolve(HERE, '../../..')
const TSX_CLI = path.join(ROOT, 'node_modules/tsx/dist/cli.mjs')

export type RunningServer = {
  /** http://localhost:PORT — the origin the server expects on writes (its default BASE_URL). */
  baseUrl: string
  port: number
  dataDir: string
  /** Everything the server printed so far (for failure messages). */
  output: () => string
  stop: () => Promise<void>
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

/** `env` is added to a minimal environment (PORT, DATA_DIR and quiet logs are set here). */
export async function startServer(env: Record<string, string> = {}, { readyTimeoutMs = 60_000 } = {}): Promise<RunningServer> {
  if (!fs.existsSync(path.join(ROOT, 'dist/web/staff/index.html'))) {
    throw new Error('dist/web is missing: run `npm run build` before the e2e tests (npm run test:e2e does).')
  }
  const port = await freePort()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coeffection-e2e-'))
  const baseUrl = `http://localhost:${port}`
  let output = ''
  const child: ChildProcess = spawn(process.execPath, [TSX_CLI, 'src/server/server.ts'], {
    cwd: ROOT,
    detached: true, // its own process group, so stop() ends tsx and the node process it starts
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? os.tmpdir(),
      TMPDIR: process.env.TMPDIR ?? os.tmpdir(),
      LOG_LEVEL: 'warn',
      ...env,
      PORT: String(port),
      DATA_DIR: dataDir,
    },
  })
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM')
      } catch {
        // already gone
      }
      const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    }
    fs.rmSync(dataDir, { recursive: true, force: true })
  }

  const deadline = Date.now() + readyTimeoutMs
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The server exited with code ${child.exitCode} before it was ready:\n${output}`)
    try {
      const res = await fetch(`${baseUrl}/readyz`)
      if (res.ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`The server was not ready after ${readyTimeoutMs} ms:\n${output}`)
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  return { baseUrl, port, dataDir, output: () => output, stop }
}
