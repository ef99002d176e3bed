import csrfProtection from '@fastify/csrf-protection'
import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { audienceOf, can, holds, Permission, ROLE_PERMISSIONS, type CurrentUser, type Principal, type Role, type SessionResponse } from '@ioc/shared'
import { HttpError } from '../../../http-error.ts'
import { createAccountsService, type AccountsService, type Actor } from './accounts.service.ts'
import { createAreaLookup } from './area-lookup.ts'
import { createLoginLimiter, type LoginLimiter } from './login-limits.ts'
import { serverSecret } from '../storage/server-secrets.ts'
import { createSessionsRepository, type ActiveSession, type SessionPolicy, type SessionsRepository } from './sessions.repository.ts'
import { createUsersRepository, type UserRow } from './users.repository.ts'

/**
 * What a route requires, declared in its `config.access`: a permission from the shared list, `session`
 * (any logged-in user, even one who must still choose a password), `public`, or `device`: a station's
 * or camera's own credential (HTTP Basic), checked by the route itself — no session, so no CSRF token,
 * which protects what a browser's cookie would authorize.
 */
export type Access = Permission | 'session' | 'public' | 'device'

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access
  }
  interface FastifyRequest {
    /**
     * The logged-in session of this request, or null for an anonymous one. `principal` is who the
     * request acts as — null (the public) while the user must still choose a password: decide access
     * on it, never on `user`.
     */
    auth: { session: ActiveSession; user: UserRow; principal: Principal | null } | null
  }
  interface FastifyInstance {
    accounts: AccountsService
    /** Failed-login counts and the limits on them (login-limits.ts), shared by every instance. */
    loginLimits: LoginLimiter
    sessions: {
      store: SessionsRepository
      cookieName: string
      /** Starts a session for a user who just proved who they are: cookie set, previous session ended. */
      start(request: FastifyRequest, reply: FastifyReply, user: UserRow): Promise<SessionResponse>
      /** The answer of login, `/api/me` and a password change. */
      describe(request: FastifyRequest, reply: FastifyReply, session: { id: string; expiresAt: number }, user: UserRow): SessionResponse
      /** Ends sessions now and publishes `session.ended` (realtime disconnects their sockets). */
      end(ids: readonly string[]): void
    }
    /** Every route and what it requires, as registered: the authorization matrix test reads this. */
    accessTable: ReadonlyArray<{ method: string; url: string; access: Access }>
    /**
     * Throws 401/403 unless the request's principal (the public's, for a user who must still choose a
     * password) may use `permission` — on `target.areaId`, for area-scoped ones.
     */
    authorize(request: FastifyRequest, permission: Permission, target?: { areaId?: string }): Promise<void>
    /** Who is acting, for audit entries. */
    actorOf(request: FastifyRequest): Actor
  }
}

export interface AuthOptions {
  sessions: SessionPolicy
  /** IOC_ADMIN_PASSWORD: the first `admin` account's password; unset → a random one, logged once. */
  adminPassword: string | undefined
  /**
   * How often expired sessions are swept (and their sockets cut).
   * @defaultValue 60 000 ms
   */
  sweepEveryMs?: number
}

const SESSION_COOKIE = 'ioc_session'
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const PERMISSION_VALUES = new Set<string>(Object.values(Permission))

/** Pages and assets outside /api are public; every /api route must say what it requires. */
function defaultAccess(method: string | string[], url: string): Access | undefined {
  const methods = [method].flat()
  return !url.startsWith('/api') && methods.every((m) => m === 'GET' || m === 'HEAD') ? 'public' : undefined
}

/**
 * Who a user acts as: their role (and area), or null — the public — while they must still replace a
 * one-time password. The one place that rule lives: every access decision reads its answer.
 */
export function effectivePrincipal(user: UserRow): Principal | null {
  return user.must_change_password === 1 ? null : { role: user.role as Role, areaId: user.area_id }
}

export function currentUser(user: UserRow): CurrentUser {
  return {
    id: user.id,
    username: user.username,
    fullName: user.full_name,
    role: user.role as Role,
    areaId: user.area_id,
    mustChangePassword: user.must_change_password === 1,
    // What they may use now: the public's permissions until they have chosen their password.
    permissions: [...ROLE_PERMISSIONS[audienceOf(effectivePrincipal(user))]],
  }
}

/**
 * Accounts, sessions and authorization in one place: each request's session is read from its cookie,
 * and every route is checked against the access it declares — before its body is even read. CSRF:
 * every POST/PUT/PATCH/DELETE needs the `x-csrf-token` of its session (@fastify/csrf-protection,
 * the token bound to the session id, its key shared by every instance through the store).
 */
export default fp(
  async (fastify, opts: AuthOptions) => {
    const db = fastify.database.db
    const users = createUsersRepository(db)
    const store = createSessionsRepository(db, opts.sessions)
    const ended = (ids: readonly string[]) => {
      if (ids.length > 0) fastify.events.emit('session.ended', ids)
    }
    const accounts = createAccountsService({
      users,
      audit: fastify.audit,
      findArea: createAreaLookup(fastify.city.areas),
      endSessions: async (userId, keep) => ended(await store.deleteForUser(userId, keep)),
    })
    fastify.decorate('accounts', accounts)
    fastify.decorate('loginLimits', createLoginLimiter({ redis: fastify.cluster.redis, prefix: fastify.cluster.prefix }))

    await fastify.register(csrfProtection, {
      sessionPlugin: '@fastify/cookie',
      cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict', secure: 'auto', signed: false },
      getUserInfo: (request: FastifyRequest) => request.auth?.session.id ?? 'anonymous',
      getToken: (request: FastifyRequest) => request.headers['x-csrf-token'] as string | undefined,
      // The key is made once and kept in the store, so every instance (and restart) shares it.
      csrfOpts: { hmacKey: await serverSecret(db, 'csrf_hmac_key') },
    })

    const actorOf = (request: FastifyRequest): Actor => ({ username: request.auth?.user.username ?? null, ip: request.ip })
    fastify.decorate('actorOf', actorOf)

    const describe = (_request: FastifyRequest, reply: FastifyReply, session: { id: string; expiresAt: number }, user: UserRow): SessionResponse => ({
      user: currentUser(user),
      csrfToken: reply.generateCsrf({ userInfo: session.id }),
      expiresAt: new Date(session.expiresAt).toISOString(),
    })
    fastify.decorate('sessions', {
      store,
      cookieName: SESSION_COOKIE,
      describe,
      async start(request, reply, user) {
        // Rotation: whatever session cookie came with the login is ended, and a new token is issued.
        const previous = request.auth?.session.id
        if (previous) {
          await store.delete(previous)
          ended([previous])
        }
        const session = await store.create(user.id, { ip: request.ip, userAgent: request.headers['user-agent'] ?? null })
        reply.setCookie(SESSION_COOKIE, session.token, { path: '/', httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: Math.floor(opts.sessions.maxAgeMs / 1000) })
        request.auth = { session: { id: session.id, createdAt: Date.now(), expiresAt: session.expiresAt, user }, user, principal: effectivePrincipal(user) }
        return describe(request, reply, session, user)
      },
      end(ids) {
        ended(ids)
      },
    })

    const table: Array<{ method: string; url: string; access: Access }> = []
    fastify.decorate('accessTable', table)
    fastify.addHook('onRoute', (route) => {
      const access = route.config?.access ?? defaultAccess(route.method, route.url)
      if (access === undefined) {
        throw new Error(`route ${String(route.method)} ${route.url} declares no config.access (a permission, 'session' or 'public')`)
      }
      if (access !== 'public' && access !== 'session' && access !== 'device' && !PERMISSION_VALUES.has(access)) throw new Error(`route ${route.url}: unknown access "${access}"`)
      route.config = { ...route.config, access }
      for (const method of [route.method].flat()) if (method !== 'HEAD') table.push({ method, url: route.url, access })
    })

    const deny = async (request: FastifyRequest, what: string): Promise<never> => {
      if (!request.auth) throw new HttpError(401, 'log in first')
      // Logged in, yet acting as the public: what the public may not see waits for their own password.
      if (request.auth.principal === null) throw new HttpError(403, 'choose a new password first (POST /api/auth/password)')
      await fastify.audit.record({ action: 'access.denied', actor: request.auth.user.username, ip: request.ip, target: what, detail: { role: request.auth.user.role } })
      throw new HttpError(403, 'your role does not allow this')
    }

    fastify.decorateRequest('auth', null)
    fastify.addHook('onRequest', async (request, reply) => {
      const access = request.routeOptions.config.access
      if (access === undefined) return // no such route: the 404 handler answers
      if (access === 'device') return // the route checks the device's credential itself
      const token = request.cookies[SESSION_COOKIE]
      if (token && request.url.startsWith('/api')) {
        const session = await store.lookup(token)
        if (session) request.auth = { session, user: session.user, principal: effectivePrincipal(session.user) }
        else reply.clearCookie(SESSION_COOKIE, { path: '/' })
      }
      const route = `route:${request.method} ${request.routeOptions.url ?? request.url}`
      if (access === 'session') {
        if (!request.auth) throw new HttpError(401, 'log in first')
      } else if (access !== 'public' && !holds(request.auth?.principal ?? null, access)) {
        await deny(request, route)
      }
      if (UNSAFE.has(request.method)) {
        await new Promise<void>((resolve, reject) => {
          fastify.csrfProtection(request, reply, (error?: Error) => (error ? reject(error) : resolve()))
        })
      }
    })

    fastify.decorate('authorize', async (request: FastifyRequest, permission: Permission, target?: { areaId?: string }) => {
      if (!can(request.auth?.principal ?? null, permission, target)) await deny(request, `${permission}${target?.areaId ? ` area:${target.areaId}` : ''}`)
    })

    const bootstrap = await accounts.ensureAdmin(opts.adminPassword)
    if (bootstrap.created && bootstrap.generatedPassword) {
      // Written once, on the first start only; the admin must replace it at first login.
      fastify.log.warn(`first start: created the account "admin" with the one-time password ${bootstrap.generatedPassword} — log in and choose a new one (set IOC_ADMIN_PASSWORD to choose it yourself)`)
    } else if (bootstrap.created) {
      fastify.log.info('first start: created the account "admin" with the password in IOC_ADMIN_PASSWORD')
    }

    const sweep = () =>
      store.deleteExpired().then(ended, (error: unknown) => fastify.log.error({ err: error }, 'sweeping expired sessions failed; retrying at the next run'))
    const timer = setInterval(sweep, opts.sweepEveryMs ?? 60_000)
    timer.unref()
    fastify.addHook('onClose', async () => clearInterval(timer))
  },
  { name: 'auth', dependencies: ['events', 'storage', 'audit', 'city', 'cluster', 'security'] },
)
