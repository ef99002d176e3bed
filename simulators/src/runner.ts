import { setImmediate } from 'node:timers/promises'
import { cameraSnapshotTopic, cameraStatusTopic, floodLevelLabel, floodLevelOf, floodReadingTopic, type CityPack, type StationDef } from '@ioc/shared'
import { InFlight } from './in-flight.ts'
import type { Publisher } from './mqtt-publisher.ts'
import { cameraPayload, floodPayload } from './payloads.ts'
import type { BurstScenario, FloodValues, TickScenario } from './scenarios/scenario.ts'
import { cameraGauges, cameraPicture, type CameraGauge } from './snapshots/camera-pictures.ts'

/** A running simulation, as `startSimulation` hands it out. */
export interface Run {
  /** Readings and statuses the broker has acknowledged so far. */
  readonly published: number
  /**
   * Settles when the run is over: for a burst, once every message is acknowledged and the connection
   * closed (rejecting if some could not be published); for a tick scenario, once `stop()` has finished.
   */
  readonly done: Promise<void>
  /** Ends the timers, waits (bounded) for the broker's last acknowledgements and disconnects. Idempotent. */
  stop(): Promise<void>
}

export interface RunSettings {
  publisher: Publisher
  pack: CityPack
  /** Ticks per second. */
  rate: number
  /** Most publishes left unacknowledged at once. */
  maxInFlight: number
  log: (line: string) => void
  /** @defaultValue 10 000 ms */
  progressEveryMs?: number
  /** How long `stop()` waits for outstanding acknowledgements. @defaultValue 5000 ms */
  drainTimeoutMs?: number
  /**
   * Tick runs: each camera sends a JPEG of the gauge at its nearest station every this many ticks,
   * the cameras one tick apart so no tick draws them all. 0 for none.
   * @defaultValue 0
   */
  snapshotEveryTicks?: number
}

const DEFAULT_PROGRESS_EVERY_MS = 10_000
const DEFAULT_DRAIN_TIMEOUT_MS = 5_000

/** What the two kinds of run share: counting acks, the in-flight bound, progress lines and a bounded stop. */
abstract class RunBase implements Run {
  readonly done: Promise<void>
  protected stopping = false
  protected readonly inFlight: InFlight
  #published = 0
  #failed = 0
  #failing = false
  #firstFailure: Error | undefined
  #closing: Promise<void> | undefined
  #settle!: { resolve: () => void; reject: (error: Error) => void }
  #progressTimer: ReturnType<typeof setInterval> | undefined

  constructor(protected readonly settings: RunSettings) {
    this.inFlight = new InFlight(settings.maxInFlight)
    this.done = new Promise((resolve, reject) => {
      this.#settle = { resolve, reject }
    })
    // Callers that only call stop() must not get an unhandled rejection; awaiting `done` still throws.
    this.done.catch(() => {})
  }

  /** Called by each run once its own timers exist, so a progress line due with a tick comes after it. */
  protected startProgress(): void {
    this.#progressTimer = setInterval(() => this.settings.log(this.progress()), this.settings.progressEveryMs ?? DEFAULT_PROGRESS_EVERY_MS)
  }

  get published(): number {
    return this.#published
  }

  stop(): Promise<void> {
    return this.finish()
  }

  /** One progress line. */
  protected abstract progress(): string
  /** Clears the run's own timers. */
  protected abstract halt(): void

  protected get failed(): number {
    return this.#failed
  }

  /** Publishes JSON, or a picture's bytes as they are. */
  protected publish(topic: string, payload: unknown): void {
    const ack = this.settings.publisher.publish(topic, Buffer.isBuffer(payload) ? payload : JSON.stringify(payload)).then(
      () => {
        this.#published++
        if (this.#failing) {
          this.#failing = false
          this.settings.log(`publishing again (${this.#failed} failed so far)`)
        }
      },
      (error: Error) => {
        this.#failed++
        this.#firstFailure ??= error
        // Once per burst of failures, not once per message.
        if (!this.#failing && !this.stopping) this.settings.log(`publish failed: ${error.message}`)
        this.#failing = true
      },
    )
    this.inFlight.track(ack)
  }

  /** Stops, drains, disconnects; `outcome` is what `done` rejects with, if anything. */
  protected finish(outcome?: () => Error | undefined): Promise<void> {
    this.#closing ??= (async () => {
      this.stopping = true
      clearInterval(this.#progressTimer)
      this.halt()
      const drainTimeoutMs = this.settings.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS
      const drained = await this.inFlight.drained(drainTimeoutMs)
      if (!drained) this.settings.log(`${this.inFlight.count} messages still unacknowledged after ${drainTimeoutMs} ms; closing anyway`)
      try {
        await this.settings.publisher.close(!drained)
      } catch (error) {
        this.settings.log(`closing the connection failed: ${(error as Error).message}`)
      }
      const error = outcome?.()
      if (error) this.#settle.reject(error)
      else this.#settle.resolve()
    })()
    return this.#closing
  }

  protected failureSummary(total: number): Error | undefined {
    if (this.#failed === 0) return undefined
    return new Error(`${this.#failed} of ${total} messages were not acknowledged: ${this.#firstFailure?.message ?? 'unknown error'}`, {
      cause: this.#firstFailure,
    })
  }
}

/** The station progress lines report on: the pack's first river station, the one people watch. */
function headlineStation(pack: CityPack): StationDef {
  return pack.stations.find((station) => station.kind === 'river') ?? pack.stations[0]!
}

/**
 * Drives a tick scenario: tick 0 at once, then one tick every 1/rate s. Each tick every station
 * publishes a reading stamped with the wall clock, unless the scenario has it silent (a null reading);
 * cameras report every `cameraEveryTicks`.
 */
export class TickRun extends RunBase {
  #tick = 0
  #lastTsMs = 0
  #skipped = 0
  #skipping = false
  #headline: { station: StationDef; values?: FloodValues }
  /** Each station's latest level, which the pictures of the cameras near it show. */
  readonly #levels = new Map<string, number>()
  readonly #gauges: CameraGauge[]
  readonly #tickMs: number
  readonly #timer: ReturnType<typeof setInterval>

  constructor(
    private readonly scenario: TickScenario,
    settings: RunSettings,
  ) {
    super(settings)
    this.#tickMs = 1000 / settings.rate
    this.#headline = { station: headlineStation(settings.pack) }
    this.#gauges = (settings.snapshotEveryTicks ?? 0) > 0 ? cameraGauges(settings.pack) : []
    this.#emit()
    this.#timer = setInterval(() => this.#emit(), this.#tickMs)
    this.startProgress()
  }

  protected halt(): void {
    clearInterval(this.#timer)
  }

  #emit(): void {
    const tick = this.#tick++
    const { pack } = this.settings
    const withCameras = tick % this.scenario.cameraEveryTicks === 0
    const messages = pack.stations.length + (withCameras ? pack.cameras.length : 0)
    // A device with a full send buffer drops readings rather than pile them up: so does the simulator.
    if (this.inFlight.wouldOverflow(messages)) {
      this.#skipped++
      if (!this.#skipping) this.settings.log(`broker is behind (${this.inFlight.count} unacknowledged): skipping ticks`)
      this.#skipping = true
      return
    }
    if (this.#skipping) {
      this.#skipping = false
      this.settings.log(`broker caught up; ${this.#skipped} ticks skipped so far`)
    }
    // Strictly increasing, so two ticks never share a (station, ts) even at very high rates.
    const nowMs = Math.max(Date.now(), this.#lastTsMs + 1)
    this.#lastTsMs = nowMs
    for (const station of pack.stations) {
      const values = this.scenario.reading(station, tick)
      if (values === null) continue
      if (station === this.#headline.station) this.#headline.values = values
      this.#levels.set(station.id, values.waterLevelCm)
      this.publish(floodReadingTopic(station.id), floodPayload(values, nowMs))
    }
    this.#emitPictures(tick, nowMs)
    if (withCameras) {
      for (const camera of pack.cameras) {
        this.publish(cameraStatusTopic(camera.id), cameraPayload(this.scenario.camera(camera, tick), nowMs, this.#tickMs))
      }
    }
  }

  /** The cameras whose turn it is send a picture, unless the scenario has them offline (no frames, no picture). */
  #emitPictures(tick: number, nowMs: number): void {
    const every = this.settings.snapshotEveryTicks ?? 0
    this.#gauges.forEach((gauge, index) => {
      if ((tick - index) % every !== 0 || tick < index) return
      if (this.scenario.camera(gauge.camera, tick).state === 'offline') return
      const levelCm = this.#levels.get(gauge.station.id) ?? 0
      this.publish(cameraSnapshotTopic(gauge.camera.id), cameraPicture(gauge, levelCm, nowMs, this.settings.pack.city.timezone))
    })
  }

  protected progress(): string {
    const tick = this.#tick - 1
    const { station, values } = this.#headline
    const parts = [`tick ${tick}`, `${this.published} published`, this.scenario.phase(tick)]
    if (values) {
      const label = floodLevelLabel(floodLevelOf(station.levels, values.waterLevelCm))
      parts.push(`${station.id} ${values.waterLevelCm.toFixed(1)} cm ${label ?? `(below BĐ1 ${station.levels.bd1} cm)`}`)
    }
    if (this.#skipped > 0) parts.push(`${this.#skipped} ticks skipped`)
    return parts.join(' · ')
  }
}

/**
 * Drives a burst scenario: publishes its messages back to back, never more than `maxInFlight`
 * unacknowledged, and finishes by itself once the broker has acknowledged the last.
 */
export class BurstRun extends RunBase {
  readonly #startedAtMs = Date.now()

  constructor(
    private readonly scenario: BurstScenario,
    settings: RunSettings,
  ) {
    super(settings)
    this.startProgress()
    void this.#pump()
  }

  protected halt(): void {}

  async #pump(): Promise<void> {
    const { total } = this.scenario
    const { maxInFlight } = this.settings
    for (let index = 0; index < total && !this.stopping; index++) {
      if (this.inFlight.wouldOverflow()) await this.inFlight.room()
      // Acks that settle as microtasks would otherwise let this loop starve timers and stop() forever.
      if (index > 0 && index % maxInFlight === 0) await setImmediate()
      if (this.stopping) break
      const { stationId, payload } = this.scenario.message(index, this.#startedAtMs)
      this.publish(floodReadingTopic(stationId), payload)
    }
    if (this.stopping) return
    await this.inFlight.drained()
    if (this.stopping) return
    this.settings.log(this.#summary())
    await this.finish(() => this.failureSummary(total))
  }

  #rate(): number {
    const seconds = Math.max(1, Date.now() - this.#startedAtMs) / 1000
    return Math.round(this.published / seconds)
  }

  #summary(): string {
    const seconds = ((Date.now() - this.#startedAtMs) / 1000).toFixed(2)
    const failed = this.failed > 0 ? `, ${this.failed} failed` : ''
    return `${this.published} of ${this.scenario.total} readings acknowledged in ${seconds} s (${this.#rate()} msgs/s${failed})`
  }

  /** Stopping a burst early is not a failure: `done` resolves, and the log says how far it got. */
  override stop(): Promise<void> {
    const wasRunning = !this.stopping
    const stopped = this.finish()
    if (wasRunning) void stopped.then(() => this.settings.log(`stopped early: ${this.#summary()}`))
    return stopped
  }

  protected progress(): string {
    return `${this.published}/${this.scenario.total} acknowledged · ${this.#rate()} msgs/s`
  }
}
