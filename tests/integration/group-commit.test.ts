import { afterEach, expect, it } from 'vitest'
import mqtt from 'mqtt'
import { clientIdForUrl, floodReadingTopic } from '@ioc/shared'
import { loadCityPack } from '@ioc/shared/city-packs'
import pg from 'pg'
import { INGEST_WINDOW } from '../../server/src/plugins/app/ingest/broker-subscription.plugin.ts'
import { readMetric } from '../helpers/metrics.ts'
import { startMosquitto } from '../helpers/mosquitto.ts'
import { freshPostgresSchema, TEST_DB_URL } from '../helpers/postgres.ts'
import { startServer, type TestServer } from '../helpers/server.ts'

/**
 * Both brokers hand the ingest many messages at once: the embedded broker every device's publishes as
 * they come, under a burst from many connections; an external broker up to the ingest's window on its
 * one connection. The group commit stores many in one statement, and still no PUBACK leaves before the
 * reading it acknowledges is stored.
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

/** Resolves once `done()` holds, polled every 50 ms; rejects with `what()` after `deadlineMs`. */
async function until(done: () => Promise<boolean>, what: () => Promise<string>, deadlineMs = 30_000) {
  const deadline = Date.now() + deadlineMs
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(await what())
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

it('from Mosquitto: stores a backlog in groups of at most the ingest window, and acknowledges nothing of a group that failed', async () => {
  const broker = await startMosquitto()
  cleanup.push(() => broker.stop())
  const db = await freshPostgresSchema()
  cleanup.push(() => db.drop())
  const admin = new pg.Client({ connectionString: TEST_DB_URL })
  await admin.connect()
  cleanup.push(() => admin.end())
  // The same ingest client id for both servers: the second one takes over the first one's session.
  const env = { IOC_MQTT_CLIENT_ID: `group-commit-ingest-${Date.now()}` }
  const first = await startServer({ dbUrl: db.url, mqttUrl: broker.url, env })
  let firstClosed = false
  cleanup.push(async () => {
    if (!firstClosed) await first.app.close()
  })
  // A real store failure: the readings table is gone (renamed) under the running server.
  await admin.query(`ALTER TABLE ${db.schema}.readings RENAME TO readings_away`)

  const total = 500
  const t0 = Date.now() - 3_600_000
  const device = await mqtt.connectAsync(broker.url, { clientId: `group-commit-device-${Date.now()}`, reconnectPeriod: 0 })
  cleanup.push(() => device.endAsync(true))
  // Mosquitto acknowledges each to the device; the ingest gets them as fast as its window lets it.
  await Promise.all(
    Array.from({ length: total }, (_, i) =>
      device.publishAsync(floodReadingTopic(stationIds[i % stationIds.length]!), JSON.stringify({ ts: new Date(t0 + i * 1000).toISOString(), waterLevelCm: 100 + (i % 50) }), { qos: 1 }),
    ),
  )
  const readyz = async (s: TestServer) => (await (await fetch(`${s.baseUrl}/readyz`)).json()) as { ready: boolean; store: boolean }
  await until(async () => (await readyz(first)).store === false, async () => `the first server never found its store failing: ${JSON.stringify(await readyz(first))}`)
  // Stopped while its group is being retried: had it acknowledged any of it, Mosquitto would not deliver it again.
  await first.app.close()
  firstClosed = true
  await admin.query(`ALTER TABLE ${db.schema}.readings_away RENAME TO readings`)

  const second = await startServer({ dbUrl: db.url, mqttUrl: broker.url, env })
  cleanup.push(() => second.close())
  await until(
    async () => (await second.app.readings.count()) === total,
    async () => `stored ${await second.app.readings.count()} of ${total}`,
  )
  const groups = await readMetric(second.baseUrl, 'ioc_ingest_group_commit_messages_count')
  expect(await readMetric(second.baseUrl, 'ioc_ingest_group_commit_messages_sum')).toBe(total)
  // Many readings to a statement, and never more than the window at once.
  expect(groups).toBeLessThan(total / 4)
  expect(INGEST_WINDOW).toBeLessThanOrEqual(100)
  expect(await readMetric(second.baseUrl, 'ioc_ingest_group_commit_messages_bucket', { le: '100' })).toBe(groups)
})
