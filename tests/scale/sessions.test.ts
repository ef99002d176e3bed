import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { UserWithPassword } from '@ioc/shared'
import { BENCH_ADMIN } from '../helpers/processes.ts'
import { anonymousClient, login, type TestSession } from '../helpers/auth.ts'
import { readMetric } from '../helpers/metrics.ts'
import { connectSocket, type IocClientSocket } from '../helpers/socket.ts'
import { until } from './lib/clients.ts'
import { startCluster, type Cluster } from './lib/cluster.ts'

/**
 * Issue #10, sessions and limits on several instances: a session started on one instance is good on
 * every other (sessions live in PostgreSQL); logging out on one cuts the session's sockets on another
 * at once (through the socket.io adapter), not at the next periodic check; the login limit per account
 * counts attempts on every instance together (in Redis).
 */

let cluster: Cluster | undefined
const sockets: IocClientSocket[] = []

beforeAll(async () => {
  cluster = await startCluster({ size: 3, label: 'sessions' })
})
afterAll(async () => {
  for (const socket of sockets) socket.close()
  await cluster?.stop()
})

/** `session`'s browser talking to another instance: the same cookie and CSRF token. */
const on = (baseUrl: string, session: TestSession, path: string, method = 'GET') =>
  fetch(`${baseUrl}${path}`, { method, headers: { cookie: session.cookie, ...(method !== 'GET' && { 'x-csrf-token': session.csrfToken }) } })

describe('sessions across instances', () => {
  it('lets a session started on #1 work on #2 and #3, and a logout on #2 cuts its socket on #3 at once', async () => {
    const [one, two, three] = cluster!.instances
    const session = await login(one!.baseUrl, BENCH_ADMIN.username, BENCH_ADMIN.password)
    for (const instance of [two!, three!]) {
      const me = await on(instance.baseUrl, session, '/api/me')
      expect(me.status, `GET /api/me on #${instance.n}`).toBe(200)
      expect(await me.json()).toMatchObject({ user: { username: BENCH_ADMIN.username } })
    }
    const socket = await connectSocket(three!.baseUrl, {}, { cookie: session.cookie })
    sockets.push(socket)
    // The handshake on #3 read the session #1 started: the socket counts as an admin's, not the public's.
    await until(
      async () => (await readMetric(three!.baseUrl, 'ioc_realtime_clients', { audience: 'admin' })) === 1,
      5_000,
      () => 'instance #3 does not count the socket as an admin one',
    )
    const cut = new Promise<{ reason: string; ms: number }>((resolve) => {
      const t0 = performance.now()
      socket.once('disconnect', (reason) => resolve({ reason, ms: performance.now() - t0 }))
    })

    const logout = await on(two!.baseUrl, session, '/api/auth/logout', 'POST')
    expect(logout.status).toBe(204)
    // The periodic check of sockets against sessions runs every minute: anything under that is the adapter.
    let disconnected: { reason: string; ms: number } | undefined
    void cut.then((d) => (disconnected = d))
    await until(
      () => disconnected !== undefined,
      5_000,
      () => 'the socket on #3 is still connected after the logout on #2',
    )
    console.log(`socket on #3 cut ${Math.round(disconnected!.ms)} ms after the logout on #2 was sent`)
    expect(disconnected!.reason).toBe('io server disconnect')
    for (const instance of cluster!.instances) expect((await on(instance.baseUrl, session, '/api/me')).status, `GET /api/me on #${instance.n} after logout`).toBe(401)
  })

  it('counts failed logins per account over all instances: the 11th attempt is refused on every one', async () => {
    const { instances } = cluster!
    const admin = await login(instances[0]!.baseUrl, BENCH_ADMIN.username, BENCH_ADMIN.password)
    const password = 'mật khẩu đúng của cán bộ'
    const created = await admin.fetch('/api/users', { method: 'POST', body: { username: `guess-target-${process.pid}`, fullName: 'Người bị dò mật khẩu', role: 'staff', password } })
    expect(created.status).toBe(201)
    const { user } = (await created.json()) as UserWithPassword
    const attempt = async (k: number, secret: string) => {
      const instance = instances[k % instances.length]!
      return (await anonymousClient(instance.baseUrl)).login(user.username, secret)
    }

    // Ten wrong passwords, spread over the three instances in turn.
    for (let k = 0; k < 10; k++) expect((await attempt(k, `wrong-${k}`)).status, `attempt ${k + 1} on #${(k % instances.length) + 1}`).toBe(401)
    // The 11th, on each instance — even with the right password.
    for (const k of [10, 11, 12]) {
      const refused = await attempt(k, password)
      expect(refused.status, `attempt ${k + 1} on #${(k % instances.length) + 1}`).toBe(429)
      const retryAfter = Number(refused.headers.get('retry-after'))
      expect(retryAfter, 'Retry-After in seconds, within the 15-minute window').toBeGreaterThan(0)
      expect(retryAfter).toBeLessThanOrEqual(15 * 60)
    }
  })
})
