import { randomUUID } from 'node:crypto'
import type { CsrfResponse, Role, SessionResponse } from '@ioc/shared'
import type { TestServer } from './server.ts'

/** The `admin` account every test server starts with (IOC_ADMIN_PASSWORD). */
export const TEST_ADMIN = { username: 'admin', password: 'test-admin-password' } as const

/** An area of the Tam Kỳ pack (Xã Tam Thăng, GSO 20362) and another (Phường Hòa Hương, 20344). */
export const TEST_AREA = '20362'
export const OTHER_AREA = '20344'

export interface TestAccount {
  id: number
  username: string
  password: string
}

/**
 * An account made straight through the server's accounts service, with a password it keeps (no
 * first-login change), unless `mustChangePassword`.
 */
export async function addUser(
  server: Pick<TestServer, 'app'>,
  options: { role: Role; areaId?: string; username?: string; fullName?: string; mustChangePassword?: boolean },
): Promise<TestAccount> {
  const username = options.username ?? `${options.role.replace('_', '-')}-${randomUUID().slice(0, 8)}`
  const password = `pw-${randomUUID()}`
  const { user } = await server.app.accounts.create(
    { username, fullName: options.fullName ?? `Người dùng thử ${username}`, role: options.role, areaId: options.areaId ?? (options.role === 'area_staff' ? TEST_AREA : null), password },
    { username: 'test-setup', ip: null },
    { keepPassword: !options.mustChangePassword },
  )
  return { id: user.id, username, password }
}

/** A logged-in HTTP client: its cookie header and the session's CSRF token. */
export interface TestSession extends SessionResponse {
  cookie: string
  /** fetch() against the server with this session's cookie, and its CSRF token on unsafe methods. */
  fetch(path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>
}

const cookiesOf = (response: Response): Record<string, string> =>
  Object.fromEntries(
    response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0]!)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  )
const cookieHeader = (jar: Record<string, string>) =>
  Object.entries(jar)
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `${name}=${value}`)
    .join('; ')

/** An anonymous client with a CSRF token, as the login page has before anyone logs in. */
export async function anonymousClient(baseUrl: string) {
  const response = await fetch(`${baseUrl}/api/auth/csrf`)
  const jar = cookiesOf(response)
  const { csrfToken } = (await response.json()) as CsrfResponse
  return {
    jar,
    csrfToken,
    /** POST /api/auth/login as a browser would; the raw response. */
    login: (username: string, password: string, headers: Record<string, string> = {}) =>
      fetch(`${baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: cookieHeader(jar), 'x-csrf-token': csrfToken, ...headers },
        body: JSON.stringify({ username, password }),
      }),
  }
}

/** Logs in over real HTTP (CSRF token, then login) and returns the session. Throws unless 200. */
export async function login(baseUrl: string, username: string, password: string): Promise<TestSession> {
  const client = await anonymousClient(baseUrl)
  const response = await client.login(username, password)
  if (response.status !== 200) throw new Error(`login of ${username} answered ${response.status}: ${await response.text()}`)
  const jar = { ...client.jar, ...cookiesOf(response) }
  return sessionOf(baseUrl, jar, (await response.json()) as SessionResponse)
}

function sessionOf(baseUrl: string, jar: Record<string, string>, answer: SessionResponse): TestSession {
  const session: TestSession = {
    ...answer,
    cookie: cookieHeader(jar),
    fetch(path, init = {}) {
      const method = init.method ?? 'GET'
      const headers: Record<string, string> = { cookie: session.cookie, ...init.headers }
      if (method !== 'GET' && method !== 'HEAD') headers['x-csrf-token'] ??= session.csrfToken
      if (init.body !== undefined) headers['content-type'] ??= 'application/json'
      return fetch(`${baseUrl}${path}`, { method, headers, ...(init.body !== undefined && { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }) })
    },
  }
  return session
}

/** A new account of this role (area staff: in TEST_AREA unless told), logged in. */
export async function loginAs(server: TestServer, role: Role, options: { areaId?: string } = {}): Promise<TestSession & { account: TestAccount }> {
  const account = await addUser(server, { role, ...options })
  return { ...(await login(server.baseUrl, account.username, account.password)), account }
}

export const loginAsAdmin = (server: TestServer) => login(server.baseUrl, TEST_ADMIN.username, TEST_ADMIN.password)
