import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCityPack } from '@ioc/shared/city-packs'
import { readMetric } from '../helpers/metrics.ts'
import { startNginx, type NginxInstance } from '../helpers/nginx.ts'
import { planReadings, startPublisher, type Publisher } from '../reliability/lib/publisher.ts'
import { quiet, readingKey, timeline, until, watchClient, type WatchingClient } from './lib/clients.ts'
import { startCluster, type Cluster, type ClusterInstance } from './lib/cluster.ts'

/**
 * Issue #10, an instance crashes: three instances behind the deployment guide's nginx; dashboards
 * through nginx (all pinned to one instance, X, by ip_hash) and one straight on another instance. A
 * steady stream of readings; mid-stream X is SIGKILLed, and a process manager starts it again 2 s
 * later with the same MQTT client id. Ingest goes on through the others meanwhile, X's share waits in
 * its broker session, and afterwards every reading is stored once and reached every dashboard — the
 * ones on X by reconnecting elsewhere with their state recovered.
 */

const READINGS = 6_000
const PER_SECOND = 1_000
const KILL_AFTER_ACKED = 2_000
/** The process manager's delay before it starts a crashed instance again (systemd RestartSec=2). */
const RESTART_DELAY_MS = 2_000
const NGINX_CLIENTS = 3
const stationIds = loadCityPack('tam-ky').stations.map((s) => s.id)

let cluster: Cluster | undefined
let nginx: NginxInstance | undefined
let publisher: Publisher | undefined
const clients: WatchingClient[] = []

beforeAll(async () => {
  cluster = await startCluster({ size: 3, label: 'kill' })
  nginx = await startNginx({ upstreams: cluster.instances.map((i) => new URL(i.baseUrl).port).map(Number) })
})
afterAll(async () => {
  for (const client of clients) client.close()
  await publisher?.close()
  await nginx?.stop()
  await cluster?.stop()
})

const publicClients = (instance: ClusterInstance) => readMetric(instance.baseUrl, 'ioc_realtime_clients', { audience: 'public' })

describe('an instance killed under load', () => {
  it('loses no reading: the others ingest on, the killed one catches up after its restart, and every dashboard gets every reading', async () => {
    const { instances } = cluster!
    // Through nginx with socket.io's default transports (polling, then websocket), as browsers connect.
    const viaNginx: WatchingClient[] = []
    for (let k = 1; k <= NGINX_CLIENTS; k++) viaNginx.push(await watchClient(nginx!.url, `nginx client ${k}`))
    clients.push(...viaNginx)
    // ip_hash: every client from 127.0.0.1 is on one instance. Which one, their gauges tell.
    let counts: number[] = []
    await until(
      async () => {
        counts = await Promise.all(instances.map(publicClients))
        return counts.reduce((a, b) => a + b, 0) === NGINX_CLIENTS
      },
      10_000,
      () => `public sockets per instance ${counts.join('/')}, expected ${NGINX_CLIENTS} in all`,
    )
    const x = instances[counts.indexOf(NGINX_CLIENTS)]
    expect(x, `the nginx clients are spread over instances (${counts.join('/')}): ip_hash should pin them to one`).toBeDefined()
    const y = instances.find((i) => i !== x)!
    const direct = await watchClient(y.baseUrl, `direct client on #${y.n}`, { websocketOnly: true })
    clients.push(direct)

    const plan = planReadings(READINGS, stationIds)
    const keys = plan.map((r) => readingKey(r.stationId, r.tsMs))
    // Epoch ms, as the clients' timelines and the readings' received_at.
    const t0 = Date.now()
    const at = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`
    publisher = await startPublisher({ url: cluster!.mosquitto.url, clientId: `scale-kill-publisher-${process.pid}`, readings: plan, window: 100, perSecond: PER_SECOND })
    await until(
      () => publisher!.acked.size >= KILL_AFTER_ACKED,
      30_000,
      () => `the broker acknowledged ${publisher!.acked.size} of ${KILL_AFTER_ACKED} readings`,
    )

    await x!.kill()
    const killedAt = Date.now()
    const rowsAtKill = (await cluster!.rows()).total
    console.log(`${at()}: instance #${x!.n} SIGKILLed (${rowsAtKill} stored, ${publisher.acked.size} published)`)
    // The dashboards on X reconnect through nginx, which now sends them to a live instance.
    await until(
      () => viaNginx.every((c) => c.connections.length >= 2),
      10_000,
      () => `reconnected: ${viaNginx.map((c) => `${c.name} ${c.connections.length - 1}×`).join(', ')}`,
    )
    const live = instances.filter((i) => i !== x)
    await until(
      async () => (await Promise.all(live.map(publicClients))).reduce((a, b) => a + b, 0) === NGINX_CLIENTS + 1,
      5_000,
      async () => `public sockets on the live instances: ${(await Promise.all(live.map(publicClients))).join('/')}, expected ${NGINX_CLIENTS + 1} in all`,
    )
    console.log(`${at()}: the nginx clients reconnected to the live instances (recovered: ${viaNginx.map((c) => c.connections.at(-1)!.recovered).join(', ')})`)
    // What a process manager does: wait its delay, start the same unit again.
    await sleep(Math.max(0, RESTART_DELAY_MS - (Date.now() - killedAt)))
    const rowsAtRestart = (await cluster!.rows()).total
    const storedWhileDown = rowsAtRestart - rowsAtKill
    console.log(`${at()}: restarting #${x!.n}; ${storedWhileDown} readings stored by the others while it was down`)
    await x!.start()
    const readyAt = Date.now()
    const downMs = readyAt - killedAt
    console.log(`${at()}: #${x!.n} ready again, down ${(downMs / 1000).toFixed(1)} s`)

    await until(
      () => publisher!.acked.size === READINGS,
      60_000,
      () => `the broker acknowledged ${publisher!.acked.size} of ${READINGS} readings`,
    )
    await cluster!.reachRows(READINGS, 60_000)
    console.log(`${at()}: all ${READINGS} stored`)
    // What a failure needs to be understood: when the missing readings were stored, and when each client
    // was connected where.
    const undelivered = async () => {
      const lines = [`#${x!.n} killed at ${killedAt - t0} ms, ready again at ${readyAt - t0} ms`]
      for (const client of clients) {
        const missing = client.missing(keys)
        const stored = await Promise.all(
          missing.slice(0, 5).map(async (key) => {
            const [stationId, ts] = key.split('|')
            const [row] = await cluster!.query<{ received_at: string }>('SELECT received_at FROM readings WHERE station_id = $1 AND ts = $2', [stationId, ts])
            return `${key} stored at ${row ? `${Number(row.received_at) - t0} ms` : 'never'}`
          }),
        )
        lines.push(`${client.name}: received ${client.received.size} of ${READINGS}${missing.length > 0 ? `, missing ${missing.length}: ${stored.join(', ')}` : ''}; ${timeline(client, t0)}`)
      }
      return lines.join('\n')
    }
    await until(() => clients.every((c) => c.received.size >= READINGS), 15_000, undelivered)
    await quiet(clients)
    // Read before anything is stopped: a process's counters die with it.
    const counters = await cluster!.counters()
    const duplicates = counters.reduce((n, c) => n + c.duplicates, 0)
    console.log(
      `instance #${x!.n} down ${(downMs / 1000).toFixed(1)} s; stored meanwhile by the others ${storedWhileDown}; ` +
        `stored per instance (since its last start) ${counters.map((c, k) => `#${k + 1} ${c.stored}`).join(', ')}; duplicates counted ${duplicates}; ` +
        `repeated deliveries ${clients.map((c) => `${c.name} ${c.repeats()}`).join(', ')}; ` +
        `reconnections ${viaNginx.map((c) => `${c.name} ${c.connections.length - 1} (recovered ${c.connections.slice(1).filter((r) => r.recovered).length})`).join(', ')}`,
    )

    expect(storedWhileDown, 'no reading was stored while one instance of three was down').toBeGreaterThan(0)
    expect(await cluster!.rows()).toEqual({ total: READINGS, distinct: READINGS })
    expect(counters.map((c) => c.rejected)).toEqual([0, 0, 0])
    for (const client of viaNginx) {
      expect(client.connections.slice(1).map((c) => c.recovered), `${client.name}: each reconnection recovered its state`).not.toContain(false)
    }
    expect(direct.connections, 'the direct client, whose instance lived, never reconnected').toHaveLength(1)
    for (const client of clients) {
      expect(client.missing(keys), `${client.name}: readings never delivered; ${timeline(client, t0)}`).toEqual([])
      // A reading delivered twice must be one the servers stored twice (a redelivery after the kill, published again).
      expect(client.repeats(), `${client.name}: ${client.repeats()} repeated deliveries, ${duplicates} duplicates counted by the servers`).toBeLessThanOrEqual(duplicates)
    }
  })
})
