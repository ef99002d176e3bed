import { afterEach, describe, expect, it } from 'vitest'
import type { AuditEntry, CsrfResponse } from '@ioc/shared'
import type { IocApp } from '@ioc/server/app'
import { LOGIN_LIMITS } from '@ioc/server/auth-limits'
import { addUser, anonymousClient, TEST_ADMIN } from '../helpers/auth.ts'
import { clusterParts } from '../helpers/cluster-parts.ts'
import { startServer, type TestServer } from '../helpers/server.ts'

/**
 * Login limits (docs/accounts.md, "Login limits"): only failures count, the hard limit is per account and client
 * address (plus one per address over all accounts), and an account guessed from many addresses is
 * slowed, never blocked. Client addresses are set with `inject({ remoteAddress })`.
 */
const cleanup: (() => unknown)[] = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})
async function server(options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  const started = await startServer(options)
  cleanup.push(() => started.close())
  return started
}

/** POST /api/auth/login from a client address, with a valid CSRF token (one for every address: it is not bound to one). */
async function loginFrom(app: IocApp) {
  const csrf = await app.inject({ method: 'GET', url: '/api/auth/csrf' })
  const cookie = csrf.cookies.find((c) => c.name === '_csrf')!.value
  const { csrfToken } = csrf.json<CsrfResponse>()
  return (remoteAddress: string, username: string, password: string) =>
    app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, headers: { cookie: `_csrf=${cookie}`, 'x-csrf-token': csrfToken }, payload: { username, password } })
}
const addresses = (n: number, net = '198.51.100') => Array.from({ length: n }, (_, i) => `${net}.${i + 1}`)
const slowed = (app: IocApp): Promise<AuditEntry[]> =>
  app.audit.list({ action: 'auth.login_throttled' }).then((entries) => entries.filter((e) => e.target?.startsWith('account slowed')))

describe('login limits', () => {
  it('refuse an attacker’s address after its failures, and let the real admin in at once from another', async () => {
    const s = await server()
    const login = await loginFrom(s.app)
    const answers: number[] = []
    for (let i = 0; i < 50; i++) answers.push((await login('203.0.113.66', TEST_ADMIN.username, `guess ${i}`)).statusCode)
    expect(answers.slice(0, LOGIN_LIMITS.perAccountAndAddress)).toEqual(Array(LOGIN_LIMITS.perAccountAndAddress).fill(401))
    expect(new Set(answers.slice(LOGIN_LIMITS.perAccountAndAddress))).toEqual(new Set([429]))
    // Refused even with the right password: from that address, for that account.
    const refused = await login('203.0.113.66', TEST_ADMIN.username.toUpperCase(), TEST_ADMIN.password)
    expect(refused.statusCode).toBe(429)
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(LOGIN_LIMITS.windowMs / 1000)
    expect(refused.json()).toEqual({ statusCode: 429, error: 'Too Many Requests', message: 'too many failed logins for this account from your address; try again in 15 minutes' })

    const real = await login('192.0.2.10', TEST_ADMIN.username, TEST_ADMIN.password)
    expect(real.statusCode).toBe(200)
    // Not slowed either: a slowed attempt leaves an audit entry, and there is none.
    expect(await slowed(s.app)).toEqual([])
    // Another account from the attacker's address is not refused by it.
    const other = await addUser(s, { role: 'staff' })
    expect((await login('203.0.113.66', other.username, other.password)).statusCode).toBe(200)
  })

  it('never count a successful login', async () => {
    const s = await server()
    const login = await loginFrom(s.app)
    const answers: number[] = []
    for (let i = 0; i < 30; i++) answers.push((await login('192.0.2.10', TEST_ADMIN.username, TEST_ADMIN.password)).statusCode)
    expect(answers).toEqual(Array(30).fill(200))
  })

  it("clear an account's count from an address when a login there succeeds", async () => {
    const s = await server()
    const account = await addUser(s, { role: 'operator' })
    const login = await loginFrom(s.app)
    for (let i = 0; i < LOGIN_LIMITS.perAccountAndAddress - 1; i++) expect((await login('192.0.2.10', account.username, `typo ${i}`)).statusCode).toBe(401)
    expect((await login('192.0.2.10', account.username, account.password)).statusCode).toBe(200)
    // The count starts again: ten more mistakes are answered as such, the next is refused.
    for (let i = 0; i < LOGIN_LIMITS.perAccountAndAddress; i++) expect((await login('192.0.2.10', account.username, `typo again ${i}`)).statusCode).toBe(401)
    expect((await login('192.0.2.10', account.username, account.password)).statusCode).toBe(429)
  })

  it('slow an account guessed from many addresses, and still let the right password in', async () => {
    const s = await server()
    const login = await loginFrom(s.app)
    // Three addresses, each up to its own limit: 30 failures on the account.
    for (const address of addresses(3)) for (let i = 0; i < LOGIN_LIMITS.perAccountAndAddress; i++) expect((await login(address, 'admin', `guess ${i}`)).statusCode).toBe(401)
    expect(await slowed(s.app)).toEqual([])

    const real = await login('192.0.2.10', TEST_ADMIN.username, TEST_ADMIN.password)
    expect(real.statusCode).toBe(200)
    const [entry, ...more] = await slowed(s.app)
    expect(more).toEqual([])
    expect(entry).toMatchObject({ actor: 'admin', ip: '192.0.2.10', detail: { delayMs: 250, failures: 30 } })
    // The wait came before the password check: the entry precedes the login it delayed.
    const [loggedIn] = await s.app.audit.list({ action: 'auth.login', actor: 'admin' })
    expect(entry!.id).toBeLessThan(loggedIn!.id)
  })

  it(`refuse an address after ${LOGIN_LIMITS.perAddress} failures over all accounts, and only that address`, async () => {
    const s = await server()
    const login = await loginFrom(s.app)
    for (let i = 0; i < LOGIN_LIMITS.perAddress; i++) expect((await login('203.0.113.66', `nobody-${i}`, 'guess')).statusCode).toBe(401)
    const refused = await login('203.0.113.66', TEST_ADMIN.username, TEST_ADMIN.password)
    expect(refused.statusCode).toBe(429)
    expect(refused.json<{ message: string }>().message).toBe('too many failed logins from your address; try again in 15 minutes')
    expect((await login('192.0.2.10', TEST_ADMIN.username, TEST_ADMIN.password)).statusCode).toBe(200)
  })

  it('record refused attempts in the audit log once per limit, key and minute', async () => {
    const s = await server()
    const client = await anonymousClient(s.baseUrl)
    for (let i = 0; i < LOGIN_LIMITS.perAccountAndAddress + 5; i++) await client.login('ke-do-doan', `guess ${i}`)
    const entries = await s.app.audit.list({ action: 'auth.login_throttled' })
    expect(entries).toEqual([expect.objectContaining({ actor: 'ke-do-doan', target: 'per account from this address', ip: '127.0.0.1' })])
  })

  it('answer an unknown username and a known one alike when refusing', async () => {
    const s = await server()
    const login = await loginFrom(s.app)
    for (const username of ['admin', 'khong-ton-tai']) for (let i = 0; i < LOGIN_LIMITS.perAccountAndAddress; i++) await login('203.0.113.66', username, 'guess')
    const known = await login('203.0.113.66', 'admin', 'guess')
    const unknown = await login('203.0.113.66', 'khong-ton-tai', 'guess')
    expect([known.statusCode, unknown.statusCode]).toEqual([429, 429])
    expect(known.json()).toEqual(unknown.json())
  })
})

describe('the current password of a password change', () => {
  it('counts as a login: a stolen session cannot guess the password past the limit, and the real user still changes it', async () => {
    const s = await server()
    const staff = await addUser(s, { role: 'staff' })
    const sessionOf = async (remoteAddress: string) => {
      const csrf = await s.app.inject({ method: 'GET', url: '/api/auth/csrf' })
      const secret = `_csrf=${csrf.cookies.find((c) => c.name === '_csrf')!.value}`
      const answer = await s.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, headers: { cookie: secret, 'x-csrf-token': csrf.json<CsrfResponse>().csrfToken }, payload: { username: staff.username, password: staff.password } })
      expect(answer.statusCode).toBe(200)
      const cookie = `${secret}; ioc_session=${answer.cookies.find((c) => c.name === 'ioc_session')!.value}`
      const { csrfToken } = answer.json<CsrfResponse>()
      return (currentPassword: string, newPassword: string) =>
        s.app.inject({ method: 'POST', url: '/api/auth/password', remoteAddress, headers: { cookie, 'x-csrf-token': csrfToken }, payload: { currentPassword, newPassword } })
    }
    const stolen = await sessionOf('203.0.113.66')
    const real = await sessionOf('192.0.2.10')
    const chosen = 'mưa lớn ở Tam Thăng đêm nay'
    const answers: number[] = []
    for (let i = 0; i < 15; i++) answers.push((await stolen(`guess number ${i}`, chosen)).statusCode)
    expect(answers.slice(0, LOGIN_LIMITS.perAccountAndAddress)).toEqual(Array(LOGIN_LIMITS.perAccountAndAddress).fill(400))
    expect(new Set(answers.slice(LOGIN_LIMITS.perAccountAndAddress))).toEqual(new Set([429]))
    // Refused before its check, even with the right password, and a login from there too: one count.
    expect((await stolen(staff.password, chosen)).statusCode).toBe(429)
    expect((await (await loginFrom(s.app))('203.0.113.66', staff.username, staff.password)).statusCode).toBe(429)
    expect((await real(staff.password, chosen)).statusCode).toBe(200)
  })
})

describe('login limits across instances', () => {
  it('are shared through Redis: failures counted on one instance refuse and slow on the other', async () => {
    const parts = await clusterParts((step) => cleanup.push(step))
    const start = (name: string) => server(parts.instance(name))
    const [a, b] = await Promise.all([start('a'), start('b')])
    const logins = [await loginFrom(a.app), await loginFrom(b.app)]

    // Each address's failures alternate between the instances, as a load balancer would send them.
    let n = 0
    for (const address of addresses(3)) {
      for (let i = 0; i < LOGIN_LIMITS.perAccountAndAddress; i++) expect((await logins[n++ % 2]!(address, 'admin', `guess ${i}`)).statusCode).toBe(401)
    }
    for (const login of logins) expect((await login(addresses(1)[0]!, 'admin', TEST_ADMIN.password)).statusCode).toBe(429)

    const real = await logins[1]!('192.0.2.10', TEST_ADMIN.username, TEST_ADMIN.password)
    expect(real.statusCode).toBe(200)
    expect(await slowed(b.app)).toEqual([expect.objectContaining({ actor: 'admin', ip: '192.0.2.10', detail: { delayMs: 250, failures: 30 } })])
  }, 60_000)
})
