// Public pages behind email links: confirm a subscription (double opt-in) and unsubscribe (RFC 8058).
// A GET only renders a page; the page's POST makes the change, so a link scanner changes nothing.
// The unsubscribe token grants preference changes only — never a portal session.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { FastifyReply } from 'fastify'
import { z } from 'zod'
import type { Deps } from '../deps.js'
import { brandOf, findWorkspaceById } from '../modules/workspace/workspace.service.js'
import { defaultBrand } from './brand.js'
import { requestMeta } from './cookies.js'
import { changeByUnsubscribeToken, confirmSubscription, confirmTokenWorkspace, findByUnsubscribeToken } from './notifications/subscriptions.service.js'
import { confirmPage, invalidTokenPage, messagePage, unsubscribePage, type PageBrand } from './pages.js'

const TokenParams = z.object({ token: z.string().max(200) })
const html = (reply: FastifyReply, status: number, body: string) =>
  reply.status(status).header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').type('text/html; charset=utf-8').send(body)

export const subscriptionRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const limited = { rateLimit: { max: 30, timeWindow: '1 minute' } }
  const brandFor = async (workspaceId: string): Promise<PageBrand> => brandOf(await findWorkspaceById(deps, workspaceId))
  const invalid = async (reply: FastifyReply) => html(reply, 410, invalidTokenPage(await defaultBrand(deps)))

  // A usable token names its workspace, whose brand the page carries (never another tenant's);
  // unknown and expired tokens both get the deployment's invalid page, so they look the same.
  app.get('/portal/confirm/:token', { config: limited, schema: { hide: true, params: TokenParams } }, async (request, reply) => {
    const workspaceId = await confirmTokenWorkspace(deps, request.params.token)
    return workspaceId ? html(reply, 200, confirmPage(await brandFor(workspaceId), request.params.token)) : invalid(reply)
  })
  app.post('/portal/confirm', { config: limited, schema: { hide: true, body: z.object({ token: z.string().max(200) }) } }, async (request, reply) => {
    const workspaceId = await confirmSubscription(deps, request.body.token, requestMeta(request))
    return workspaceId
      ? html(reply, 200, messagePage(await brandFor(workspaceId), 'You are subscribed', 'Thank you. We will email you about the updates you chose. Every email has a link to stop them.'))
      : invalid(reply)
  })

  const pageFor = async (token: string) => {
    const sub = await findByUnsubscribeToken(deps, token)
    if (!sub) return undefined
    const company = await deps.db.selectFrom('companies').select('name').where('id', '=', sub.company_id).executeTakeFirst()
    return { sub, brand: await brandFor(sub.workspace_id), companyName: company?.name ?? 'your' }
  }
  app.get('/portal/unsubscribe/:token', { config: limited, schema: { hide: true, params: TokenParams } }, async (request, reply) => {
    const found = await pageFor(request.params.token)
    if (!found) return invalid(reply)
    return html(reply, 200, unsubscribePage(found.brand, request.params.token, { subscribed: found.sub.status === 'confirmed', companyName: found.companyName }))
  })
  // RFC 8058: mail providers POST `List-Unsubscribe=One-Click` from elsewhere, so this route accepts
  // other origins — but only to unsubscribe. Re-subscribing must come from our own page.
  app.post(
    '/portal/unsubscribe/:token',
    // The body is urlencoded (our page, most providers) or multipart/form-data (the encoding RFC 8058 asks
    // receivers to use), which is not parsed here and arrives as null: either way it is an unsubscribe.
    { config: { ...limited, allowCrossOrigin: true }, schema: { hide: true, params: TokenParams, body: z.record(z.string(), z.string()).nullish() } },
    async (request, reply) => {
      // Our page is served under `Referrer-Policy: no-referrer`, so a browser posts its form with
      // `Origin: null`; then Sec-Fetch-Site (which no script can set) tells whether it came from our page.
      const site = request.headers['sec-fetch-site']
      const origin = request.headers.origin
      const sameOrigin =
        (!site || site === 'same-origin') && (origin === new URL(deps.config.baseUrl).origin || ((!origin || origin === 'null') && site === 'same-origin'))
      const action = request.body?.action === 'resubscribe' && sameOrigin ? 'resubscribe' : 'unsubscribe'
      const state = await changeByUnsubscribeToken(deps, request.params.token, action)
      if (!state) return invalid(reply)
      const found = (await pageFor(request.params.token))!
      return html(reply, 200, unsubscribePage(found.brand, request.params.token, { subscribed: state.status === 'confirmed', companyName: found.companyName }))
    },
  )
}
