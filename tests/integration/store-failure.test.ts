import { afterEach, describe, expect, it } from 'vitest'
import mqtt from 'mqtt'
import pg from 'pg'
import { clientIdForUrl, floodReadingTopic } from '@ioc/shared'
import { freshPostgresSchema, TEST_DB_URL } from '../helpers/postgres.ts'
import { startServer, type TestServer } from '../helpers/server.ts'
import { connectSocket, nextEvent } from '../helpers/socket.ts'

const cleanup: (() => unknown)[] = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

/** Resolves with /readyz's answer once `wanted(ready)` holds; the server re-checks on each request. */
async function readiness(s: TestServer, wanted: (ready: boolean) => boolean, deadlineMs = 10_000): Promise<{ ready: boolean; store: boolean }> {
  const until = Date.now() + deadlineMs
  for (;;) {
    const body = (await (await fetch(`${s.baseUrl}/readyz`)).json()) as { ready: boolean; store: boolean }
    if (wanted(body.ready) || Date.now() > until) return body
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('when the store cannot write', () => {
  it.each([
    ['the embedded broker', false],
    ['Mosquitto', true],
  ])('through %s: holds the acknowledgement, reports not ready, retries, and stores once the store is back', async (_name, external) => {
    // A real store failure: the readings table disappears (renamed) under a running server on PostgreSQL.
    const db = await freshPostgresSchema()
    cleanup.push(() => db.drop())
    const s = await startServer({ dbUrl: db.url, ...(external && { mqttUrl: process.env.IOC_TEST_MOSQUITTO_URL ?? 'mqtt://127.0.0.1:1883' }) })
    cleanup.push(() => s.close())
    const admin = new pg.Client({ connectionString: TEST_DB_URL })
    await admin.connect()
    cleanup.push(() => admin.end())
    await admin.query(`ALTER TABLE ${db.schema}.readings RENAME TO readings_away`)

    const socket = await connectSocket(s.baseUrl)
    cleanup.push(() => socket.close())
    const ts = new Date(Date.now() - 60_000).toISOString()
    const pushed = nextEvent(socket, 'reading:new', (r) => r.ts === ts)
    const device = await mqtt.connectAsync(s.mqttUrl, { clientId: clientIdForUrl(s.mqttUrl, `store-failure-${Date.now()}`), reconnectPeriod: 0 })
    cleanup.push(() => device.endAsync(true))
    let acknowledged = false
    const publish = device.publishAsync(floodReadingTopic('tam-ky-river'), JSON.stringify({ ts, waterLevelCm: 123 }), { qos: 1 }).then(() => (acknowledged = true))

    expect(await readiness(s, (ready) => !ready)).toMatchObject({ ready: false, store: false })
    // With the embedded broker the device's PUBACK waits for the store. With Mosquitto the device has
    // Mosquitto's PUBACK; it is the ingest's PUBACK to Mosquitto that waits, so Mosquitto keeps it.
    expect(acknowledged).toBe(external)

    await admin.query(`ALTER TABLE ${db.schema}.readings_away RENAME TO readings`)
    await publish
    expect(await pushed).toMatchObject({ stationId: 'tam-ky-river', waterLevelCm: 123 })
    expect(await s.app.readings.count('tam-ky-river')).toBe(1)
    expect(await readiness(s, (ready) => ready)).toMatchObject({ ready: true, store: true })
  })
})
