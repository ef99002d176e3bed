import { randomUUID } from 'node:crypto'
import mqtt, { type ErrorWithReasonCode, type MqttClient } from 'mqtt'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cameraStatusTopic, clientIdFor, floodReadingTopic } from '@ioc/shared'
import { startSimulation } from '@ioc/simulators'
import { readMetric } from '../helpers/metrics.ts'
import { startServer, type TestServer } from '../helpers/server.ts'
import { connectSocket, nextEvent, type IocClientSocket } from '../helpers/socket.ts'

/**
 * The embedded broker's device credentials, with real mqtt.js clients: each device publishes to its
 * own topic only, a gateway for any device, and nobody connects without a valid credential.
 */
describe('embedded broker device credentials', () => {
  let server: TestServer
  let socket: IocClientSocket
  const clients: MqttClient[] = []

  const brokerUrl = () => server.app.mqttUrl
  /** A client id of the credential's own (`<username>.device-…`) unless told otherwise. */
  const connect = async (username?: string, password?: string, clientId = username ? clientIdFor(username, `device-${randomUUID().slice(0, 8)}`) : `device-${randomUUID().slice(0, 8)}`) => {
    const client = await mqtt.connectAsync(brokerUrl(), { clientId, username, password, reconnectPeriod: 0 })
    clients.push(client)
    return client
  }
  /** The CONNACK return code a connect attempt gets. */
  const refusal = async (username?: string, password?: string, clientId?: string) => {
    const error = (await connect(username, password, clientId).then(
      () => undefined,
      (e: unknown) => e,
    )) as ErrorWithReasonCode | undefined
    return error?.code
  }
  const reading = (waterLevelCm: number) => ({ ts: new Date(Date.now() - Math.floor(Math.random() * 60_000)).toISOString(), waterLevelCm })
  const storedAt = async (stationId: string, ts: string) => (await server.app.readings.points(stationId, Date.parse(ts), Date.parse(ts), 0)).length

  beforeEach(async () => {
    server = await startServer()
    socket = await connectSocket(server.baseUrl)
  })
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.endAsync(true)))
    socket.close()
    await server.close()
  })

  it("stores a device's reading on its own topic, and refuses, counts and dead-letters one on another station's topic", async () => {
    const [river] = await server.app.deviceCredentials.issueDevices(['tam-ky-river'])
    const device = await connect(river!.username, river!.password)
    const forbidden = reading(111)
    const own = reading(222)
    const ownStored = nextEvent(socket, 'reading:new', (r) => r.stationId === 'tam-ky-river' && r.ts === own.ts)

    // The refused one is acknowledged like any other (see broker.plugin.ts) — after it is dead-lettered.
    await device.publishAsync(floodReadingTopic('cau-xuan-quy'), JSON.stringify(forbidden), { qos: 1 })
    await device.publishAsync(floodReadingTopic('tam-ky-river'), JSON.stringify(own), { qos: 1 })
    await ownStored
    expect(device.connected).toBe(true)

    expect(await storedAt('tam-ky-river', own.ts)).toBe(1)
    expect(await storedAt('cau-xuan-quy', forbidden.ts)).toBe(0)
    expect(await readMetric(server.baseUrl, 'ioc_ingest_rejected_total', { reason: 'unauthorized_topic' })).toBe(1)
    const [letter] = await server.app.deadLetters.list(10)
    expect(letter).toMatchObject({ topic: floodReadingTopic('cau-xuan-quy'), reason: 'unauthorized_topic' })
    expect(letter!.detail).toContain('device "tam-ky-river"')
    expect(JSON.parse(Buffer.from(letter!.payloadBase64, 'base64').toString())).toEqual(forbidden)
  })

  it('refuses anonymous connections, wrong passwords and unknown usernames with CONNACK 5 (not authorized)', async () => {
    const [river] = await server.app.deviceCredentials.issueDevices(['tam-ky-river'])
    expect(await refusal()).toBe(5)
    expect(await refusal('tam-ky-river', `${river!.password}x`)).toBe(5)
    expect(await refusal('cau-xuan-quy', river!.password)).toBe(5)
    expect(await refusal('tam-ky-river', river!.password)).toBeUndefined()
  })

  it('lets a gateway publish for any device', async () => {
    const gateway = await server.app.deviceCredentials.issueGateway('lora-gw-1')
    const client = await connect(gateway.username, gateway.password)
    const flood = reading(150)
    const camera = { ts: flood.ts, state: 'online' }
    const floodStored = nextEvent(socket, 'reading:new', (r) => r.stationId === 'hoa-huong-1' && r.ts === flood.ts)
    // The ingest takes one client's messages in order: once the reading is stored, so is the status before it.
    await client.publishAsync(cameraStatusTopic('cam-cau-tam-ky'), JSON.stringify(camera), { qos: 1 })
    await client.publishAsync(floodReadingTopic('hoa-huong-1'), JSON.stringify(flood), { qos: 1 })
    await floodStored
    expect((await server.app.cameraStatuses.latest(['cam-cau-tam-ky'])).get('cam-cau-tam-ky')).toMatchObject(camera)
    expect(await readMetric(server.baseUrl, 'ioc_ingest_rejected_total', { reason: 'unauthorized_topic' })).toBe(0)
  })

  it('lets neither devices nor gateways subscribe', async () => {
    const gateway = await server.app.deviceCredentials.issueGateway('lora-gw-1')
    const client = await connect(gateway.username, gateway.password)
    // SUBACK 0x80 (failure), which mqtt.js turns into an error; the connection stays up.
    await expect(client.subscribeAsync('ioc/v1/#', { qos: 1 })).rejects.toThrow(/Subscribe error/)
    const [river] = await server.app.deviceCredentials.issueDevices(['tam-ky-river'])
    const device = await connect(river!.username, river!.password)
    await expect(device.subscribeAsync(floodReadingTopic('tam-ky-river'), { qos: 1 })).rejects.toThrow(/Subscribe error/)
    expect(client.connected && device.connected).toBe(true)
  })

  it('tells a simulator clearly that the broker refused its credentials, and runs one with a gateway credential', async () => {
    const pack = server.app.city
    const port = server.app.embeddedBrokerPort
    await expect(startSimulation({ url: `mqtt://nobody:wrong@127.0.0.1:${port}`, scenario: 'calm', pack })).rejects.toThrow(
      /at mqtt:\/\/nobody:\*\*\*@127\.0\.0\.1:\d+: .*Not authorized: the broker refused the credentials/,
    )
    const gateway = await server.app.deviceCredentials.issueGateway('sim-gw')
    const simulation = await startSimulation({ url: `mqtt://sim-gw:${gateway.password}@127.0.0.1:${port}`, scenario: 'load', count: 20, pack })
    await simulation.done
    expect(simulation.published).toBe(20)
  })

  it("binds client ids to credentials: another device's id is refused and its holder stays connected; a gateway uses its own prefix", async () => {
    const [river, bridge] = await server.app.deviceCredentials.issueDevices(['tam-ky-river', 'cau-xuan-quy'])
    const gateway = await server.app.deviceCredentials.issueGateway('lora-gw-1')
    const device = await connect(river!.username, river!.password, 'tam-ky-river')
    let deviceClosed = false
    device.once('close', () => (deviceClosed = true))

    // Before this rule, each of these connects took "tam-ky-river" over and disconnected the device.
    expect(await refusal(bridge!.username, bridge!.password, 'tam-ky-river')).toBe(5)
    expect(await refusal(gateway.username, gateway.password, 'tam-ky-river')).toBe(5)
    // A separator that no username holds: "tam-ky-river.x" is the river's, never another credential's.
    expect(await refusal(bridge!.username, bridge!.password, 'tam-ky-river.2')).toBe(5)
    expect(await refusal(gateway.username, gateway.password, 'lora-gw-1-fake')).toBe(5)
    expect(await readMetric(server.baseUrl, 'ioc_mqtt_connect_refused_total', { reason: 'client_id' })).toBe(4)

    // Still connected, still publishing: its reading, published after the refusals, arrives.
    const own = reading(230)
    const ownStored = nextEvent(socket, 'reading:new', (r) => r.stationId === 'tam-ky-river' && r.ts === own.ts)
    await device.publishAsync(floodReadingTopic('tam-ky-river'), JSON.stringify(own), { qos: 1 })
    await ownStored
    expect(deviceClosed).toBe(false)

    // A gateway names its connections within its own prefix; a device may add a suffix to its username.
    const bridgeClient = await connect(gateway.username, gateway.password, 'lora-gw-1.bridge-3')
    const second = await connect(river!.username, river!.password, 'tam-ky-river.2')
    const flood = reading(240)
    const floodStored = nextEvent(socket, 'reading:new', (r) => r.stationId === 'hoa-huong-1' && r.ts === flood.ts)
    await bridgeClient.publishAsync(floodReadingTopic('hoa-huong-1'), JSON.stringify(flood), { qos: 1 })
    await floodStored
    expect(bridgeClient.connected && second.connected && device.connected).toBe(true)
  })

  it('refuses a revoked credential, and disconnects the client connected with it', async () => {
    const [river] = await server.app.deviceCredentials.issueDevices(['tam-ky-river'])
    const device = await connect(river!.username, river!.password)
    const closed = new Promise<void>((resolve) => device.once('close', () => resolve()))
    expect(await server.app.deviceCredentials.revoke('tam-ky-river')).toBe(true)
    await closed
    expect(await refusal(river!.username, river!.password)).toBe(5)
  })

})
