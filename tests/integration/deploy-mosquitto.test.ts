import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientIdFor, floodReadingTopic } from '@ioc/shared'
import { startMosquitto, type MosquittoInstance } from '../helpers/mosquitto.ts'
import { freshPostgresSchema } from '../helpers/postgres.ts'
import { deleteRedisKeys, TEST_REDIS_URL } from '../helpers/redis.ts'
import { startServer, type TestServer } from '../helpers/server.ts'
import { connectSocket, nextEvent } from '../helpers/socket.ts'

/**
 * The deployment guide's Mosquitto files (deploy/mosquitto/ioc.conf and ioc.acl.example), read from the
 * repository and run in a private Mosquitto — the listener, password file and data dir are the test's
 * own — under two instances that log in with their own ingest accounts, as docs/deployment.md sets up.
 */
const deployFile = (name: string) => readFileSync(new URL(`../../deploy/mosquitto/${name}`, import.meta.url), 'utf8')
/** The guide's settings, less what the helper sets for a private broker (listener, accounts, persistence). */
function documentedSettings(): string[] {
  const lines = deployFile('ioc.conf')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
  expect(lines).toContain('persistence true')
  expect(lines).toContain('max_packet_size 528384')
  return lines.filter((line) => !/^(listener|allow_anonymous|password_file|acl_file|persistence)\b/.test(line))
}

const passwords = {
  'ioc-ingest-1': `ingest-${randomUUID()}`,
  'ioc-ingest-2': `ingest-${randomUUID()}`,
  'tam-ky-river': `river-${randomUUID()}`,
}
const prefix = `ioc-test-${randomUUID().slice(0, 8)}`

describe("the deployment guide's Mosquitto config and ACL under two instances", () => {
  let mosquitto: MosquittoInstance
  let schema: Awaited<ReturnType<typeof freshPostgresSchema>>
  const servers: TestServer[] = []
  let device: MqttClient

  beforeAll(async () => {
    mosquitto = await startMosquitto({ passwords, acl: deployFile('ioc.acl.example'), persistence: true, extraConfig: documentedSettings() })
    schema = await freshPostgresSchema()
    for (const account of ['ioc-ingest-1', 'ioc-ingest-2'] as const) {
      servers.push(
        await startServer({
          mqttUrl: `mqtt://${account}:${passwords[account]}@127.0.0.1:${mosquitto.port}`,
          dbUrl: schema.url,
          env: { IOC_REDIS_URL: TEST_REDIS_URL, IOC_REDIS_PREFIX: prefix, IOC_MQTT_CLIENT_ID: `${prefix}-${account}` },
        }),
      )
    }
    device = await mqtt.connectAsync(mosquitto.url, { clientId: clientIdFor('tam-ky-river', randomUUID().slice(0, 8)), username: 'tam-ky-river', password: passwords['tam-ky-river'], reconnectPeriod: 0 })
  }, 60_000)
  afterAll(async () => {
    await device?.endAsync(true)
    for (const server of servers) await server.close()
    await mosquitto?.stop()
    await schema?.drop()
    await deleteRedisKeys(prefix)
  })

  it("gives each of a station's readings to one instance's ingest account, and stores every one", async () => {
    const start = Date.parse('2026-11-30T02:00:00Z')
    const count = 20
    for (let i = 0; i < count; i++) await device.publishAsync(floodReadingTopic('tam-ky-river'), JSON.stringify({ ts: new Date(start + i * 60_000).toISOString(), waterLevelCm: 80 + i }), { qos: 1 })
    const [first, second] = servers as [TestServer, TestServer]
    const deadline = Date.now() + 10_000
    while ((await first.app.readings.count('tam-ky-river')) < count && Date.now() < deadline) await sleep(25)
    expect(await first.app.readings.count('tam-ky-river')).toBe(count)
    const shares = await Promise.all([first, second].map(async (s) => (await s.app.metrics.ingestStored.get()).values.reduce((sum, v) => sum + v.value, 0)))
    expect(shares.every((share) => share > 0), `shares ${shares.join('/')}`).toBe(true)
    expect(shares[0]! + shares[1]!).toBe(count)
  })

  it("keeps a device to its own topic: a reading published for another station reaches no instance", async () => {
    const ts = '2026-11-30T03:00:00.000Z'
    await device.publishAsync(floodReadingTopic('cau-xuan-quy'), JSON.stringify({ ts, waterLevelCm: 500 }), { qos: 1 })
    // A reading of its own, published after, is the marker that the refused one would have arrived by now.
    const marker = '2026-11-30T03:01:00.000Z'
    await device.publishAsync(floodReadingTopic('tam-ky-river'), JSON.stringify({ ts: marker, waterLevelCm: 90 }), { qos: 1 })
    const readings = servers[0]!.app.readings
    const deadline = Date.now() + 10_000
    while ((await readings.points('tam-ky-river', Date.parse(marker), Date.parse(marker), 0)).length === 0 && Date.now() < deadline) await sleep(25)
    expect(await readings.points('tam-ky-river', Date.parse(marker), Date.parse(marker), 0)).toHaveLength(1)
    expect(await readings.count('cau-xuan-quy')).toBe(0)
  })

  it('disconnects a client whose packet is over max_packet_size, and the device goes on publishing', async () => {
    const big = await mqtt.connectAsync(mosquitto.url, { clientId: clientIdFor('tam-ky-river', 'big'), username: 'tam-ky-river', password: passwords['tam-ky-river'], reconnectPeriod: 0 })
    big.on('error', () => undefined)
    const closed = new Promise<void>((resolve) => big.once('close', () => resolve()))
    big.publish(floodReadingTopic('tam-ky-river'), Buffer.alloc(600_000, 'x'), { qos: 1 }, () => undefined)
    await closed

    const socket = await connectSocket(servers[0]!.baseUrl)
    try {
      const ts = '2026-11-30T04:00:00.000Z'
      const stored = nextEvent(socket, 'reading:new', (r) => r.stationId === 'tam-ky-river' && r.ts === ts)
      await device.publishAsync(floodReadingTopic('tam-ky-river'), JSON.stringify({ ts, waterLevelCm: 95 }), { qos: 1 })
      await stored
    } finally {
      socket.close()
    }
  })
})
