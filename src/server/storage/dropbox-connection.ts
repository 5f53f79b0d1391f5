// A workspace's Dropbox connection: OAuth 2 with PKCE, tokens encrypted at rest, transparent refresh,
// and a revoked token marking the connection broken (Settings → Storage says so).
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { hashToken } from '../security/tokens.js'
import { createDropboxApi, DropboxAuthError } from './dropbox-api.js'
import { createAuthorization, decryptSecret, encryptSecret, exchangeCode, getCurrentAccount, refreshAccessToken } from './dropbox-oauth.js'
import { createDropboxStore, type DropboxStore } from './dropbox-store.js'

const STATE_TTL_MS = 10 * 60_000

export interface StorageStatus {
  provider: 'local' | 'dropbox'
  dropboxAvailable: boolean
  dropbox: { accountName: string; accountEmail: string; status: 'connected' | 'broken'; brokenReason: string | null; connectedAt: string } | null
}

const redirectUri = (deps: Deps) => `${deps.config.baseUrl}/api/v1/storage/dropbox/callback`

function requireDropbox(deps: Deps) {
  if (!deps.config.dropbox) throw new AppError('VALIDATION', 'Dropbox is not configured on this server (set DROPBOX_APP_KEY, DROPBOX_APP_SECRET and TOKEN_ENCRYPTION_KEY)')
  return deps.config.dropbox
}

const findConnection = (deps: Deps, workspaceId: string) =>
  deps.db.selectFrom('storage_connections').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst()

export async function storageStatus(deps: Deps, workspaceId: string): Promise<StorageStatus> {
  const c = await findConnection(deps, workspaceId)
  return {
    provider: c?.status === 'connected' ? 'dropbox' : 'local',
    dropboxAvailable: Boolean(deps.config.dropbox),
    dropbox: c ? { accountName: c.account_name, accountEmail: c.account_email, status: c.status, brokenReason: c.broken_reason, connectedAt: c.connected_at } : null,
  }
}

/** Step 1: where to send the admin's browser. The PKCE verifier stays with us, encrypted, bound to the state. */
export async function startDropboxConnect(deps: Deps, workspaceId: string, userId: string): Promise<string> {
  const dbx = requireDropbox(deps)
  const auth = createAuthorization({ appKey: dbx.appKey, redirectUri: redirectUri(deps), ...(dbx.authorizeUrl && { authorizeUrl: dbx.authorizeUrl }) })
  await deps.db
    .insertInto('oauth_states')
    .values({
      state_hash: hashToken(auth.state),
      workspace_id: workspaceId,
      user_id: userId,
      verifier_enc: encryptSecret(auth.verifier, dbx.encryptionKey, workspaceId),
      expires_at: new Date(deps.clock().getTime() + STATE_TTL_MS).toISOString(),
    })
    .execute()
  return auth.url
}

/** Step 2: the callback. The state must be one we issued to this workspace's admin, unexpired, used once. */
export async function finishDropboxConnect(deps: Deps, workspaceId: string, userId: string, input: { code: string; state: string }): Promise<void> {
  const dbx = requireDropbox(deps)
  const hash = hashToken(input.state)
  const row = await deps.db
    .selectFrom('oauth_states')
    .selectAll()
    .where('state_hash', '=', hash)
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .where('expires_at', '>', deps.clock().toISOString())
    .executeTakeFirst()
  await deps.db.deleteFrom('oauth_states').where('state_hash', '=', hash).execute()
  if (!row) throw new AppError('VALIDATION', 'This Dropbox sign-in expired or was not started here. Please connect again.')
  const tokens = await exchangeCode({
    appKey: dbx.appKey,
    appSecret: dbx.appSecret,
    ...(dbx.tokenUrl && { tokenUrl: dbx.tokenUrl }),
    code: input.code,
    verifier: decryptSecret(row.verifier_enc, dbx.encryptionKey, workspaceId),
    redirectUri: redirectUri(deps),
  })
  const api = createDropboxApi({ getAccessToken: async () => tokens.accessToken, ...(dbx.apiUrl && { apiUrl: dbx.apiUrl }), ...(dbx.contentUrl && { contentUrl: dbx.contentUrl }) })
  const account = await getCurrentAccount(api)
  const now = deps.clock().toISOString()
  const values = {
    provider: 'dropbox' as const,
    account_id: tokens.accountId,
    account_name: account.displayName || account.email,
    account_email: account.email,
    access_token_enc: encryptSecret(tokens.accessToken, dbx.encryptionKey, workspaceId),
    refresh_token_enc: encryptSecret(tokens.refreshToken, dbx.encryptionKey, workspaceId),
    access_expires_at: (tokens.expiresAt ?? new Date(Date.parse(now) + 4 * 3600_000)).toISOString(),
    status: 'connected' as const,
    broken_reason: null,
    connected_by_user_id: userId,
    connected_at: now,
    updated_at: now,
  }
  await deps.db.deleteFrom('storage_connections').where('workspace_id', '=', workspaceId).execute()
  await deps.db.insertInto('storage_connections').values({ workspace_id: workspaceId, ...values }).execute()
}

export async function disconnectDropbox(deps: Deps, workspaceId: string): Promise<void> {
  await deps.db.deleteFrom('storage_connections').where('workspace_id', '=', workspaceId).execute()
}

async function markBroken(deps: Deps, workspaceId: string, reason: string) {
  await deps.db.updateTable('storage_connections').set({ status: 'broken', broken_reason: reason, updated_at: deps.clock().toISOString() }).where('workspace_id', '=', workspaceId).execute()
}

/**
 * The connected Dropbox of a workspace, or undefined when none is connected (or Dropbox is not
 * configured). A broken connection throws: files must not silently land in the local folder instead.
 */
export async function dropboxStoreFor(deps: Deps, workspaceId: string): Promise<DropboxStore | undefined> {
  const dbx = deps.config.dropbox
  const c = dbx ? await findConnection(deps, workspaceId) : undefined
  if (!dbx || !c) return undefined
  if (c.status !== 'connected') throw new AppError('CONFLICT', 'The Dropbox connection is broken; an admin can reconnect it in Settings → Storage')
  let access = decryptSecret(c.access_token_enc, dbx.encryptionKey, workspaceId)
  const refresh = async () => {
    try {
      const next = await refreshAccessToken({
        appKey: dbx.appKey,
        appSecret: dbx.appSecret,
        ...(dbx.tokenUrl && { tokenUrl: dbx.tokenUrl }),
        refreshToken: decryptSecret(c.refresh_token_enc, dbx.encryptionKey, workspaceId),
      })
      access = next.accessToken
      await deps.db
        .updateTable('storage_connections')
        .set({
          access_token_enc: encryptSecret(next.accessToken, dbx.encryptionKey, workspaceId),
          access_expires_at: (next.expiresAt ?? new Date(deps.clock().getTime() + 4 * 3600_000)).toISOString(),
          updated_at: deps.clock().toISOString(),
        })
        .where('workspace_id', '=', workspaceId)
        .execute()
    } catch (err) {
      if (err instanceof DropboxAuthError) await markBroken(deps, workspaceId, 'Dropbox refused our access (the app was disconnected or the token revoked). Reconnect in Settings → Storage.')
      throw err
    }
  }
  if (new Date(c.access_expires_at).getTime() - deps.clock().getTime() < 60_000) await refresh()
  const api = createDropboxApi({
    getAccessToken: async () => access,
    onUnauthorized: refresh,
    ...(dbx.apiUrl && { apiUrl: dbx.apiUrl }),
    ...(dbx.contentUrl && { contentUrl: dbx.contentUrl }),
  })
  const store = createDropboxStore({ api })
  // Any call refused for auth reasons marks the connection broken, so Settings can say so.
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver)
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        const result = (value as (...a: unknown[]) => unknown).apply(target, args)
        if (!(result instanceof Promise)) return result
        return result.catch(async (err: unknown) => {
          if (err instanceof DropboxAuthError) await markBroken(deps, workspaceId, 'Dropbox refused our access token. Reconnect in Settings → Storage.')
          throw err
        })
      }
    },
  }) as DropboxStore
}
