import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AlarmType, AuditPage, SessionResponse, UserWithPassword } from '@ioc/shared'
import { addUser, anonymousClient, login, loginAs, loginAsAdmin, TEST_ADMIN, TEST_AREA } from '../helpers/auth.ts'
import { startServer, type TestServer } from '../helpers/server.ts'
import { connectSocket, type IocClientSocket } from '../helpers/socket.ts'

const cleanup: (() => unknown)[] = []
afterEach(async () => {
  vi.useRealTimers()
  for (const step of cleanup.splice(0).reverse()) await step()
})
async function server(options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  const started = await startServer(options)
  cleanup.push(() => started.close())
  return started
}
const sessionCookie = (response: Response) => response.headers.getSetCookie().find((c) => c.startsWith('ioc_session='))
const tokenOf = (cookie: string | undefined) => cookie?.split(';')[0]!.slice('ioc_session='.length)
const me = (baseUrl: string, cookie: string) => fetch(`${baseUrl}/api/me`, { headers: { cookie } })
function disconnected(socket: IocClientSocket): Promise<string> {
  return new Promise((resolve) => socket.once('disconnect', resolve))
}

describe('session cookie', () => {
  it('is HttpOnly, SameSite=Lax, for the whole site, and lasts no longer than the session', async () => {
    const { baseUrl } = await server()
    const response = await (await anonymousClient(baseUrl)).login(TEST_ADMIN.username, TEST_ADMIN.password)
    const cookie = sessionCookie(response)!
    expect(cookie).toMatch(/; HttpOnly/)
    expect(cookie).toMatch(/; SameSite=Lax/)
    expect(cookie).toMatch(/; Path=\//)
    expect(cookie).toMatch(/; Max-Age=86400/)
    expect(cookie).not.toMatch(/; Secure/)
  })

  it('is Secure when a trusted proxy says the browser came over HTTPS, and not when an untrusted one says so', async () => {
    const trusted = await server({ env: { IOC_TRUST_PROXY: '127.0.0.1' } })
    const overTls = await (await anonymousClient(trusted.baseUrl)).login(TEST_ADMIN.username, TEST_ADMIN.password, { 'x-forwarded-proto': 'https' })
    expect(sessionCookie(overTls)).toMatch(/; Secure/)

    const untrusted = await server()
    const claimed = await (await anonymousClient(untrusted.baseUrl)).login(TEST_ADMIN.username, TEST_ADMIN.password, { 'x-forwarded-proto': 'https' })
    expect(sessionCookie(claimed)).not.toMatch(/; Secure/)
  })
})

describe('session fixation', () => {
  it('issues a new token at login and ends the session the browser came with', async () => {
    const s = await server()
    // Someone plants their own valid session in a shared browser; the next person logs in over it.
    const planted = await loginAs(s, 'staff')
    const victim = await addUser(s, { role: 'operator' })
    const client = await anonymousClient(s.baseUrl)
    const csrf = await (await fetch(`${s.baseUrl}/api/auth/csrf`, { headers: { cookie: planted.cookie } })).json() as { csrfToken: string }
    const response = await client.login(victim.username, victim.password, { cookie: planted.cookie, 'x-csrf-token': csrf.csrfToken })
    expect(response.status).toBe(200)
    const issued = tokenOf(sessionCookie(response))
    expect(issued).toBeDefined()
    expect(planted.cookie).not.toContain(issued)
    expect((await me(s.baseUrl, planted.cookie)).status).toBe(401)
    expect(((await (await me(s.baseUrl, `ioc_session=${issued}`)).json()) as SessionResponse).user.username).toBe(victim.username)
  })

  it('never adopts a token the browser made up', async () => {
    const s = await server()
    const client = await anonymousClient(s.baseUrl)
    const response = await client.login(TEST_ADMIN.username, TEST_ADMIN.password, { cookie: `ioc_session=chosen-by-an-attacker; _csrf=${client.jar._csrf}` })
    expect(tokenOf(sessionCookie(response))).not.toBe('chosen-by-an-attacker')
    expect((await me(s.baseUrl, 'ioc_session=chosen-by-an-attacker')).status).toBe(401)
  })
})

describe('revocation', () => {
  it('logout ends the session and cuts its sockets at once, leaving the user’s other sessions', async () => {
    const s = await server()
    const account = await addUser(s, { role: 'operator' })
    const desk = await login(s.baseUrl, account.username, account.password)
    const wall = await login(s.baseUrl, account.username, account.password)
    const deskSocket = await connectSocket(s.baseUrl, {}, { cookie: desk.cookie })
    const wallSocket = await connectSocket(s.baseUrl, {}, { cookie: wall.cookie })
    cleanup.push(() => deskSocket.close(), () => wallSocket.close())
    const cut = disconnected(deskSocket)

    expect((await desk.fetch('/api/auth/logout', { method: 'POST' })).status).toBe(204)
    expect(await cut).toBe('io server disconnect')
    expect((await desk.fetch('/api/me')).status).toBe(401)
    expect((await wall.fetch('/api/me')).status).toBe(200)
    expect(wallSocket.connected).toBe(true)
  })

  it.each([
    ['disabling the account', (id: number) => ({ path: `/api/users/${id}`, method: 'PATCH', body: { disabled: true } })],
    ['changing the role', (id: number) => ({ path: `/api/users/${id}`, method: 'PATCH', body: { role: 'staff' } })],
    ['resetting the password', (id: number) => ({ path: `/api/users/${id}/password-reset`, method: 'POST', body: undefined })],
  ])('%s ends every session of the user and cuts their sockets', async (_what, change) => {
    const s = await server()
    const admin = await loginAsAdmin(s)
    const user = await loginAs(s, 'operator')
    const socket = await connectSocket(s.baseUrl, {}, { cookie: user.cookie })
    cleanup.push(() => socket.close())
    const cut = disconnected(socket)

    const { path, method, body } = change(user.account.id)
    expect((await admin.fetch(path, { method, body })).status).toBe(200)
    expect(await cut).toBe('io server disconnect')
    expect((await user.fetch('/api/me')).status).toBe(401)
  })

  it('lets a user who changed their password keep this session and ends the others', async () => {
    const s = await server()
    const account = await addUser(s, { role: 'staff' })
    const here = await login(s.baseUrl, account.username, account.password)
    const elsewhere = await login(s.baseUrl, account.username, account.password)
    const response = await here.fetch('/api/auth/password', { method: 'POST', body: { currentPassword: account.password, newPassword: 'một mật khẩu mới đủ dài' } })
    expect(response.status).toBe(200)
    expect((await here.fetch('/api/me')).status).toBe(200)
    expect((await elsewhere.fetch('/api/me')).status).toBe(401)
    expect((await login(s.baseUrl, account.username, 'một mật khẩu mới đủ dài')).user.username).toBe(account.username)
  })
})

describe('expiry', () => {
  it('ends a session left idle for IOC_SESSION_IDLE_MINUTES', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const s = await server({ env: { IOC_SESSION_IDLE_MINUTES: '30' } })
    const session = await loginAs(s, 'staff')
    vi.setSystemTime(Date.now() + 29 * 60_000)
    expect((await session.fetch('/api/me')).status).toBe(200)
    // That request was activity: the idle window starts again from it.
    vi.setSystemTime(Date.now() + 29 * 60_000)
    expect((await session.fetch('/api/me')).status).toBe(200)
    vi.setSystemTime(Date.now() + 30 * 60_000)
    expect((await session.fetch('/api/me')).status).toBe(401)
  })

  it('ends a session IOC_SESSION_MAX_HOURS after login however busy it is', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const s = await server({ env: { IOC_SESSION_IDLE_MINUTES: '60', IOC_SESSION_MAX_HOURS: '2' } })
    const session = await loginAs(s, 'operator')
    for (let minutes = 50; minutes < 120; minutes += 50) {
      vi.setSystemTime(Date.now() + 50 * 60_000)
      expect((await session.fetch('/api/me')).status).toBe(200)
    }
    vi.setSystemTime(Date.now() + 20 * 60_000)
    expect((await session.fetch('/api/me')).status).toBe(401)
  })
})

describe('bad input', () => {
  it('answers a wrong password and an unknown user alike, telling nothing about which usernames exist', async () => {
    const s = await server()
    const client = await anonymousClient(s.baseUrl)
    const wrong = await client.login(TEST_ADMIN.username, 'not the password')
    const unknown = await client.login('no-such-user', 'not the password')
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    expect(await wrong.json()).toEqual(await unknown.json())
  })

  it('says an account is disabled only to someone who knows its password', async () => {
    const s = await server()
    const admin = await loginAsAdmin(s)
    const account = await addUser(s, { role: 'staff' })
    await admin.fetch(`/api/users/${account.id}`, { method: 'PATCH', body: { disabled: true } })
    const client = await anonymousClient(s.baseUrl)
    const right = await client.login(account.username, account.password)
    expect(right.status).toBe(403)
    expect(((await right.json()) as { message: string }).message).toMatch(/disabled/)
    expect((await client.login(account.username, 'a wrong one')).status).toBe(401)
  })

  it('refuses malformed, incomplete and oversized bodies with 400/413 and a clear message', async () => {
    const s = await server()
    const client = await anonymousClient(s.baseUrl)
    const post = (body: string) =>
      fetch(`${s.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: `_csrf=${client.jar._csrf}`, 'x-csrf-token': client.csrfToken }, body })
    const malformed = await post('{"username": "admin", ')
    expect(malformed.status).toBe(400)
    expect(((await malformed.json()) as { message: string }).message).toMatch(/JSON/i)
    const incomplete = await post('{"username": "admin"}')
    expect(incomplete.status).toBe(400)
    expect(((await incomplete.json()) as { message: string }).message).toMatch(/password/)
    const oversized = await post(JSON.stringify({ username: 'admin', password: 'x'.repeat(2 * 1024 * 1024) }))
    expect(oversized.status).toBe(413)
    expect(await oversized.json()).toEqual({ statusCode: 413, error: 'Payload Too Large', message: 'the request body is too large' })
  })

  it('refuses a state-changing request without the CSRF token of its session', async () => {
    const s = await server()
    const admin = await loginAsAdmin(s)
    const body = { username: 'khong-csrf', fullName: 'Không CSRF', role: 'staff' }
    expect((await admin.fetch('/api/users', { method: 'POST', body, headers: { 'x-csrf-token': '' } })).status).toBe(403)
    const other = await loginAs(s, 'staff')
    expect((await admin.fetch('/api/users', { method: 'POST', body, headers: { 'x-csrf-token': other.csrfToken } })).status).toBe(403)
    expect((await admin.fetch('/api/users', { method: 'POST', body })).status).toBe(201)
  })

  it('keeps a user with a one-time password to what the public may see until they choose their own', async () => {
    const s = await server()
    const admin = await loginAsAdmin(s)
    const created = (await (await admin.fetch('/api/users', { method: 'POST', body: { username: 'can-bo-moi', fullName: 'Cán bộ mới', role: 'staff' } })).json()) as UserWithPassword
    const newcomer = await login(s.baseUrl, 'can-bo-moi', created.temporaryPassword!)
    expect(newcomer.user.mustChangePassword).toBe(true)
    expect((await newcomer.fetch('/api/stations')).status).toBe(200)
    const cameras = await newcomer.fetch('/api/cameras')
    expect(cameras.status).toBe(403)
    expect(((await cameras.json()) as { message: string }).message).toMatch(/choose a new password/)

    const changed = await newcomer.fetch('/api/auth/password', { method: 'POST', body: { currentPassword: created.temporaryPassword, newPassword: 'mật khẩu của riêng tôi' } })
    expect(((await changed.json()) as SessionResponse).user.mustChangePassword).toBe(false)
    expect((await newcomer.fetch('/api/cameras')).status).toBe(200)
  })
})

describe('a user who must still choose a password', () => {
  it('sees exactly what the public sees — alarms by id included — until they have chosen it', async () => {
    const s = await server()
    // An admin with a one-time password: the most a leak could show.
    const account = await addUser(s, { role: 'admin', mustChangePassword: true })
    const newcomer = await login(s.baseUrl, account.username, account.password)
    expect(newcomer.user.permissions).toEqual(['flood:read'])
    const raise = async (type: AlarmType, kind: 'station' | 'camera', id: string, level: number | null) =>
      (await s.app.alarms.repo.raise(type, { kind, id, areaId: TEST_AREA }, level, level && 180, Date.now())).alarm.id
    const camera = await raise('camera_offline', 'camera', 'cam-cau-tam-ky', null)
    const health = await raise('low_battery', 'station', 'tam-ky-river', null)
    const flood = await raise('flood_level', 'station', 'tam-ky-river', 1)

    const paths = [`/api/alarms/${camera}`, `/api/alarms/${health}`, `/api/alarms/${flood}`, '/api/alarms?state=active', '/api/stations', '/api/cameras', '/api/indicators/definitions', '/api/users', '/api/audit']
    const seen = []
    for (const path of paths) {
      const [theirs, publics] = [await newcomer.fetch(path), await fetch(`${s.baseUrl}${path}`)]
      seen.push({ path, status: theirs.status, body: await theirs.json(), publicOk: publics.ok, publicBody: await publics.json() })
    }
    for (const { path, status, body, publicOk, publicBody } of seen) {
      if (publicOk) expect({ path, body }).toEqual({ path, body: publicBody })
      else expect({ path, status, body }).toEqual({ path, status: 403, body: { statusCode: 403, error: 'Forbidden', message: 'choose a new password first (POST /api/auth/password)' } })
    }
    expect(seen.filter((r) => r.publicOk).map((r) => r.path)).toEqual([`/api/alarms/${flood}`, '/api/alarms?state=active', '/api/stations'])

    const changed = await newcomer.fetch('/api/auth/password', { method: 'POST', body: { currentPassword: account.password, newPassword: 'mật khẩu của riêng tôi' } })
    expect(((await changed.json()) as SessionResponse).user.permissions).toContain('camera:read')
    expect((await newcomer.fetch(`/api/alarms/${camera}`)).status).toBe(200)
  })
})

describe('audit', () => {
  it('records logins and failures with who and from where, readable by admins only', async () => {
    const s = await server()
    const client = await anonymousClient(s.baseUrl)
    await client.login(TEST_ADMIN.username, 'a-guessed-password')
    const admin = await loginAsAdmin(s)
    const page = (await (await admin.fetch('/api/audit?limit=5')).json()) as AuditPage
    expect(page.entries.map((e) => [e.action, e.actor, e.ip])).toEqual(
      expect.arrayContaining([
        ['auth.login', 'admin', '127.0.0.1'],
        ['auth.login_failed', 'admin', '127.0.0.1'],
      ]),
    )
    // Who tried, never what they typed.
    expect(JSON.stringify(page)).not.toContain('a-guessed-password')
    const staff = await loginAs(s, 'staff')
    expect((await staff.fetch('/api/audit')).status).toBe(403)
    const denied = await s.app.audit.list({ action: 'access.denied' })
    expect(denied[0]).toMatchObject({ actor: staff.account.username, target: 'route:GET /api/audit' })
  })
})
