import { randomUUID } from 'node:crypto'
import mqtt from 'mqtt'
import { afterEach, expect, it } from 'vitest'
import { floodReadingTopic, type DeadLetterList } from '@ioc/shared'
import { loginAsAdmin } from '../helpers/auth.ts'
import { startMosquitto } from '../helpers/mosquitto.ts'
import { startServer } from '../helpers/server.ts'
import { connectSocket, nextEvent } from '../helpers/socket.ts'

/**
 * Issue #15: a dead letter keeps at most 4,096 bytes of what a device sent. Before, a device's 5 MB
 * publish on an external broker was kept whole, and `GET /api/dead-letters` answered 11.7 MB.
 */

const cleanup: (() => unknown)[] = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

const FLOOD = floodReadingTopic('tam-ky-river')

it('keeps the first 4 KB of a 5 MB publish through Mosquitto, saying how large it was', async () => {
  const mosquitto = await startMosquitto()
  cleanup.push(() => mosquitto.stop())
  const server = await startServer({ mqttUrl: mosquitto.url })
  cleanup.push(() => server.close())
  const socket = await connectSocket(server.baseUrl)
  cleanup.push(() => socket.close())
  const device = await mqtt.connectAsync(mosquitto.url, { clientId: `big-${randomUUID().slice(0, 8)}`, reconnectPeriod: 0 })
  cleanup.push(() => device.endAsync(true))

  const huge = Buffer.alloc(5 * 1024 * 1024, ' ')
  huge.write(`{"ts":"${new Date(Date.now() - 60_000).toISOString()}","waterLevelCm":120,"note":"`, 0)
  await device.publishAsync(FLOOD, huge, { qos: 1 })
  // The ingest takes messages in order: once the reading sent after it is stored, the big one is kept.
  const after = { ts: new Date(Date.now() - 30_000).toISOString(), waterLevelCm: 121 }
  const stored = nextEvent(socket, 'reading:new', (r) => r.ts === after.ts)
  await device.publishAsync(FLOOD, JSON.stringify(after), { qos: 1 })
  await stored

  const admin = await loginAsAdmin(server)
  const response = await admin.fetch('/api/dead-letters?limit=10')
  const body = await response.text()
  const [letter] = (JSON.parse(body) as DeadLetterList).deadLetters
  expect(letter).toMatchObject({ reason: 'oversized', topic: FLOOD, detail: 'payload is 5242880 bytes, limit 4096; first 4096 bytes kept' })
  expect(Buffer.from(letter!.payloadBase64, 'base64')).toEqual(huge.subarray(0, 4096))
  expect(body.length).toBeLessThan(12_000)
})

it('answers ?limit=1000 — its largest — in about 10 KB a letter, however large the refused payloads were', async () => {
  const server = await startServer()
  cleanup.push(() => server.close())
  // The store is what keeps dead letters for every caller (ingest and embedded broker alike); fill it
  // with refusals of 20 KB payloads, each five times what a dead letter may keep.
  const payload = Buffer.alloc(20_000, 'x')
  for (let i = 0; i < 1000; i++) {
    await server.app.deadLetters.record({ receivedAtMs: Date.now(), topic: FLOOD, payload, reason: 'oversized', detail: `payload is ${payload.byteLength} bytes, limit 4096` })
  }

  const admin = await loginAsAdmin(server)
  const response = await admin.fetch('/api/dead-letters?limit=1000')
  const body = await response.text()
  const { deadLetters } = JSON.parse(body) as DeadLetterList
  expect(deadLetters).toHaveLength(1000)
  expect(deadLetters.every((l) => Buffer.from(l.payloadBase64, 'base64').byteLength === 4096 && l.payloadText === 'x'.repeat(4096))).toBe(true)
  // Per letter: 5,464 characters of base64, 4,096 of text, and topic, detail and field names.
  expect(body.length).toBeLessThan(1000 * 10_000)
  expect((await admin.fetch('/api/dead-letters?limit=1001')).status).toBe(400)
})
