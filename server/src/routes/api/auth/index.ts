import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import Type from 'typebox'
import { ApiError, ChangePasswordBody, CsrfResponse, LoginBody, SessionResponse } from '@ioc/shared'
import { HttpError } from '../../../http-error.ts'
import { normaliseUsername, WrongCurrentPassword } from '../../../plugins/app/auth/accounts.service.ts'
import type { LoginOutcome } from '../../../plugins/app/auth/login-limits.ts'

const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 429: ApiError }
const attemptedUsername = (request: FastifyRequest) => normaliseUsername(String((request.body as { username?: unknown } | undefined)?.username ?? '')).slice(0, 64)

/** Login, logout, the current user, and the user's own password. */
const authRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const limits = fastify.loginLimits
  const lastLimitAudit = new Map<string, number>()
  /** One audit entry per limit, key and minute: a password-guessing run must not flood the log. */
  const auditLimit = async (request: FastifyRequest, key: string, target: string, detail?: Record<string, unknown>) => {
    const now = Date.now()
    if ((lastLimitAudit.get(key) ?? 0) > now - 60_000) return
    if (lastLimitAudit.size > 10_000) lastLimitAudit.clear()
    lastLimitAudit.set(key, now)
    await fastify.audit
      .record({ action: 'auth.login_throttled', actor: attemptedUsername(request), ip: request.ip, target, ...(detail && { detail }) })
      .catch((error: unknown) => request.log.error({ err: error }, 'audit write failed'))
  }
  const minutes = (ms: number) => Math.max(1, Math.ceil(ms / 60_000))
  const { windowMs, perAccountAndAddress, perAddress, slowAfter, slowMaxMs } = limits.limits

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
      schema: {
        tags: ['auth'],
        summary: 'Log in: sets the session cookie and returns the user and the CSRF token of the new session',
        description:
          `Needs the x-csrf-token from GET /api/auth/csrf. Only failed logins count: after ${perAccountAndAddress} for one account from one address, or ${perAddress} from one address over all accounts, ` +
          `in ${windowMs / 60_000} minutes, that address gets 429 with Retry-After; a success clears its account's count from its address. ` +
          `An account with ${slowAfter} failures from all addresses is slowed, not refused: each attempt waits a little longer before its check, at most ${slowMaxMs / 1000} s.`,
        body: LoginBody,
        response: { 200: SessionResponse, ...errors },
      },
    },
    async (request, reply) => {
      const account = attemptedUsername(request)
      const admission = await limits.admit(account, request.ip)
      if (!admission.admitted) {
        await auditLimit(request, `${admission.scope}:${request.ip} ${account}`, admission.scope === 'address' ? 'per address' : 'per account from this address')
        void reply.header('retry-after', String(Math.ceil(admission.retryAfterMs / 1000)))
        const from = admission.scope === 'address' ? 'from your address' : 'for this account from your address'
        throw new HttpError(429, `too many failed logins ${from}; try again in ${minutes(admission.retryAfterMs)} minutes`)
      }
      if (admission.delayMs > 0) {
        // Recorded once the attempt has waited: the entry says the account is guessed from many addresses.
        await auditLimit(request, `slowed:${account}`, 'account slowed (failures from many addresses)', { delayMs: admission.delayMs, failures: admission.accountFailures })
      }
      let outcome: LoginOutcome = 'neither'
      try {
        const result = await fastify.accounts.checkLogin(request.body.username, request.body.password)
        if (!result.ok) {
          // A disabled account's right password is no failed guess.
          if (result.reason !== 'disabled') outcome = 'failure'
          await fastify.audit.record({ action: 'auth.login_failed', actor: account, ip: request.ip, detail: { reason: result.reason } })
          // The same answer for an unknown user and a wrong password: it does not say which usernames exist.
          if (result.reason === 'disabled') throw new HttpError(403, 'this account is disabled; ask an administrator')
          throw new HttpError(401, 'wrong username or password')
        }
        outcome = 'success'
        await fastify.accounts.recordLogin(result.user.id)
        await fastify.audit.record({ action: 'auth.login', actor: result.user.username, ip: request.ip, detail: { userAgent: request.headers['user-agent']?.slice(0, 200) ?? null } })
        return await fastify.sessions.start(request, reply, result.user)
      } finally {
        await limits.settle(account, request.ip, outcome).catch((error: unknown) => request.log.error({ err: error }, 'counting a login attempt failed'))
      }
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
      // The current password is checked here too: a stolen session cookie must not make it a way to
      // guess the password without the login limits. A wrong one counts as a failed login.
      const admission = await limits.admit(user.username, request.ip)
      if (!admission.admitted) {
        await auditLimit(request, `${admission.scope}:${request.ip} ${user.username}`, admission.scope === 'address' ? 'per address' : 'per account from this address')
        void reply.header('retry-after', String(Math.ceil(admission.retryAfterMs / 1000)))
        throw new HttpError(429, `too many wrong passwords from your address; try again in ${minutes(admission.retryAfterMs)} minutes`)
      }
      let outcome: LoginOutcome = 'neither'
      try {
        const updated = await fastify.accounts.changePassword(user, request.body.currentPassword, request.body.newPassword, session.id, fastify.actorOf(request))
        outcome = 'success'
        return fastify.sessions.describe(request, reply, session, updated)
      } catch (error) {
        if (error instanceof WrongCurrentPassword) outcome = 'failure'
        throw error
      } finally {
        await limits.settle(user.username, request.ip, outcome).catch((error: unknown) => request.log.error({ err: error }, 'counting a password check failed'))
      }
    },
  )
}
export default authRoutes
