import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCityPack } from '@ioc/shared/city-packs'
import { planReadings, startPublisher, type Publisher } from '../reliability/lib/publisher.ts'
import { quiet, readingKey, until, watchClient, type WatchingClient } from './lib/clients.ts'
import { startCluster, type Cluster } from './lib/cluster.ts'

/**
 * Issue #10, steady state: three instances share the ingest through Mosquitto's shared subscription,
 * each reading is stored once by one of them, and a dashboard on any instance receives every reading
 * exactly once (the socket.io Redis streams adapter), one by one or batched.
 */

const READINGS = 3_000
const stationIds = loadCityPack('tam-ky').stations.map((s) => s.id)

let cluster: Cluster | undefined
const clients: WatchingClient[] = []
let publisher: Publisher | undefined

beforeAll(async () => {
  cluster = await startCluster({ size: 3, label: 'fanout' })
})
afterAll(async () => {
  for (const client of clients) client.close()
  await publisher?.close()
  await cluster?.stop()
})

describe('three instances in steady state', () => {
  it('name themselves on /healthz and are ready (broker, store, Redis)', async () => {
    for (const instance of cluster!.instances) {
      expect(await (await fetch(`${instance.baseUrl}/healthz`)).json()).toMatchObject({ status: 'ok', instance: instance.clientId })
      const ready = await fetch(`${instance.baseUrl}/readyz`)
      expect(ready.status).toBe(200)
      expect(await ready.json()).toMatchObject({ ready: true })
    }
  })

  it(`store ${READINGS.toLocaleString('en-US')} readings once, shared between them, and push each to a client on every instance exactly once`, async () => {
    const { instances } = cluster!
    // A client per instance, straight to it; the second takes batches.
    for (const instance of instances) clients.push(await watchClient(instance.baseUrl, `client on #${instance.n}`, { websocketOnly: true, batch: instance.n === 2 }))
    const plan = planReadings(READINGS, stationIds)
    const keys = plan.map((r) => readingKey(r.stationId, r.tsMs))
    publisher = await startPublisher({ url: cluster!.mosquitto.url, clientId: `scale-fanout-publisher-${process.pid}`, readings: plan, window: 100 })

    await cluster!.reachRows(READINGS, 60_000)
    for (const client of clients) {
      await until(
        () => client.received.size >= READINGS,
        30_000,
        () => `${client.name} received ${client.received.size.toLocaleString('en-US')} of ${READINGS.toLocaleString('en-US')} readings`,
      )
    }
    // Anything sent twice would arrive right behind the first copy: let the sockets go quiet first.
    await quiet(clients)

    expect(await cluster!.rows()).toEqual({ total: READINGS, distinct: READINGS })
    const counters = await cluster!.counters()
    console.log(`stored per instance: ${counters.map((c, k) => `#${k + 1} ${c.stored}`).join(', ')}; duplicates ${counters.map((c) => c.duplicates).join('/')}`)
    for (const [k, c] of counters.entries()) expect(c.stored, `instance #${k + 1} stored nothing: the shared subscription did not spread the readings`).toBeGreaterThan(0)
    expect(counters.reduce((n, c) => n + c.stored, 0)).toBe(READINGS)
    expect(counters.map((c) => c.duplicates)).toEqual([0, 0, 0])
    expect(counters.map((c) => c.rejected)).toEqual([0, 0, 0])
    for (const client of clients) {
      expect(client.missing(keys), `${client.name}: readings never delivered`).toEqual([])
      expect(client.repeats(), `${client.name}: readings delivered more than once`).toBe(0)
      expect(client.received.size).toBe(READINGS)
    }
  })
})
