import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import mqtt, { type MqttClient } from 'mqtt'
import pg from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import { clientIdFor, clientIdForUrl, floodReadingTopic, type DeadLetterList } from '@ioc/shared'
import { loginAsAdmin } from '../helpers/auth.ts'
import { readMetric } from '../helpers/metrics.ts'
import { startMosquitto } from '../helpers/mosquitto.ts'
import { freshPostgresSchema, TEST_DB_URL } from '../helpers/postgres.ts'
import { startServer, type TestServer } from '../helpers/server.ts'
import { connectSocket, nextEvent, type IocClientSocket } from '../helpers/socket.ts'

/**
 * Issue #15: one message the store cannot write must never stall the ingest. Before, a reading with
 * `"seq":100000000000000000000` (beyond PostgreSQL's bigint) or a payload with a NUL byte (its
 * JSON.parse error, NUL included, became the dead letter's detail) failed the PostgreSQL write; the
 * ingest retried it forever, every device's readings stopped and /readyz stayed 503. Real servers,
 * real SQLite and PostgreSQL, real MQTT clients through the embedded broker and a Mosquitto of the
 * test's own: each test sends the poison, then a good reading, and needs the good one stored.
 */

const cleanup: (() => unknown)[] = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

/** Resolves with `work`, or fails with `failure` after `ms`: a stalled ingest fails the test, never hangs it. */
async function within<T>(work: Promise<T>, ms: number, failure: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(failure)), ms)))
  try {
    return await Promise.race([work, timeout])
  } finally {
    clearTimeout(timer)
  }
}
const STALL_MS = 10_000

interface Setup {
  server: TestServer
  socket: IocClientSocket
  /** A gateway (embedded broker) or anonymous client (Mosquitto) that may publish for any station. */
  device: MqttClient
  /** Runs SQL on the server's own database, as a database administrator would. */
  admin(statement: string): Promise<void>
}

async function start(engine: 'sqlite' | 'postgres', broker: 'embedded' | 'mosquitto'): Promise<Setup> {
  let dbUrl: string | undefined
  let schema: string | undefined
  if (engine === 'postgres') {
    const db = await freshPostgresSchema()
    cleanup.push(() => db.drop())
    ;({ url: dbUrl, schema } = db)
  }
  let mqttUrl: string | undefined
  if (broker === 'mosquitto') {
    const mosquitto = await startMosquitto()
    cleanup.push(() => mosquitto.stop())
    mqttUrl = mosquitto.url
  }
  const server = await startServer({ dbUrl, mqttUrl })
  cleanup.push(() => server.close())
  const socket = await connectSocket(server.baseUrl)
  cleanup.push(() => socket.close())
  const device = await mqtt.connectAsync(server.mqttUrl, { clientId: clientIdForUrl(server.mqttUrl, `poison-${randomUUID().slice(0, 8)}`), reconnectPeriod: 0 })
  cleanup.push(() => device.endAsync(true))
  const admin = async (statement: string) => {
    if (schema === undefined) {
      const sqlite = new BetterSqlite3(join(server.dataDir, 'ioc.sqlite'))
      try {
        sqlite.exec(statement)
      } finally {
        sqlite.close()
      }
      return
    }
    const client = new pg.Client({ connectionString: TEST_DB_URL })
    await client.connect()
    try {
      await client.query(`SET search_path TO ${schema}`)
      await client.query(statement)
    } finally {
      await client.end()
    }
  }
  return { server, socket, device, admin }
}

/** Publishes QoS 1 and waits for the PUBACK: with the embedded broker, that is once the message is stored or refused and kept. */
const publish = (client: MqttClient, topic: string, payload: string | Buffer, what: string) =>
  within(client.publishAsync(topic, payload, { qos: 1 }), STALL_MS, `no PUBACK for ${what} within ${STALL_MS / 1000} s: the ingest is stalled on it`)

/** Publishes a good reading and waits until it is stored and pushed. */
async function goodReadingGetsThrough({ socket, device }: Setup, stationId = 'tam-ky-river', client = device): Promise<void> {
  const good = { ts: new Date(Date.now() - 30_000).toISOString(), waterLevelCm: 150 }
  const stored = nextEvent(socket, 'reading:new', (r) => r.stationId === stationId && r.ts === good.ts)
  await publish(client, floodReadingTopic(stationId), JSON.stringify(good), 'the good reading')
  await within(stored, STALL_MS, `the good reading sent after the poison was not stored within ${STALL_MS / 1000} s: the ingest is stalled`)
}

async function readyStatus(server: TestServer): Promise<number> {
  return (await fetch(`${server.baseUrl}/readyz`)).status
}

async function deadLetters(server: TestServer): Promise<DeadLetterList['deadLetters']> {
  const admin = await loginAsAdmin(server)
  return ((await (await admin.fetch('/api/dead-letters?limit=10')).json()) as DeadLetterList).deadLetters
}

const FLOOD = floodReadingTopic('tam-ky-river')
const ENGINES = [
  ['SQLite', 'sqlite'],
  ['PostgreSQL', 'postgres'],
] as const
const BROKERS = [
  ['the embedded broker', 'embedded'],
  ['Mosquitto', 'mosquitto'],
] as const

describe.each(ENGINES)('on %s', (_engineName, engine) => {
  describe.each(BROKERS)('through %s', (_brokerName, broker) => {
    it('refuses a seq of 1e20 and a payload with a NUL byte, keeps them as dead letters, and stores the good reading after them', async () => {
      const setup = await start(engine, broker)
      const { server, device } = setup
      const ts = new Date(Date.now() - 60_000).toISOString()
      await publish(device, FLOOD, `{"ts":"${ts}","waterLevelCm":120,"seq":100000000000000000000}`, 'the reading with seq 1e20')
      await publish(device, FLOOD, Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x00, 0x7d]), 'the payload {"a":<NUL>}')
      // MQTT forbids U+0000 in a topic: Mosquitto closes the connection of a client that sends one,
      // Aedes lets it through to the ingest.
      if (broker === 'embedded') await publish(device, 'ioc/v1/flood/tam\u0000ky/reading', `{"ts":"${ts}","waterLevelCm":120}`, 'the topic with a NUL')
      await goodReadingGetsThrough(setup)

      expect(await readyStatus(server)).toBe(200)
      const letters = await deadLetters(server)
      expect(letters.map((l) => [l.reason, l.topic, l.detail])).toEqual([
        ...(broker === 'embedded' ? [['unknown_station', 'ioc/v1/flood/tam\uFFFDky/reading', 'no station "tam\uFFFDky" in the city pack']] : []),
        // The JSON.parse error quotes the payload: its NUL is kept as U+FFFD, which PostgreSQL can hold.
        ['malformed_json', FLOOD, `Unexpected token '\uFFFD', "{"a":\uFFFD}" is not valid JSON`],
        ['schema', FLOOD, `/seq must be <= ${Number.MAX_SAFE_INTEGER}`],
      ])
      // The payload is kept as the device sent it, NUL byte and all.
      expect(Buffer.from(letters[broker === 'embedded' ? 1 : 0]!.payloadBase64, 'base64')).toEqual(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x00, 0x7d]))
    })

    it('keeps a valid reading the store refuses (a rule added to the database) as a store_rejected dead letter, and goes on', async () => {
      const setup = await start(engine, broker)
      const { server, device, admin } = setup
      await admin(
        engine === 'postgres'
          ? 'ALTER TABLE readings ADD CONSTRAINT plausible_level CHECK (water_level_cm <= 1000)'
          : "CREATE TRIGGER plausible_level BEFORE INSERT ON readings WHEN NEW.water_level_cm > 1000 BEGIN SELECT RAISE(ABORT, 'implausible level'); END",
      )
      const refused = JSON.stringify({ ts: new Date(Date.now() - 60_000).toISOString(), waterLevelCm: 4000 })
      await publish(device, FLOOD, refused, 'the reading the store refuses')
      await goodReadingGetsThrough(setup)

      expect(await readyStatus(server)).toBe(200)
      const [letter] = await deadLetters(server)
      expect(letter).toMatchObject({
        reason: 'store_rejected',
        topic: FLOOD,
        payloadText: refused,
        detail: engine === 'postgres' ? expect.stringMatching(/^the store refused it: 23514 .*plausible_level/) : 'the store refused it: SQLITE_CONSTRAINT_TRIGGER implausible level',
      })
      expect(await readMetric(server.baseUrl, 'ioc_ingest_rejected_total', { reason: 'store_rejected' })).toBe(1)
    })
  })

  it("acknowledges refused messages whose dead letter the store refuses too — the ingest's and the embedded broker's — counting them, and goes on", async () => {
    const setup = await start(engine, 'embedded')
    const { server, device, admin } = setup
    await admin(
      engine === 'postgres'
        ? 'ALTER TABLE dead_letters ADD CONSTRAINT refuse_all CHECK (false)'
        : "CREATE TRIGGER refuse_all BEFORE INSERT ON dead_letters BEGIN SELECT RAISE(ABORT, 'no dead letters'); END",
    )
    // The ingest's refusal: not JSON.
    await publish(device, FLOOD, '{"ts":', 'the malformed payload')
    // The embedded broker's refusal: a device publishing to another station's topic.
    const [river] = await server.app.deviceCredentials.issueDevices(['tam-ky-river'])
    const riverDevice = await mqtt.connectAsync(server.app.mqttUrl, { clientId: clientIdFor(river!.username, 'poison'), username: river!.username, password: river!.password, reconnectPeriod: 0 })
    cleanup.push(() => riverDevice.endAsync(true))
    await publish(riverDevice, floodReadingTopic('cau-xuan-quy'), JSON.stringify({ ts: new Date().toISOString(), waterLevelCm: 100 }), "the reading on another station's topic")
    expect(riverDevice.connected).toBe(true)
    await goodReadingGetsThrough(setup, 'tam-ky-river', riverDevice)

    expect(await readyStatus(server)).toBe(200)
    expect({
      malformed: await readMetric(server.baseUrl, 'ioc_ingest_dead_letters_lost_total', { reason: 'malformed_json' }),
      unauthorized: await readMetric(server.baseUrl, 'ioc_ingest_dead_letters_lost_total', { reason: 'unauthorized_topic' }),
    }).toEqual({ malformed: 1, unauthorized: 1 })
    expect(await deadLetters(server)).toEqual([])
  })
})
