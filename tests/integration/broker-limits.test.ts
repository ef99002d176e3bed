import { once } from 'node:events'
import { createConnection, type Socket } from 'node:net'
import mqtt, { MqttClient, type ErrorWithReasonCode } from 'mqtt'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { clientIdFor, floodReadingTopic } from '@ioc/shared'
import { readMetric } from '../helpers/metrics.ts'
import { startServer, type TestServer } from '../helpers/server.ts'
import { connectSocket, nextEvent, type IocClientSocket } from '../helpers/socket.ts'

/**
 * What the embedded broker refuses before it costs anything (issue #15): packets bigger than
 * IOC_MQTT_MAX_PACKET_BYTES, closed as soon as their header announces them, and password guessing,
 * refused unchecked once over the failure limits — while real devices go on publishing.
 */

/** MQTT's remaining-length encoding: 7 bits a byte, least significant first. */
function varint(n: number): number[] {
  const bytes: number[] = []
  do {
    let byte = n % 128
    n = Math.floor(n / 128)
    if (n > 0) byte |= 0x80
    bytes.push(byte)
  } while (n > 0)
  return bytes
}

/**
 * Writes `total` bytes 1 MB at a time, each write waiting for the last; resolves with how many the
 * connection took before it failed (all of them if it never did).
 */
async function writeUntilRefused(socket: Socket, total: number): Promise<number> {
  const chunk = Buffer.alloc(1024 * 1024, 0x41)
  let taken = 0
  while (taken < total) {
    const failed = await new Promise<boolean>((resolve) => socket.write(chunk, (error) => resolve(error != null)))
    if (failed || socket.destroyed) return taken
    taken += chunk.length
  }
  return taken
}

describe('embedded broker limits', () => {
  let server: TestServer
  let socket: IocClientSocket
  const clients: MqttClient[] = []

  /** A real mqtt.js client from a chosen loopback address; resolves with it, or with the CONNACK refusal code. */
  const connectFrom = (localAddress: string, username: string, password: string, clientId = clientIdFor(username, 'test')) => {
    const client = new MqttClient(() => createConnection({ host: '127.0.0.1', port: server.app.embeddedBrokerPort!, localAddress }), { clientId, username, password, protocolVersion: 4, reconnectPeriod: 0 })
    clients.push(client)
    return new Promise<MqttClient | number>((resolve, reject) => {
      client.once('connect', () => resolve(client))
      client.once('error', (error) => {
        const code = (error as ErrorWithReasonCode).code
        if (typeof code === 'number') resolve(code)
        else reject(error)
      })
      client.once('close', () => reject(new Error('closed without a CONNACK')))
    })
  }
  const connect = async (username: string, password: string, clientId = clientIdFor(username, 'test')) => {
    const client = await mqtt.connectAsync(server.app.mqttUrl, { clientId, username, password, protocolVersion: 4, reconnectPeriod: 0 })
    clients.push(client)
    return client
  }
  const reading = (waterLevelCm: number) => ({ ts: new Date(Date.now() - Math.floor(Math.random() * 60_000)).toISOString(), waterLevelCm })
  const publishStored = async (client: MqttClient, stationId: string, waterLevelCm: number) => {
    const sample = reading(waterLevelCm)
    const stored = nextEvent(socket, 'reading:new', (r) => r.stationId === stationId && r.ts === sample.ts)
    await client.publishAsync(floodReadingTopic(stationId), JSON.stringify(sample), { qos: 1 })
    await stored
  }

  beforeEach(async () => {
    server = await startServer()
    socket = await connectSocket(server.baseUrl)
  })
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.endAsync(true)))
    socket?.close()
    await server?.close()
  })

  it('closes a connection whose CONNECT announces 200 MB the moment its header arrives, before login, taking almost none of it', async () => {
    const raw = createConnection({ host: '127.0.0.1', port: server.app.embeddedBrokerPort! })
    await once(raw, 'connect')
    raw.on('error', () => undefined) // the reset the refusal causes
    const closed = new Promise((resolve) => raw.once('close', resolve))
    raw.write(Buffer.from([0x10, ...varint(200 * 1024 * 1024)]))
    // Then the body it announced: a server that buffers it takes all 64 MB; the guard closed the
    // connection at the header, so the writes fail once the kernel buffers between us are full.
    const taken = await writeUntilRefused(raw, 64 * 1024 * 1024)
    expect(taken).toBeLessThan(64 * 1024 * 1024)
    await closed

    expect(await readMetric(server.baseUrl, 'ioc_mqtt_oversized_packets_total', { packet: 'connect' })).toBe(1)
    const [letter] = await server.app.deadLetters.list(10)
    expect(letter).toMatchObject({ reason: 'oversized', topic: '', payloadBase64: '' })
    expect(letter!.detail).toMatch(/^CONNECT packet of 209715205 bytes, over the 65536-byte limit .* from a client not logged in \(client id unknown, address 127\.0\.0\.1\)/)
  })

  it("closes a device's connection at a PUBLISH over the limit, keeps its topic and first 4 KB, and readings keep flowing", async () => {
    const [river, bridge] = await server.app.deviceCredentials.issueDevices(['tam-ky-river', 'cau-xuan-quy'])
    const other = await connect(bridge!.username, bridge!.password)
    const device = await connect(river!.username, river!.password, 'tam-ky-river.big')
    device.on('error', () => undefined) // the reset the refusal causes
    const closed = new Promise<void>((resolve) => device.once('close', () => resolve()))
    device.publish(floodReadingTopic('tam-ky-river'), Buffer.alloc(100_000, 'x'), { qos: 1 }, () => undefined)
    await closed

    await publishStored(other, 'cau-xuan-quy', 150)
    // The device itself, once it sends what fits, is welcome again.
    await publishStored(await connect(river!.username, river!.password), 'tam-ky-river', 151)

    expect(await readMetric(server.baseUrl, 'ioc_mqtt_oversized_packets_total', { packet: 'publish' })).toBe(1)
    const letter = (await server.app.deadLetters.list(10)).find((l) => l.reason === 'oversized')
    expect(letter).toMatchObject({ topic: floodReadingTopic('tam-ky-river') })
    expect(letter!.detail).toContain('PUBLISH packet of 100041 bytes')
    expect(letter!.detail).toContain('device "tam-ky-river" (client id "tam-ky-river.big", address 127.0.0.1)')
    const kept = Buffer.from(letter!.payloadBase64, 'base64')
    expect(kept.length).toBeGreaterThan(0)
    expect(kept.length).toBeLessThanOrEqual(4096)
    expect(kept.every((byte) => byte === 0x78)).toBe(true)
  })

  it('refuses password guessing unchecked once over the limit, audits it once a minute, and lets the real device in', async () => {
    const [river] = await server.app.deviceCredentials.issueDevices(['tam-ky-river'])
    const answers: (MqttClient | number)[] = []
    for (let i = 0; i < 30; i++) answers.push(await connectFrom('127.0.0.2', 'tam-ky-river', `guess-${i}`))
    expect(answers).toEqual(Array(30).fill(5))
    // Ten were checked with argon2; the twenty after them were refused without a check.
    expect(await readMetric(server.baseUrl, 'ioc_mqtt_connect_refused_total', { reason: 'bad_credentials' })).toBe(10)
    expect(await readMetric(server.baseUrl, 'ioc_mqtt_connect_refused_total', { reason: 'throttled' })).toBe(20)

    // One entry each for this minute; the attempts after the first are counted in the next.
    const failed = await server.app.audit.list({ action: 'mqtt.connect_failed' })
    expect(failed.map((e) => [e.actor, e.ip, e.target, e.detail])).toEqual([['tam-ky-river', '127.0.0.2', 'mqtt', { count: 1, usernames: ['tam-ky-river'] }]])
    const throttled = await server.app.audit.list({ action: 'mqtt.connect_throttled' })
    expect(throttled.map((e) => [e.actor, e.ip, e.detail])).toEqual([['tam-ky-river', '127.0.0.2', { count: 1, usernames: ['tam-ky-river'] }]])

    // The device itself, from its own address, with its password: in, and publishing.
    const device = await connectFrom('127.0.0.1', 'tam-ky-river', river!.password)
    expect(device).toBeInstanceOf(MqttClient)
    await publishStored(device as MqttClient, 'tam-ky-river', 160)
    // Behind the guesser's address too (one NAT): a password verified a moment ago needs no check.
    expect(await connectFrom('127.0.0.2', 'tam-ky-river', river!.password, 'tam-ky-river.nat')).toBeInstanceOf(MqttClient)
    expect(await readMetric(server.baseUrl, 'ioc_mqtt_connect_refused_total', { reason: 'bad_credentials' })).toBe(10)
  })
})
