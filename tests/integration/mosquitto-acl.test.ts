import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import mqtt, { type ErrorWithReasonCode, type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientIdFor, floodReadingTopic } from '@ioc/shared'
import { startMosquitto, type MosquittoInstance } from '../helpers/mosquitto.ts'
import { startServer, type TestServer } from '../helpers/server.ts'
import { connectSocket, nextEvent, type IocClientSocket } from '../helpers/socket.ts'

/**
 * The external-broker setup docs/devices-and-mqtt.md, "Devices and MQTT credentials" documents, proven on a private
 * Mosquitto (never the machine's shared one): its ACL is read from that document itself, so the two cannot
 * drift apart. The IOC ingest logs in through IOC_MQTT_URL.
 */

/** The fenced block of docs/devices-and-mqtt.md that starts with `# ioc.acl`. */
function documentedAcl(): string {
  const readme = readFileSync(new URL('../../docs/devices-and-mqtt.md', import.meta.url), 'utf8')
  const block = /```\n(# ioc\.acl[\s\S]*?)```/.exec(readme)
  if (!block) throw new Error('docs/devices-and-mqtt.md has no ```-block starting with "# ioc.acl"')
  return block[1]!
}

const passwords = {
  'ioc-ingest': `ingest-${randomUUID()}`,
  'lora-gw-1': `gateway-${randomUUID()}`,
  'tam-ky-river': `river-${randomUUID()}`,
  'cau-xuan-quy': `bridge-${randomUUID()}`,
}

describe('Mosquitto with the documented password file and ACL', () => {
  let mosquitto: MosquittoInstance
  let server: TestServer
  let socket: IocClientSocket
  const clients: MqttClient[] = []

  const connect = async (username?: keyof typeof passwords, password = username && passwords[username]) => {
    // Client ids as the embedded broker requires them (docs/devices-and-mqtt.md, "Client ids"), though Mosquitto does not check them.
    const clientId = username ? clientIdFor(username, `device-${randomUUID().slice(0, 8)}`) : `device-${randomUUID().slice(0, 8)}`
    const client = await mqtt.connectAsync(mosquitto.url, { clientId, username, password, protocolVersion: 4, reconnectPeriod: 0 })
    clients.push(client)
    return client
  }
  const reading = (waterLevelCm: number) => ({ ts: new Date(Date.now() - Math.floor(Math.random() * 60_000)).toISOString(), waterLevelCm })
  const storedAt = async (stationId: string, ts: string) => (await server.app.readings.points(stationId, Date.parse(ts), Date.parse(ts), 0)).length

  beforeAll(async () => {
    const acl = documentedAcl()
    expect(acl).toContain('pattern write ioc/v1/flood/%u/reading')
    // docs/devices-and-mqtt.md, "Using Mosquitto": with ACLs, a finite queue limit. Mosquitto 2.0.11 with `max_queued_messages 0` stops
    // acknowledging a client's QoS 1 publishes after it refused one of them.
    mosquitto = await startMosquitto({ passwords, acl, extraConfig: ['max_queued_messages 1000000'] })
    server = await startServer({ mqttUrl: `mqtt://ioc-ingest:${passwords['ioc-ingest']}@127.0.0.1:${mosquitto.port}` })
    socket = await connectSocket(server.baseUrl)
  })
  afterAll(async () => {
    await Promise.all(clients.splice(0).map((c) => c.endAsync(true)))
    socket?.close()
    await server?.close()
    await mosquitto?.stop()
  })

  it('stores a device’s reading on its own topic; one on another station’s topic never reaches the store', async () => {
    const device = await connect('tam-ky-river')
    const forbidden = reading(111)
    const own = reading(222)
    const ownStored = nextEvent(socket, 'reading:new', (r) => r.stationId === 'tam-ky-river' && r.ts === own.ts)
    // In order from one client: once the permitted one is stored, the forbidden one would have been too.
    await device.publishAsync(floodReadingTopic('cau-xuan-quy'), JSON.stringify(forbidden), { qos: 1 })
    await device.publishAsync(floodReadingTopic('tam-ky-river'), JSON.stringify(own), { qos: 1 })
    await ownStored
    expect(await storedAt('tam-ky-river', own.ts)).toBe(1)
    expect(await storedAt('cau-xuan-quy', forbidden.ts)).toBe(0)
  })

  it('lets a gateway publish for any device', async () => {
    const gateway = await connect('lora-gw-1')
    const sample = reading(180)
    const stored = nextEvent(socket, 'reading:new', (r) => r.stationId === 'cau-xuan-quy' && r.ts === sample.ts)
    await gateway.publishAsync(floodReadingTopic('cau-xuan-quy'), JSON.stringify(sample), { qos: 1 })
    await stored
  })

  it('refuses anonymous clients and wrong passwords', async () => {
    const code = (attempt: Promise<unknown>) =>
      attempt.then(
        () => undefined,
        (error: ErrorWithReasonCode) => error.code,
      )
    expect(await code(connect())).toBe(5)
    expect(await code(connect('tam-ky-river', 'wrong'))).toBe(5)
  })
})
