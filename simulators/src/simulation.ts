import { randomBytes } from 'node:crypto'
import { clientIdForUrl, type CityPack } from '@ioc/shared'
import { connectPublisher, redactUrl } from './mqtt-publisher.ts'
import { BurstRun, TickRun, type Run } from './runner.ts'
import { DEFAULT_LOAD_COUNT } from './scenarios/load.ts'
import { SCENARIOS, SCENARIO_NAMES, isScenarioName, type ScenarioName } from './scenarios/index.ts'

export interface SimulationOptions {
  /** The broker, e.g. `mqtt://127.0.0.1:1883` (`mqtts://`, `ws://` and credentials in the URL work too). */
  url: string
  scenario: ScenarioName
  /** Whose stations and cameras to simulate, e.g. `loadCityPack('tam-ky')`. */
  pack: CityPack
  /**
   * Seed of every simulated value: the same seed gives the same values, tick for tick (timestamps
   * are the wall clock's). An integer from 0 to 2³² − 1.
   * @defaultValue 1
   */
  seed?: number
  /**
   * Ticks per second. One tick is one reading per station; cameras report every few ticks.
   * Ignored by `load`, which goes as fast as the broker acknowledges.
   * @defaultValue 1
   */
  rate?: number
  /**
   * `storm` only: repeat the storm forever, with a calm gap between storms (what the demo runs).
   * Otherwise one storm is followed by calm weather until stopped.
   * @defaultValue false
   */
  loop?: boolean
  /**
   * `storm` only: every camera sends a JPEG picture of the staff gauge at its nearest station, the
   * water at that station's simulated level, every this many seconds of the run (the cameras a tick
   * apart). 0 for none.
   * @defaultValue 60
   */
  snapshotEverySeconds?: number
  /**
   * `load` only: how many readings to publish.
   * @defaultValue 10000
   */
  count?: number
  /**
   * MQTT client id. Must be unique on the broker: a second client with the same id disconnects the first.
   * The IOC's embedded broker takes only the URL's username or `<username>.<anything>` (docs/devices-and-mqtt.md,
   * "Client ids"), which the default follows.
   * @defaultValue `<username>.ioc-sim-<scenario>-<random hex>`, or without `<username>.` for a URL without credentials
   */
  clientId?: string
  /**
   * Where progress lines go (about every 10 s, plus connection events and the load summary).
   * @defaultValue no logging
   */
  log?: (line: string) => void
  /**
   * Most messages left unacknowledged at once; keeps memory flat when the broker is slower than the run.
   * @defaultValue 1000
   */
  maxInFlight?: number
  /**
   * How long to wait for the broker to accept the connection before giving up.
   * @defaultValue 10000 ms
   */
  connectTimeoutMs?: number
}

/** A running simulation. */
export type Simulation = Run

const DEFAULTS = { seed: 1, rate: 1, loop: false, count: DEFAULT_LOAD_COUNT, snapshotEverySeconds: 60, maxInFlight: 1000, connectTimeoutMs: 10_000 } as const
/** Above this a tick is under a millisecond and readings could no longer carry distinct timestamps. */
export const MAX_RATE = 1000

/** Thrown for options that cannot be run; the message says which and why. */
export class SimulationOptionsError extends Error {
  override name = 'SimulationOptionsError'
}

interface Resolved {
  scenario: ScenarioName
  seed: number
  rate: number
  loop: boolean
  count: number
  /** Ticks between two pictures from one camera; 0 for none (or a scenario that sends none). */
  snapshotEveryTicks: number
  maxInFlight: number
  connectTimeoutMs: number
  clientId: string
  log: (line: string) => void
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new SimulationOptionsError(message)
}

/** The URL's username and a dot before `name`; a URL that does not parse is left for the connection to refuse, naming it. */
function defaultClientId(url: string, name: string): string {
  try {
    return clientIdForUrl(url, name)
  } catch {
    return name
  }
}

/** Fills in defaults and refuses what cannot run, naming the option. */
export function resolveOptions(options: SimulationOptions): Resolved {
  check(isScenarioName(options.scenario), `unknown scenario "${options.scenario}"; known: ${SCENARIO_NAMES.join(', ')}`)
  check(options.pack.stations.length > 0, 'the city pack has no stations')
  const seed = options.seed ?? DEFAULTS.seed
  check(Number.isInteger(seed) && seed >= 0 && seed <= 0xffff_ffff, `seed must be an integer from 0 to 4294967295, got ${seed}`)
  const rate = options.rate ?? DEFAULTS.rate
  check(Number.isFinite(rate) && rate > 0 && rate <= MAX_RATE, `rate must be a number of ticks per second above 0 and at most ${MAX_RATE}, got ${rate}`)
  const count = options.count ?? DEFAULTS.count
  check(Number.isSafeInteger(count) && count >= 1, `count must be a positive integer, got ${count}`)
  const snapshotEverySeconds = options.snapshotEverySeconds ?? DEFAULTS.snapshotEverySeconds
  check(Number.isFinite(snapshotEverySeconds) && snapshotEverySeconds >= 0, `snapshotEverySeconds must be 0 (no pictures) or a number of seconds above 0, got ${snapshotEverySeconds}`)
  const takesPictures = snapshotEverySeconds > 0 && SCENARIOS[options.scenario].flags.includes('snapshot-every')
  const maxInFlight = options.maxInFlight ?? DEFAULTS.maxInFlight
  check(Number.isSafeInteger(maxInFlight) && maxInFlight >= 1, `maxInFlight must be a positive integer, got ${maxInFlight}`)
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs
  check(Number.isFinite(connectTimeoutMs) && connectTimeoutMs > 0, `connectTimeoutMs must be above 0, got ${connectTimeoutMs}`)
  return {
    scenario: options.scenario,
    seed,
    rate,
    loop: options.loop ?? DEFAULTS.loop,
    count,
    snapshotEveryTicks: takesPictures ? Math.max(1, Math.round(snapshotEverySeconds * rate)) : 0,
    maxInFlight,
    connectTimeoutMs,
    clientId: options.clientId ?? defaultClientId(options.url, `ioc-sim-${options.scenario}-${randomBytes(4).toString('hex')}`),
    log: options.log ?? (() => {}),
  }
}

/**
 * Connects to the broker and starts publishing `scenario` for every station and camera of `pack`,
 * QoS 1. Resolves once connected; rejects with an error naming the URL if the broker cannot be
 * reached within `connectTimeoutMs`, or with a {@link SimulationOptionsError} for bad options.
 *
 * @example
 * ```ts
 * const sim = await startSimulation({ url: 'mqtt://127.0.0.1:1883', scenario: 'storm', pack: loadCityPack('tam-ky'), loop: true })
 * // …
 * await sim.stop()
 * ```
 */
export async function startSimulation(options: SimulationOptions): Promise<Simulation> {
  const resolved = resolveOptions(options)
  const { pack } = options
  const publisher = await connectPublisher(options.url, resolved)
  resolved.log(`connected to ${redactUrl(options.url)} as ${resolved.clientId}`)
  const runSettings = { publisher, pack, rate: resolved.rate, maxInFlight: resolved.maxInFlight, log: resolved.log, snapshotEveryTicks: resolved.snapshotEveryTicks }
  const entry = SCENARIOS[resolved.scenario]
  const settings = { seed: resolved.seed, pack, loop: resolved.loop, count: resolved.count }
  return entry.kind === 'ticks' ? new TickRun(entry.create(settings), runSettings) : new BurstRun(entry.create(settings), runSettings)
}
