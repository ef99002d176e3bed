import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { floodReadingTopic, type FloodReading } from '@ioc/shared'
import { LOGIN_LIMITS } from '@ioc/server/auth-limits'
import { anonymousClient, login, TEST_ADMIN } from '../helpers/auth.ts'
import { startMosquitto, type MosquittoInstance } from '../helpers/mosquitto.ts'
import { freshPostgresSchema } from '../helpers/postgres.ts'
import { deleteRedisKeys, TEST_REDIS_URL } from '../helpers/redis.ts'
import { connectDevice, startServer, type TestServer } from '../helpers/server.ts'
import { connectSocket, type IocClientSocket } from '../helpers/socket.ts'

/**
 * Two instances in one process, as two machines would run them: one PostgreSQL schema, one private
 * Mosquitto, the machine's Redis under a prefix of this run. What crosses between instances is tested
 * here; tests/scale runs three real processes and kills them.
 */
const STATION = 'cau-xuan-quy'

let mosquitto: MosquittoInstance
let schema: Awaited<ReturnType<typeof freshPostgresSchema>>
const prefix = `ioc-test-${randomUUID().slice(0, 8)}`
const servers: TestServer[] = []
const started = (clientId: string) =>
  startServer({
    mqttUrl: mosquitto.url,
    dbUrl: schema.url,
    env: { IOC_REDIS_URL: TEST_REDIS_URL, IOC_REDIS_PREFIX: prefix, IOC_MQTT_CLIENT_ID: clientId },
  }).then((server) => {
    servers.push(server)
    return server
  })

/** Polls `check` until it holds, or fails with `what` after `ms`. */
async function eventually(what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s`)
    await sleep(25)
  }
}

let a: TestServer
let b: TestServer
beforeAll(async () => {
  mosquitto = await startMosquitto()
  schema = await freshPostgresSchema()
  // Started together, as a process manager starts them: both migrate the same empty schema.
  ;[a, b] = await Promise.all([started(`${prefix}-a`), started(`${prefix}-b`)])
}, 60_000)

afterAll(async () => {
  for (const server of servers) await server.close().catch(() => {})
  await mosquitto?.stop()
  await schema?.drop()
  await deleteRedisKeys(prefix)
})

describe('two instances', () => {
  it('store a reading published once exactly once, each taking a share, and push every reading to clients of both', async () => {
    const sockets: IocClientSocket[] = await Promise.all([connectSocket(a.baseUrl), connectSocket(b.baseUrl)])
    const received = sockets.map(() => new Map<string, number>())
    sockets.forEach((socket, i) => socket.on('reading:new', (r: FloodReading) => received[i]!.set(r.ts, (received[i]!.get(r.ts) ?? 0) + 1)))
    const device = await connectDevice(mosquitto.url)
    const start = Date.parse('2026-11-30T01:00:00Z')
    const count = 40
    for (let i = 0; i < count; i++) await device.publish(floodReadingTopic(STATION), { ts: new Date(start + i * 1000).toISOString(), waterLevelCm: 60 + (i % 5) })
    await device.close()

    await eventually('every reading reached both clients', () => received.every((m) => m.size === count))
    expect(received.map((m) => [...m.values()].every((n) => n === 1))).toEqual([true, true])
    expect(await a.app.readings.count(STATION)).toBe(count)
    const stored = async (server: TestServer) => (await server.app.metrics.ingestStored.get()).values.reduce((sum, v) => sum + v.value, 0)
    const shares = [await stored(a), await stored(b)]
    // Mosquitto hands a shared subscription's messages round robin.
    expect(shares.every((share) => share > 0)).toBe(true)
    expect(shares[0]! + shares[1]!).toBe(count)
    for (const socket of sockets) socket.close()
  })

  it('elect one alarm leader, and the other takes over when it stops', async () => {
    await eventually('one instance runs the alarm engine', () => a.app.alarms.running() !== b.app.alarms.running())
    const [leader, follower] = a.app.alarms.running() ? [a, b] : [b, a]
    expect((await leader.app.metrics.alarmLeader.get()).values[0]?.value).toBe(1)
    expect((await follower.app.metrics.alarmLeader.get()).values[0]?.value).toBe(0)
    await leader.close()
    servers.splice(servers.indexOf(leader), 1)
    await eventually('the other instance took over the alarm engine', () => follower.app.alarms.running())
    // Back in its place, as a process manager restarts it: it follows.
    const again = await started(leader === a ? `${prefix}-a` : `${prefix}-b`)
    if (leader === a) a = again
    else b = again
    expect(again.app.alarms.running()).toBe(false)
  })

  it('carry a station settings change made on one instance to the other', async () => {
    const admin = await login(a.baseUrl, TEST_ADMIN.username, TEST_ADMIN.password)
    const response = await admin.fetch(`/api/stations/${STATION}`, { method: 'PATCH', body: { holdMinutes: 42 } })
    expect(response.status).toBe(200)
    await eventually('instance B uses the new hold time', () => b.app.stationSettings.get(STATION).holdMinutes === 42)
  })

  it('serve a session made on one instance on the other, and count login failures across both', async () => {
    const admin = await login(a.baseUrl, TEST_ADMIN.username, TEST_ADMIN.password)
    const me = await fetch(`${b.baseUrl}/api/me`, { headers: { cookie: admin.cookie } })
    expect(me.status).toBe(200)

    const username = `nobody-${randomUUID().slice(0, 6)}`
    for (let i = 0; i < LOGIN_LIMITS.perAccountAndAddress; i++) {
      const client = await anonymousClient(i % 2 === 0 ? a.baseUrl : b.baseUrl)
      expect((await client.login(username, 'wrong password!')).status).toBe(401)
    }
    for (const server of [a, b]) {
      const refused = await (await anonymousClient(server.baseUrl)).login(username, 'wrong password!')
      expect(refused.status).toBe(429)
    }
  })

  it('refuse to start an instance whose client id a running instance has, and leave that one alone', async () => {
    await expect(started(`${prefix}-a`)).rejects.toThrow(/another running instance has IOC_MQTT_CLIENT_ID=.*-a: give every instance its own/)
    expect((await fetch(`${a.baseUrl}/readyz`)).status).toBe(200)
  })
})

describe('a socket cut by the server', () => {
  it('cannot be recovered afterwards: its session, stored ahead for recovery, is removed', async () => {
    const admin = await login(a.baseUrl, TEST_ADMIN.username, TEST_ADMIN.password)
    const socket = await connectSocket(a.baseUrl, {}, { cookie: admin.cookie })
    // socket.io-client's private session id, under which the server stored the session for recovery.
    const pid = (socket as unknown as { _pid: string })._pid
    const key = `${prefix}:socket.io:session:${pid}`
    const redis = a.app.cluster.redis!
    await eventually('the live socket has a recovery session in Redis', async () => (await redis.exists(key)) === 1)
    const cut = new Promise<string>((resolve) => socket.once('disconnect', resolve))
    expect((await admin.fetch('/api/auth/logout', { method: 'POST' })).status).toBe(204)
    expect(await cut).toBe('io server disconnect')
    await eventually('the recovery session is gone', async () => (await redis.exists(key)) === 0)
  })
})
