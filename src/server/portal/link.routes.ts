// Public doorway: the magic link page and the exchange. A GET or HEAD of a link never writes anything;
// only the page's same-origin POST creates a session.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { FastifyReply } from 'fastify'
import { z } from 'zod'
import type { Deps } from '../deps.js'
import { exchangeLink, isLinkUsable } from './access/access.service.js'
import { clearPortalCookie, portalCookieName, setPortalCookie, requestMeta } from './cookies.js'
import { continuePage, invalidLinkPage, LINK_SCRIPT } from './pages.js'
import { defaultBrand } from './brand.js'

const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer')

export const linkRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const limited = { rateLimit: { max: 30, timeWindow: '1 minute' } }
  // The same answer for unknown, expired, superseded and revoked links, so nothing leaks.
  const invalid = async (reply: FastifyReply) => noStore(reply).status(410).type('text/html; charset=utf-8').send(invalidLinkPage(await defaultBrand(deps)))

  app.head('/portal/l/:token', { config: limited, schema: { hide: true } }, async (_request, reply) => noStore(reply).status(200).type('text/html; charset=utf-8').send())

  app.get('/portal/l/:token', { config: limited, schema: { hide: true, params: z.object({ token: z.string().max(200) }) } }, async (request, reply) => {
    if (!(await isLinkUsable(deps, request.params.token))) return invalid(reply)
    return noStore(reply).type('text/html; charset=utf-8').send(continuePage(await defaultBrand(deps), request.params.token))
  })

  app.get('/portal/link.js', { schema: { hide: true } }, async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(LINK_SCRIPT))

  app.post(
    '/portal/session',
    { config: limited, schema: { hide: true, body: z.object({ token: z.string().max(200) }) } },
    async (request, reply) => {
      const session = await exchangeLink(deps, request.body.token, requestMeta(request), request.cookies[portalCookieName(deps.config)])
      if (!session) {
        clearPortalCookie(reply, deps.config)
        return invalid(reply)
      }
      setPortalCookie(reply, deps.config, session)
      return noStore(reply).redirect('/portal', 303)
    },
  )
}
