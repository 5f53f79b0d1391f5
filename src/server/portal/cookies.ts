// The portal session cookie: separate from staff's, HttpOnly, SameSite=Lax, Secure (and __Host-) under https.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../config.js'
import type { RequestMeta } from './access/events.js'

export const portalCookieName = (config: Pick<Config, 'secureCookies'>) => (config.secureCookies ? '__Host-portal_sid' : 'portal_sid')

export function setPortalCookie(reply: FastifyReply, config: Config, session: { token: string; expiresAt: Date }) {
  reply.setCookie(portalCookieName(config), session.token, { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secureCookies, expires: session.expiresAt })
}

export function clearPortalCookie(reply: FastifyReply, config: Config) {
  reply.clearCookie(portalCookieName(config), { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secureCookies })
}

export const requestMeta = (request: FastifyRequest): RequestMeta => ({ ip: request.ip ?? null, userAgent: request.headers['user-agent'] ?? null })
