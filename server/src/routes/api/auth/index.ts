import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import Type from 'typebox'
import { ApiError, ChangePasswordBody, CsrfResponse, LoginBody, SessionResponse } from '@ioc/shared'
import { HttpError } from '../../../http-error.ts'
import { normaliseUsername } from '../../../plugins/app/auth/accounts-service.ts'
import { LOGIN_LIMITS } from '../../../plugins/app/auth/login-limits.ts'


const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 429: ApiError }
const attemptedUsername = (request: FastifyRequest) => normaliseUsername(String((request.body as { username?: unknown } | undefined)?.username ?? '')).slice(0, 64)

/** Login, logout, the current user, and the user's own password. */
const authRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const lastThrottleAudit = new Map<string, number>()
  const auditThrottled = (request: FastifyRequest, key: string, scope: string) => {
    // One audit entry per throttled key and minute: a password-guessing run must not flood the log.
    const now = Date.now()
    if ((lastThrottleAudit.get(key) ?? 0) > now - 60_000) return
    if (lastThrottleAudit.size > 10_000) lastThrottleAudit.clear()
    lastThrottleAudit.set(key, now)
    void fastify.audit
      .record({ action: 'auth.login_throttled', actor: attemptedUsername(request), ip: request.ip, target: scope })
      .catch((error: unknown) => request.log.error({ err: error }, 'audit write failed'))
  }
  // Two limits on one route: @fastify/rate-limit runs one route hook per request, so both are checked
  // here with its createRateLimit. Every attempt counts (an atomic increment before the password check).
  const limits = [
    { scope: 'per address', check: fastify.createRateLimit({ max: LOGIN_LIMITS.perAddress, timeWindow: LOGIN_LIMITS.windowMs, keyGenerator: (request) => `login-address:${request.ip}` }) },
    { scope: 'per account', check: fastify.createRateLimit({ max: LOGIN_LIMITS.perAccount, timeWindow: LOGIN_LIMITS.windowMs, keyGenerator: (request) => `login-account:${attemptedUsername(request)}` }) },
  ]
  const limitLogins = async (request: FastifyRequest, reply: FastifyReply) => {
    for (const { scope, check } of limits) {
      const limit = await check(request)
      if (limit.isAllowed || !limit.isExceeded) continue
      auditThrottled(request, limit.key, scope)
      void reply.header('retry-after', String(limit.ttlInSeconds))
      throw new HttpError(429, `too many login attempts ${scope}; try again in ${Math.ceil(limit.ttlInSeconds / 60)} minutes`)
    }
  }

  fastify.get(
    '/auth/csrf',
    {
      config: { access: 'public' },
      schema: { tags: ['auth'], summary: 'A CSRF token for the login form (send it as x-csrf-token)', response: { 200: CsrfResponse } },
    },
    async (request, reply) => ({ csrfToken: reply.generateCsrf({ userInfo: request.auth?.session.id ?? 'anonymous' }) }),
  )

  fastify.post(
    '/auth/login',
    {
      config: { access: 'public' },
      preHandler: limitLogins,
      schema: {
        tags: ['auth'],
        summary: 'Log in: sets the session cookie and returns the user and the CSRF token of the new session',
        description: `Needs the x-csrf-token from GET /api/auth/csrf. At most ${LOGIN_LIMITS.perAccount} attempts per account and ${LOGIN_LIMITS.perAddress} per address in ${LOGIN_LIMITS.windowMs / 60_000} minutes (then 429 with Retry-After).`,
        body: LoginBody,
        response: { 200: SessionResponse, ...errors },
      },
    },
    async (request, reply) => {
      const result = await fastify.accounts.checkLogin(request.body.username, request.body.password)
      if (!result.ok) {
        await fastify.audit.record({ action: 'auth.login_failed', actor: attemptedUsername(request), ip: request.ip, detail: { reason: result.reason } })
        // The same answer for an unknown user and a wrong password: it does not say which usernames exist.
        if (result.reason === 'disabled') throw new HttpError(403, 'this account is disabled; ask an administrator')
        throw new HttpError(401, 'wrong username or password')
      }
      await fastify.accounts.recordLogin(result.user.id)
      await fastify.audit.record({ action: 'auth.login', actor: result.user.username, ip: request.ip, detail: { userAgent: request.headers['user-agent']?.slice(0, 200) ?? null } })
      return fastify.sessions.start(request, reply, result.user)
    },
  )

  fastify.post(
    '/auth/logout',
    {
      config: { access: 'session' },
      schema: { tags: ['auth'], summary: 'Log out: ends this session (its sockets are disconnected)', response: { 204: Type.Null(), 401: ApiError, 403: ApiError } },
    },
    async (request, reply) => {
      const { session, user } = request.auth!
      await fastify.sessions.store.delete(session.id)
      fastify.sessions.end([session.id])
      await fastify.audit.record({ action: 'auth.logout', actor: user.username, ip: request.ip })
      reply.clearCookie(fastify.sessions.cookieName, { path: '/' })
      return reply.code(204).send(null)
    },
  )

  fastify.get(
    '/me',
    {
      config: { access: 'session' },
      schema: { tags: ['auth'], summary: 'The logged-in user, their permissions and the CSRF token of this session', response: { 200: SessionResponse, 401: ApiError } },
    },
    async (request, reply) => fastify.sessions.describe(request, reply, request.auth!.session, request.auth!.user),
  )

  fastify.post(
    '/auth/password',
    {
      config: { access: 'session' },
      schema: {
        tags: ['auth'],
        summary: "Change one's own password (required after a one-time password); the user's other sessions end",
        body: ChangePasswordBody,
        response: { 200: SessionResponse, ...errors },
      },
    },
    async (request, reply) => {
      const { session, user } = request.auth!
      const updated = await fastify.accounts.changePassword(user, request.body.currentPassword, request.body.newPassword, session.id, fastify.actorOf(request))
      return fastify.sessions.describe(request, reply, session, updated)
    },
  )
}
export default authRoutes
