// `npm run seed`: seeds the demo workspace into an empty database.
import path from 'node:path'
import { loadConfig } from '../config.js'
import { createMailer } from '../email/mailer.js'
import { createLocalStore } from '../storage/local-store.js'
import { migrateToLatest, openDatabase } from './database.js'
import { isEmpty, seedDemo } from './seed.js'

const config = loadConfig()
const { db, dialect } = openDatabase(config.databaseUrl)
await migrateToLatest(db)
const deps = { config, db, dialect, clock: () => new Date(), mailer: createMailer(config), storage: createLocalStore(path.join(config.dataDir, 'storage')) }
if (!(await isEmpty(deps))) {
  console.log('The database already holds a workspace; nothing seeded. Use a fresh DATA_DIR or DATABASE_URL.')
} else {
  const r = await seedDemo(deps, { email: config.adminEmail, password: config.adminPassword })
  console.log(`Demo workspace seeded. Sign in as ${r.adminEmail}${r.generatedPassword ? ` with password ${r.adminPassword}` : ''}`)
}
await db.destroy()
