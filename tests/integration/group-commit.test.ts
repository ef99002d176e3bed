import { afterEach, expect, it } from 'vitest'
import mqtt from 'mqtt'
import { clientIdForUrl, floodReadingTopic } from '@ioc/shared'
import { loadCityPack } from '@ioc/shared/city-packs'
import { readMetric } from '../helpers/metrics.ts'
import { startServer } from '../helpers/server.ts'

/**
 * The embedded broker hands every device's publishes to the ingest as they come: under a burst from
 * many connections, the group commit stores many in one statement, and still no PUBACK leaves before
 * the reading it acknowledges is stored.
 */
const CONNECTIONS = 10
const PER_CONNECTION = 100
const stationIds = loadCityPack('tam-ky').stations.map((s) => s.id)

const cleanup: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

it('stores a burst from many connections in groups, each reading stored before its PUBACK', async () => {
  const server = await startServer()
  cleanup.push(() => server.close())
  const t0 = Date.now() - 3_600_000
  const storedWhenAcked: boolean[] = []
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, c) => {
      const client = await mqtt.connectAsync(server.mqttUrl, { clientId: clientIdForUrl(server.mqttUrl, `group-commit-${c}`), reconnectPeriod: 0 })
      cleanup.push(() => client.endAsync(true))
      // Every publish of the connection in flight at once, as a gateway with a backlog sends them.
      await Promise.all(
        Array.from({ length: PER_CONNECTION }, async (_, i) => {
          const stationId = stationIds[(c + i) % stationIds.length]!
          const tsMs = t0 + (c * PER_CONNECTION + i) * 1000
          await client.publishAsync(floodReadingTopic(stationId), JSON.stringify({ ts: new Date(tsMs).toISOString(), waterLevelCm: 100 + i }), { qos: 1 })
          // Acknowledged: it must be in the store now, not merely on its way there.
          storedWhenAcked.push((await server.app.readings.points(stationId, tsMs, tsMs, 0)).length === 1)
        }),
      )
    }),
  )
  const total = CONNECTIONS * PER_CONNECTION
  expect(storedWhenAcked.filter(Boolean)).toHaveLength(total)
  expect(await server.app.readings.count()).toBe(total)
  const groups = await readMetric(server.baseUrl, 'ioc_ingest_group_commit_messages_count')
  const messages = await readMetric(server.baseUrl, 'ioc_ingest_group_commit_messages_sum')
  expect(messages).toBe(total)
  // One statement for several readings, not one per reading.
  expect(groups).toBeLessThan(total / 2)
})
