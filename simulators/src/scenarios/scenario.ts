import type { CameraDef, CameraStatusPayload, CityPack, FloodReadingPayload, StationDef } from '@ioc/shared'

/** What a flood station reports at one tick: the payload without its timestamp, which is the wall clock's. */
export type FloodValues = Omit<FloodReadingPayload, 'ts'>

/**
 * What a camera reports at one tick. `lastFrameAt` is a wall-clock time, so the scenario says how many
 * ticks old the last frame is and the runner turns that into a time.
 */
export type CameraValues = Omit<CameraStatusPayload, 'ts' | 'lastFrameAt'> & { lastFrameAgeTicks?: number }

/**
 * A scenario that advances tick by tick: every tick each station reads once and, every
 * `cameraEveryTicks`, each camera reports its status. Values depend only on the seed the scenario was
 * made with, the device and the tick — never on the clock — so a run can be replayed and tested
 * without a broker.
 *
 * `Reading` is `FloodValues` for a scenario whose stations report at every tick (calm, storm); the
 * default also allows `null`.
 */
export interface TickScenario<Reading extends FloodValues | null = FloodValues | null> {
  /** What `station` reports at `tick`, or null when it sends nothing then (a dropout: the station is silent). */
  reading(station: StationDef, tick: number): Reading
  camera(camera: CameraDef, tick: number): CameraValues
  /** Camera statuses are sent every this many ticks (tick 0 included). */
  readonly cameraEveryTicks: number
  /** A few words on where the run stands at `tick`, for progress lines (e.g. "storm 120/360: heavy rain"). */
  phase(tick: number): string
}

/** One message of a burst scenario. `ts` is epoch ms, set by the scenario so it can keep them unique. */
export interface BurstMessage {
  stationId: string
  payload: FloodReadingPayload
}

/** A scenario that publishes a fixed number of readings as fast as the broker acknowledges them. */
export interface BurstScenario {
  readonly total: number
  /** Message `index` (0 ≤ index < total) of a burst whose timestamps begin at `startMs`. */
  message(index: number, startMs: number): BurstMessage
}

export interface ScenarioSettings {
  seed: number
  pack: CityPack
  loop: boolean
  count: number
}

export type ScenarioFlag = 'loop' | 'count' | 'snapshot-every'

/** What a run was asked for, so a scenario can say in a line what it will do. */
export interface RunShape {
  rate: number
  loop: boolean
  count: number
  stations: number
}

/** One entry of the scenario registry: what the CLI lists, and how to make the scenario. */
export type ScenarioEntry =
  | {
      kind: 'ticks'
      summary: string
      /** Options that mean something to this scenario (the CLI refuses the others). */
      flags: readonly ScenarioFlag[]
      /** One line on what this run will do, for the CLI's header. */
      plan?(shape: RunShape): string
      create(settings: ScenarioSettings): TickScenario
    }
  | {
      kind: 'burst'
      summary: string
      flags: readonly ScenarioFlag[]
      plan?(shape: RunShape): string
      create(settings: ScenarioSettings): BurstScenario
    }
