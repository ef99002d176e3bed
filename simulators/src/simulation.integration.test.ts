import { randomBytes } from 'node:crypto'
import { parseTopic } from '@ioc/shared'
import { loadCityPack } from '@ioc/shared/city-packs'
import { connectAsync, type MqttClient } from 'mqtt'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BrokerConnectionError } from './mqtt-publisher.ts'
import { SimulationOptionsError, startSimulation, type Simulation } from './simulation.ts'
import { decodeAsServer, packWithUniqueIds } from './test-support.ts'

/** The machine's Mosquitto: these tests are about the real MQTT path, so they fail (never skip) without it. */
const BROKER_URL = 'mqtt://127.0.0.1:1883'

interface Received {
  topic: string
  body: Record<string, unknown>
  receivedAt: number
}

/**
 * A subscriber to everything under ioc/v1 that keeps only this test's messages (its pack's device ids
 * are unique), so other traffic on the shared broker does not count.
 */
async function subscribeTo(deviceIds: Set<string>): Promise<{ client: MqttClient; messages: Received[]; until: (count: number) => Promise<void> }> {
  let client: MqttClient
  try {
    client = await connectAsync(BROKER_URL, { clientId: `ioc-sim-test-${randomBytes(4).toString('hex')}`, reconnectPeriod: 0 }, false)
  } catch (error) {
    throw new Error(`these tests need Mosquitto at ${BROKER_URL}: ${(error as Error).message}`, { cause: error })
  }
  const messages: Received[] = []
  const waiters: Array<{ count: number; resolve: () => void }> = []
  client.on('message', (topic, payload) => {
    const target = parseTopic(topic)
    const id = target?.kind === 'flood' ? target.stationId : target?.cameraId
    if (id === undefined || !deviceIds.has(id)) return
    messages.push({ topic, body: JSON.parse(payload.toString()) as Record<string, unknown>, receivedAt: Date.now() })
    for (const waiter of waiters.filter((w) => messages.length >= w.count)) {
      waiters.splice(waiters.indexOf(waiter), 1)
      waiter.resolve()
    }
  })
  await client.subscribeAsync('ioc/v1/#', { qos: 1 })
  const until = (count: number) => (messages.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve })))
  return { client, messages, until }
}

describe('startSimulation against Mosquitto', () => {
  const pack = packWithUniqueIds(loadCityPack('tam-ky'), randomBytes(4).toString('hex'))
  const deviceIds = new Set([...pack.stations, ...pack.cameras].map((device) => device.id))
  let subscriber: Awaited<ReturnType<typeof subscribeTo>>
  let simulation: Simulation | undefined

  beforeEach(async () => {
    subscriber = await subscribeTo(deviceIds)
  })
  afterEach(async () => {
    await simulation?.stop()
    simulation = undefined
    await subscriber.client.endAsync()
  })

  it('delivers every load reading, valid, with distinct (station, ts) and seq', async () => {
    const lines: string[] = []
    simulation = await startSimulation({ url: BROKER_URL, scenario: 'load', count: 500, pack, seed: 7, log: (line) => lines.push(line) })
    await simulation.done
    expect(simulation.published).toBe(500)
    await subscriber.until(500)

    const { messages } = subscriber
    expect(messages).toHaveLength(500)
    expect(new Set(messages.map((m) => `${m.topic}@${String(m.body.ts)}`)).size).toBe(500)
    expect(new Set(messages.map((m) => m.body.seq))).toEqual(new Set(Array.from({ length: 500 }, (_, i) => i)))
    for (const { topic, body, receivedAt } of messages) {
      expect(decodeAsServer(pack, topic, body, receivedAt)).toMatchObject({ ok: true, kind: 'flood' })
    }
    expect(lines.at(-1)).toMatch(/^500 of 500 readings acknowledged in .* msgs\/s\)$/)
  }, 20_000)

  it('runs a storm tick by tick: readings from every station, statuses from every camera', async () => {
    simulation = await startSimulation({ url: BROKER_URL, scenario: 'storm', rate: 50, pack })
    // Ticks 0..5: six readings per station and two statuses per camera.
    const expected = 6 * pack.stations.length + 2 * pack.cameras.length
    await subscriber.until(expected)
    await simulation.stop()

    const { messages } = subscriber
    const topics = new Set(messages.map((m) => m.topic))
    expect(topics.size).toBe(deviceIds.size)
    for (const { topic, body, receivedAt } of messages) {
      expect(decodeAsServer(pack, topic, body, receivedAt)).toMatchObject({ ok: true })
    }
    expect(simulation.published).toBeGreaterThanOrEqual(expected)
  }, 20_000)
})

describe('startSimulation without a broker', () => {
  const pack = loadCityPack('tam-ky')

  it('rejects at once, naming the URL, when nothing listens there', async () => {
    const attempt = startSimulation({ url: 'mqtt://127.0.0.1:1', scenario: 'calm', pack })
    await expect(attempt).rejects.toThrow(BrokerConnectionError)
    await expect(attempt).rejects.toThrow(/^cannot connect to the MQTT broker at mqtt:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/)
  })

  it('hides the password when naming the URL', async () => {
    await expect(startSimulation({ url: 'mqtt://sim:s3cret@127.0.0.1:1', scenario: 'calm', pack })).rejects.toThrow(/at mqtt:\/\/sim:\*\*\*@127\.0\.0\.1:1: /)
  })

  it('refuses bad options before connecting', async () => {
    await expect(startSimulation({ url: BROKER_URL, scenario: 'storm', pack, rate: 0 })).rejects.toThrow(SimulationOptionsError)
    await expect(startSimulation({ url: BROKER_URL, scenario: 'hail' as 'storm', pack })).rejects.toThrow('unknown scenario "hail"; known: calm, storm, load')
  })
})
