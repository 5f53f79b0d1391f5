import type { Config } from './config.js'
import type { Db, Dialect } from './db/database.js'
import type { Mailer } from './email/mailer.js'
import type { FileStore } from './storage/file-store.js'

/** Everything a service may use, built once by server.ts (or the test helper) and passed down. */
export interface Deps {
  config: Config
  db: Db
  dialect: Dialect
  clock: () => Date
  mailer: Mailer
  storage: FileStore
}
