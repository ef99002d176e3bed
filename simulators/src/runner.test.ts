import { cameraSnapshotTopic, checkSnapshot, floodReadingTopic } from '@ioc/shared'
import { loadCityPack } from '@ioc/shared/city-packs'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Publisher } from './mqtt-publisher.ts'
import { floodPayload } from './payloads.ts'
import { BurstRun, TickRun, type RunSettings } from './runner.ts'
import { calmScenario } from './scenarios/calm.ts'
import { loadScenario } from './scenarios/load.ts'
import type { TickScenario } from './scenarios/scenario.ts'
import { stormScenario } from './scenarios/storm.ts'

const pack = loadCityPack('tam-ky')
const READINGS = pack.stations.length
const CAMERAS = pack.cameras.length
const NOW = Date.UTC(2025, 9, 30, 1, 0, 0)

/** A broker stand-in that records what is published and acknowledges at once, never, or when told. */
class MemoryPublisher implements Publisher {
  readonly sent: Array<{ topic: string; payload: Record<string, unknown> }> = []
  readonly pictures: Array<{ topic: string; jpeg: Buffer }> = []
  readonly pending: Array<{ ack: () => void; fail: (error: Error) => void }> = []
  closedWith: { force: boolean } | undefined

  constructor(private readonly acks: 'at-once' | 'held') {}

  publish(topic: string, payload: string | Buffer): Promise<void> {
    if (Buffer.isBuffer(payload)) this.pictures.push({ topic, jpeg: payload })
    else this.sent.push({ topic, payload: JSON.parse(payload) as Record<string, unknown> })
    if (this.acks === 'at-once') return Promise.resolve()
    return new Promise((ack, fail) => this.pending.push({ ack, fail }))
  }

  ackAll(): void {
    for (const { ack } of this.pending.splice(0)) ack()
  }

  async close(force: boolean): Promise<void> {
    this.closedWith = { force }
  }

  readings(): Array<Record<string, unknown>> {
    return this.sent.filter((m) => m.topic.endsWith('/reading')).map((m) => m.payload)
  }
}

function settings(publisher: Publisher, overrides: Partial<RunSettings> = {}): RunSettings & { lines: string[] } {
  const lines: string[] = []
  return { publisher, pack, rate: 1, maxInFlight: 1000, log: (line) => lines.push(line), lines, ...overrides }
}

describe('TickRun', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: NOW })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('publishes tick 0 at once, then a tick every 1/rate s, with camera statuses every 5 ticks', async () => {
    const publisher = new MemoryPublisher('at-once')
    const scenario = calmScenario(1)
    const run = new TickRun(scenario, settings(publisher, { rate: 2 }))
    expect(publisher.sent).toHaveLength(READINGS + CAMERAS)

    await vi.advanceTimersByTimeAsync(2500)
    expect(publisher.readings()).toHaveLength(6 * READINGS)
    expect(publisher.sent.filter((m) => m.topic.endsWith('/status'))).toHaveLength(2 * CAMERAS)
    expect(run.published).toBe(publisher.sent.length)

    // Values from the scenario, stamped with the clock at each tick.
    const tick3 = publisher.readings().filter((r) => r.seq === 3)
    expect(tick3).toEqual(pack.stations.map((s) => floodPayload(scenario.reading(s, 3), NOW + 1500)))
    await run.stop()
  })

  it('publishes nothing for a station whose reading is null, and goes on once it reports again', async () => {
    const publisher = new MemoryPublisher('at-once')
    const calm = calmScenario(1)
    const silent = pack.stations[1]!
    const scenario: TickScenario = { ...calm, reading: (s, tick) => (s === silent && tick >= 1 && tick <= 2 ? null : calm.reading(s, tick)) }
    const run = new TickRun(scenario, settings(publisher))
    await vi.advanceTimersByTimeAsync(3000)
    const fromSilent = publisher.sent.filter((m) => m.topic === floodReadingTopic(silent.id)).map((m) => m.payload.seq)
    expect(fromSilent).toEqual([0, 3])
    expect(publisher.readings()).toHaveLength(4 * READINGS - 2)
    expect(run.published).toBe(publisher.sent.length)
    await run.stop()
  })

  it('skips ticks instead of queueing without bound while the broker is behind', async () => {
    const publisher = new MemoryPublisher('held')
    const config = settings(publisher, { maxInFlight: READINGS + CAMERAS + 2 })
    const run = new TickRun(calmScenario(1), config)
    await vi.advanceTimersByTimeAsync(3000)
    expect(publisher.sent).toHaveLength(READINGS + CAMERAS)
    expect(config.lines).toContainEqual(expect.stringMatching(/broker is behind/))

    publisher.ackAll()
    await vi.advanceTimersByTimeAsync(1000)
    expect(publisher.readings().map((r) => r.seq)).toContain(4)
    expect(config.lines).toContainEqual(expect.stringMatching(/caught up; 3 ticks skipped/))
    publisher.ackAll()
    await run.stop()
  })

  it('stops ticking at stop(), waits for the last acknowledgements, and closes gracefully', async () => {
    const publisher = new MemoryPublisher('held')
    const run = new TickRun(calmScenario(1), settings(publisher))
    let stopped = false
    void run.stop().then(() => (stopped = true))
    await vi.advanceTimersByTimeAsync(1000)
    expect(stopped).toBe(false)

    publisher.ackAll()
    await vi.advanceTimersByTimeAsync(0)
    expect(stopped).toBe(true)
    expect(publisher.closedWith).toEqual({ force: false })
    expect(publisher.sent).toHaveLength(READINGS + CAMERAS)
    await expect(run.done).resolves.toBeUndefined()
  })

  it('gives up waiting for acknowledgements after 5 s and closes anyway', async () => {
    const publisher = new MemoryPublisher('held')
    const config = settings(publisher)
    const run = new TickRun(calmScenario(1), config)
    const stopping = run.stop()
    await vi.advanceTimersByTimeAsync(5000)
    await stopping
    expect(publisher.closedWith).toEqual({ force: true })
    expect(config.lines).toContainEqual(expect.stringMatching(new RegExp(`^${READINGS + CAMERAS} messages still unacknowledged after 5000 ms`)))
  })

  it('sends each online camera\'s gauge picture every snapshotEveryTicks, the cameras a tick apart', async () => {
    const publisher = new MemoryPublisher('at-once')
    const scenario = calmScenario(1)
    const run = new TickRun(scenario, settings(publisher, { snapshotEveryTicks: 20 }))
    await vi.advanceTimersByTimeAsync(21_000)
    await run.stop()
    // Ticks 0..21: camera k at tick k and k + 20, unless the scenario has it offline then.
    const expected = [...Array(22).keys()].flatMap((tick) =>
      pack.cameras.filter((camera, k) => tick % 20 === k && scenario.camera(camera, tick).state !== 'offline').map((camera) => cameraSnapshotTopic(camera.id)),
    )
    expect(expected.length).toBeGreaterThan(CAMERAS / 2)
    expect(publisher.pictures.map((p) => p.topic)).toEqual(expected)
    for (const { jpeg } of publisher.pictures) expect(checkSnapshot(jpeg)).toMatchObject({ ok: true, width: 640, height: 360 })
  })

  it('sends no pictures unless asked', async () => {
    const publisher = new MemoryPublisher('at-once')
    const run = new TickRun(calmScenario(1), settings(publisher))
    await vi.advanceTimersByTimeAsync(20_000)
    await run.stop()
    expect(publisher.pictures).toEqual([])
  })

  it('logs progress every 10 s with the river level and its alarm state', async () => {
    const publisher = new MemoryPublisher('at-once')
    const config = settings(publisher)
    const run = new TickRun(stormScenario(1, false), config)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(config.lines).toEqual([expect.stringMatching(/^tick 10 · \d+ published · storm 10\/360: rain, rivers normal · tam-ky-river \d+\.\d cm \(below BĐ1 170 cm\)$/)])
    await vi.advanceTimersByTimeAsync(170_000)
    expect(config.lines.at(-1)).toMatch(/^tick 180 · .* · tam-ky-river 27\d\.\d cm BĐ3$/)
    await run.stop()
  })
})

describe('BurstRun', () => {
  /** One turn of the event loop: lets acknowledgements and the pump's awaits run. */
  const turn = () => new Promise((resolve) => setImmediate(resolve))

  it('keeps at most maxInFlight unacknowledged, and finishes and disconnects by itself', async () => {
    const publisher = new MemoryPublisher('held')
    const config = settings(publisher, { maxInFlight: 100 })
    const run = new BurstRun(loadScenario(1, pack, 1000), config)
    let finished = false
    void run.done.then(() => (finished = true))
    while (!finished) {
      expect(publisher.pending.length).toBeLessThanOrEqual(100)
      publisher.ackAll()
      await turn()
    }
    expect(run.published).toBe(1000)
    expect(publisher.sent).toHaveLength(1000)
    expect(publisher.closedWith).toEqual({ force: false })
    expect(config.lines.at(-1)).toMatch(/^1000 of 1000 readings acknowledged in \d+\.\d\d s \(\d+ msgs\/s\)$/)
  })

  it('rejects done, naming the cause, when some messages were not acknowledged', async () => {
    const publisher = new MemoryPublisher('held')
    const run = new BurstRun(loadScenario(1, pack, 10), settings(publisher))
    await turn()
    publisher.pending.forEach(({ ack, fail }, index) => (index < 2 ? fail(new Error('connection closed')) : ack()))
    await expect(run.done).rejects.toThrow('2 of 10 messages were not acknowledged: connection closed')
    expect(run.published).toBe(8)
  })

  it('resolves done when stopped early', async () => {
    const publisher = new MemoryPublisher('at-once')
    const config = settings(publisher, { maxInFlight: 10 })
    const run = new BurstRun(loadScenario(1, pack, 100_000), config)
    await turn()
    await run.stop()
    await expect(run.done).resolves.toBeUndefined()
    expect(run.published).toBeLessThan(100_000)
    expect(config.lines.at(-1)).toMatch(/^stopped early: \d+ of 100000 readings acknowledged/)
  })
})
