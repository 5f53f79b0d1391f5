// Shared setup and assertions for the staff API tests: one app, two workspaces, signed-in headers.
import { randomUUID } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { expect } from 'vitest'
import { createWorkspace, signInStaff, type WorkspaceFixture } from '../factories.js'
import { buildTestApp, ORIGIN, snapshotTables, type TestApp } from './app.js'
import type { TestDatabase } from './databases.js'

export type Res = LightMyRequestResponse

export interface StaffWorld {
  t: TestApp
  /** The caller's workspace. */
  ws: WorkspaceFixture
  /** Another tenant: nothing of it may be reachable from `ws`. */
  other: WorkspaceFixture
  admin: Record<string, string>
  member: Record<string, string>
  otherAdmin: Record<string, string>
  /** Same-origin headers with no session cookie. */
  anonymous: Record<string, string>
  inject(options: InjectOptions): Promise<Res>
}

export async function buildStaffWorld(db: TestDatabase): Promise<StaffWorld> {
  const t = await buildTestApp(db)
  const ws = await createWorkspace(t.deps)
  const other = await createWorkspace(t.deps)
  const [admin, member, otherAdmin] = await Promise.all([signInStaff(t.app, ws.admin.email), signInStaff(t.app, ws.member.email), signInStaff(t.app, other.admin.email)])
  return { t, ws, other, admin, member, otherAdmin, anonymous: { ...ORIGIN }, inject: (options) => t.app.inject(options) }
}

/** A well-formed id that names nothing. */
export const missingId = () => randomUUID()

/** Runs `act` and proves that no table changed: a rejected request writes nothing. */
export async function expectNothingWritten(t: TestApp, act: () => Promise<Res>): Promise<Res> {
  const before = await snapshotTables(t.deps)
  const res = await act()
  expect(await snapshotTables(t.deps)).toEqual(before)
  return res
}

/** A 400 that names the field at fault, both in `field` and in the message a person reads. */
export function expectFieldError(res: Res, field: string): void {
  expect(res.statusCode, res.body).toBe(400)
  const { error } = res.json() as { error: { code: string; message: string; field?: string } }
  expect(error.code).toBe('VALIDATION')
  expect(error.field).toBe(field)
  expect(error.message).toContain(field)
  expect(res.body).not.toMatch(/at .*\.(ts|js):\d+/) // no stack trace
}

/** 404 with the same body as an id that does not exist at all. */
export function expectNotFound(res: Res): void {
  expect(res.statusCode, res.body).toBe(404)
  expect(res.json().error.code).toBe('NOT_FOUND')
}

export function expectStatus(res: Res, status: number): void {
  expect(res.statusCode, res.body).toBe(status)
}

/** A JSON body Fastify cannot parse, sent as application/json. */
export const brokenJson = (headers: Record<string, string>) => ({ headers: { ...headers, 'content-type': 'application/json' }, payload: '{"name": "x",' })

/** Every file under the app's local storage folder, as paths relative to it. */
export async function storedFiles(t: TestApp): Promise<string[]> {
  const root = path.join(t.dataDir, 'storage')
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true }).catch(() => [])
  return entries.filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name))).sort()
}

/** A multipart body with one file part, as a browser's FormData would send it. */
export function fileForm(bytes: Uint8Array | Buffer, filename: string, type?: string): FormData {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(bytes)], type ? { type } : {}), filename)
  return form
}
