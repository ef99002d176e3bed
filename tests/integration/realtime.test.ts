import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { io } from 'socket.io-client'
import { cameraStatusTopic, floodReadingTopic } from '@ioc/shared'
import { loginAs } from '../helpers/auth.ts'
import { readMetric } from '../helpers/metrics.ts'
import { clusterParts } from '../helpers/cluster-parts.ts'
import { connectDevice, startServer, type StartOptions, type TestServer } from '../helpers/server.ts'
import { connectSocket, connected, nextEvent, type IocClientSocket } from '../helpers/socket.ts'

const cleanup: (() => unknown)[] = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

it('a dashboard reconnects by itself after a server restart and receives live readings again', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ioc-restart-'))
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }))
  const first = await startServer({ dataDir })
  const { port } = first.app.server.address() as AddressInfo

  // A browser's socket: default reconnection on, only faster than the browser's defaults.
  const socket: IocClientSocket = io(first.baseUrl, { transports: ['websocket'], reconnectionDelay: 50, reconnectionDelayMax: 100 })
  cleanup.push(() => socket.close())
  await new Promise((resolve) => socket.once('connect', () => resolve(undefined)))

  const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve))
  await first.close()
  const reason = await disconnected
  // "io server disconnect" is the one reason socket.io clients never retry.
  expect(reason).toBe('transport close')

  // Listening before the restart: the socket may be back before startServer() resolves.
  const reconnected = new Promise((resolve) => socket.io.once('reconnect', resolve))
  const second: TestServer = await startServer({ dataDir, port })
  cleanup.push(() => second.close())
  await reconnected

  const ts = new Date().toISOString()
  const received = nextEvent(socket, 'reading:new', (r) => r.ts === ts)
  const device = await connectDevice(second.mqttUrl)
  await device.publish(floodReadingTopic('tam-ky-river'), { ts, waterLevelCm: 150 })
  await device.close()
  expect(await received).toMatchObject({ stationId: 'tam-ky-river', waterLevelCm: 150 })
})

it('sends readings one by one to plain clients and gathered per turn to clients that ask for batches', async () => {
  const server = await startServer()
  cleanup.push(() => server.close())
  const plain = await connectSocket(server.baseUrl)
  const batching = await connectSocket(server.baseUrl, { batch: true })
  cleanup.push(() => plain.close(), () => batching.close())
  const single: string[] = []
  const batches: string[][] = []
  plain.on('reading:new', (r) => single.push(r.ts))
  batching.on('reading:new', (r) => single.push(`unexpected ${r.ts}`))
  batching.on('reading:batch', (readings) => batches.push(readings.map((r) => r.ts)))

  const base = Date.now() - 60_000
  const sent = Array.from({ length: 50 }, (_, i) => new Date(base + i * 1000).toISOString())
  // Both waits are in place before anything is published: either socket may finish first.
  const allBatched = new Promise<void>((resolve) => batching.on('reading:batch', () => batches.flat().length === sent.length && resolve()))
  const lastSingle = nextEvent(plain, 'reading:new', (r) => r.ts === sent.at(-1))
  const device = await connectDevice(server.mqttUrl)
  await Promise.all(sent.map((ts, i) => device.publish(floodReadingTopic('tam-ky-river'), { ts, waterLevelCm: 100 + i })))
  await device.close()
  await Promise.all([allBatched, lastSingle])

  expect(single).toEqual(sent)
  expect(batches.flat()).toEqual(sent)
  // Published in a burst, the readings travel in fewer messages than readings.
  expect(batches.length).toBeLessThan(sent.length)
})

async function server(options: StartOptions = {}): Promise<TestServer> {
  const started = await startServer(options)
  cleanup.push(() => started.close())
  return started
}

/** One instance with the Redis streams adapter, as each of several runs (PostgreSQL, Mosquitto, Redis). */
async function clusteredServer(): Promise<TestServer> {
  const parts = await clusterParts((step) => cleanup.push(step))
  return server(parts.instance('a'))
}

/**
 * An operator's dashboard socket drops (its transport closes, as on a lost network) after it has had
 * an event; while it is away, `meanwhile` runs and a camera goes offline — an alarm for staff only,
 * seen by another staff member's socket. Then the socket comes back with its recovery state (socket.io
 * sends its session id and offset itself). Returns the camera alarm, every event packet that reached
 * the client after the drop (delivered to listeners or not), and the reconnection.
 */
async function dropAndComeBack(s: TestServer, meanwhile: (operator: Awaited<ReturnType<typeof loginAs>>) => Promise<void>) {
  const operator = await loginAs(s, 'operator')
  const witness = await connectSocket(s.baseUrl, {}, { cookie: (await loginAs(s, 'staff')).cookie })
  const socket = await connectSocket(s.baseUrl, {}, { cookie: operator.cookie })
  cleanup.push(() => witness.close(), () => socket.close())
  const device = await connectDevice(s.mqttUrl)
  cleanup.push(() => device.close())

  // A first event gives the socket an offset to recover from.
  const ts = new Date().toISOString()
  const first = nextEvent(socket, 'reading:new', (r) => r.ts === ts)
  await device.publish(floodReadingTopic('tam-ky-river'), { ts, waterLevelCm: 120 })
  await first

  const onTheWire: unknown[][] = []
  socket.io.on('packet', (packet) => {
    if (packet.type === 2) onTheWire.push(packet.data as unknown[])
  })
  const serverSide = s.app.io.of('/').sockets.get(socket.id!)!
  const gone = new Promise((resolve) => serverSide.once('disconnect', resolve))
  socket.io.engine.close()
  // Reasons socket.io keeps a recovery session for: the transport closed, or — when the server was
  // writing to it at that moment (a forecast or reading event of its own) — failed.
  expect(['transport close', 'transport error']).toContain(await gone)

  await meanwhile(operator)
  const raised = nextEvent(witness, 'alarm:raised', (a) => a.type === 'camera_offline')
  await device.publish(cameraStatusTopic('cam-cau-tam-ky'), { ts: new Date().toISOString(), state: 'offline' })
  const alarm = await raised

  const comeback = connected(socket)
  return { alarm, socket, comeback, onTheWire }
}

const cameraAlarmsOf = (packets: unknown[][], id: number) => packets.filter(([event, alarm]) => event === 'alarm:raised' && (alarm as { id: number }).id === id)

describe.each([
  { adapter: 'in-memory adapter (one instance)', start: () => server() },
  { adapter: 'Redis streams adapter (several instances)', start: clusteredServer },
])('connection state recovery, $adapter', ({ start }) => {
  it('replays nothing to a socket whose session ended while it was away, and refuses it', async () => {
    const s = await start()
    const { alarm, socket, comeback, onTheWire } = await dropAndComeBack(s, async (operator) => {
      expect((await operator.fetch('/api/auth/logout', { method: 'POST' })).status).toBe(204)
    })
    const outcome = await comeback.then(
      () => 'connected',
      (error: Error) => error.message,
    )
    // Not replayed — not even written to the connection before the middlewares ran.
    expect(cameraAlarmsOf(onTheWire, alarm.id)).toEqual([])
    expect(socket.recovered).toBe(false)
    expect(outcome).toBe('the session this connection belonged to has ended: log in again')
    expect(await readMetric(s.baseUrl, 'ioc_realtime_refused_total', { reason: 'session_ended' })).toBe(1)
  })

  it('replays what a socket missed while its session is still live', async () => {
    const s = await start()
    const { alarm, socket, comeback, onTheWire } = await dropAndComeBack(s, async () => {})
    await comeback
    expect(socket.recovered).toBe(true)
    expect(cameraAlarmsOf(onTheWire, alarm.id)).toHaveLength(1)
  })
})

describe('reading:new with one instance: emitted only while a plain socket may receive it', () => {
  /** What socket.io keeps for recovery (the in-memory adapter's replay buffer): how many `reading:new`. */
  const keptForRecovery = (s: TestServer) => (s.app.io.of('/').adapter as unknown as { packets: { data: unknown[] }[] }).packets.filter((p) => p.data[0] === 'reading:new').length

  async function publishAndSeeBatched(s: TestServer, batching: IocClientSocket, waterLevelCm: number): Promise<string> {
    const ts = new Date(Date.now() - 60_000 + waterLevelCm).toISOString()
    const seen = nextEvent(batching, 'reading:batch', (readings) => readings.some((r) => r.ts === ts))
    const device = await connectDevice(s.mqttUrl)
    await device.publish(floodReadingTopic('tam-ky-river'), { ts, waterLevelCm })
    await device.close()
    await seen
    return ts
  }

  it('keeps nothing for recovery that no socket could receive; a plain socket that connects gets readings at once', async () => {
    const s = await server()
    const batching = await connectSocket(s.baseUrl, { batch: true })
    cleanup.push(() => batching.close())
    await publishAndSeeBatched(s, batching, 101)
    await publishAndSeeBatched(s, batching, 102)
    expect(keptForRecovery(s)).toBe(0)

    const plain = await connectSocket(s.baseUrl)
    cleanup.push(() => plain.close())
    const single: string[] = []
    plain.on('reading:new', (r) => single.push(r.ts))
    const ts = await publishAndSeeBatched(s, batching, 103)
    await expect.poll(() => single).toEqual([ts])
    expect(keptForRecovery(s)).toBe(1)
  })

  it('replays to a plain socket what it missed while away, though it was the only one taking reading:new', async () => {
    const s = await server()
    const batching = await connectSocket(s.baseUrl, { batch: true })
    const plain = await connectSocket(s.baseUrl)
    cleanup.push(() => batching.close(), () => plain.close())
    const single: string[] = []
    plain.on('reading:new', (r) => single.push(r.ts))
    // A first reading gives the socket an offset to recover from.
    const before = await publishAndSeeBatched(s, batching, 111)
    await expect.poll(() => single).toEqual([before])

    const serverSide = s.app.io.of('/').sockets.get(plain.id!)!
    const gone = new Promise((resolve) => serverSide.once('disconnect', resolve))
    plain.io.engine.close()
    expect(['transport close', 'transport error']).toContain(await gone)
    // While it is away the room is empty: only its chance to come back keeps reading:new going.
    const missed = await publishAndSeeBatched(s, batching, 112)

    await connected(plain)
    expect(plain.recovered).toBe(true)
    await expect.poll(() => single).toEqual([before, missed])
  })
})

describe('the origin of the page that opens a socket', () => {
  const refusal = (origin: string) => `a page at ${origin} may not open the IOC's live connection: only the IOC's own address and IOC_ALLOWED_ORIGINS may`

  it("refuses a page of another origin, even with a staff cookie; takes the IOC's own, its public URL's and the configured ones", async () => {
    const s = await server({ env: { IOC_PUBLIC_URL: 'https://ioc.tamky.gov.vn', IOC_ALLOWED_ORIGINS: 'https://ioc.quangnam.gov.vn' } })
    const { cookie } = await loginAs(s, 'staff')
    const { port } = new URL(s.baseUrl)
    // Another site, and another port of the IOC's own host (SameSite=Lax sends the cookie there).
    for (const origin of ['http://evil.example', `http://127.0.0.1:${Number(port) + 1}`]) {
      await expect(connectSocket(s.baseUrl, {}, { cookie, origin })).rejects.toThrow()
    }
    // A polling handshake gets the reason.
    const polling = await fetch(`${s.baseUrl}/socket.io/?EIO=4&transport=polling`, { headers: { cookie, origin: 'http://evil.example' } })
    expect(polling.status).toBe(403)
    expect(await polling.json()).toEqual({ code: 4, message: refusal('http://evil.example') })
    expect(await readMetric(s.baseUrl, 'ioc_realtime_refused_total', { reason: 'origin' })).toBe(3)

    // The page's own origin (as a browser sends it), the public URL's, a configured one, and none (not a browser).
    for (const origin of [s.baseUrl, 'https://ioc.tamky.gov.vn', 'https://ioc.quangnam.gov.vn', undefined]) {
      const socket = await connectSocket(s.baseUrl, {}, { cookie, ...(origin && { origin }) })
      socket.close()
    }
    expect(await readMetric(s.baseUrl, 'ioc_realtime_refused_total', { reason: 'origin' })).toBe(3)
  })

  it('behind a trusted proxy, takes the address the proxy says the page was on — and nobody else may claim it', async () => {
    const page = 'https://ioc.tamky.gov.vn'
    const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'ioc.tamky.gov.vn' }
    const proxied = await server({ env: { IOC_TRUST_PROXY: '127.0.0.1' } })
    const socket = await connectSocket(proxied.baseUrl, {}, { origin: page, headers: forwarded })
    socket.close()

    // Without IOC_TRUST_PROXY, anyone may send those headers: they are not believed.
    const direct = await server()
    const polling = await fetch(`${direct.baseUrl}/socket.io/?EIO=4&transport=polling`, { headers: { origin: page, ...forwarded } })
    expect(polling.status).toBe(403)
    expect(await polling.json()).toEqual({ code: 4, message: refusal(page) })
  })
})
