import { floodLevelOf, type RisePoint, type StationAlarmSettings } from '@ioc/shared'

// The rise rate is shared with the forecast (shared/src/alarms/rise-forecast.ts): one least-squares slope, one copy.
export { riseRate, riseRateOf, type RisePoint } from '@ioc/shared'

/**
 * The alarm rules as pure functions of (state, observation, settings): no clock, no I/O, so the
 * engine's behaviour can be replayed and property-tested. Time is the observations' own (a reading's
 * or a camera report's `ts`): a hold measured in data time means the same thing live and when a
 * sensor's backlog is redelivered after an outage.
 */

export interface FloodState {
  /** The level the alarm stands at: 0 (none) or 1–3. */
  level: number
  /** Since when (ms) readings have been below `threshold(level) − hysteresis`; null while they are not. */
  belowSince: number | null
}

export const NO_FLOOD: FloodState = { level: 0, belowSince: null }

const threshold = (levels: StationAlarmSettings['levels'], level: number) => (level === 3 ? levels.bd3 : level === 2 ? levels.bd2 : levels.bd1)

/** The highest level whose threshold minus the hysteresis the value still reaches: where a falling level may settle. */
function levelWithHysteresis(settings: StationAlarmSettings, cm: number): number {
  for (let level = 3; level >= 1; level--) if (cm >= threshold(settings.levels, level) - settings.hysteresisCm) return level
  return 0
}

/**
 * The next flood state after a reading of `cm` at `ts`. Up at once: at or above a threshold raises or
 * escalates. Down only after the level has stayed below (threshold − hysteresis) for the hold time,
 * then to the level the value supports with the hysteresis (possibly several steps, possibly clear).
 */
export function nextFloodState(state: FloodState, ts: number, cm: number, settings: StationAlarmSettings): FloodState {
  const reached = floodLevelOf(settings.levels, cm)
  if (reached >= state.level) return { level: reached, belowSince: null }
  if (cm >= threshold(settings.levels, state.level) - settings.hysteresisCm) return { level: state.level, belowSince: null }
  const belowSince = state.belowSince ?? ts
  if (ts - belowSince < settings.holdMinutes * 60_000) return { level: state.level, belowSince }
  const settled = Math.max(reached, levelWithHysteresis(settings, cm))
  // Settled one step lower, the value may already be below that level's band too: keep counting from now.
  return { level: settled, belowSince: settled > reached && cm < threshold(settings.levels, settled) - settings.hysteresisCm ? ts : null }
}

/**
 * Most points the rise window keeps: the slope is taken over at most this many, however fast a station
 * reports. A station at one reading a minute keeps all of a 60-minute window; one at ten a second (a
 * gateway replaying a backlog, a misconfigured sensor) would otherwise hold 36,000 points, each new
 * reading costing a pass over all of them — measured by `pnpm bench --only soak`: 100 such stations
 * took the event loop's p99 from 22 to 46 ms in four minutes, and the heap with it.
 */
export const RISE_WINDOW_POINTS = 720

/**
 * A station's rise window, oldest first: its points' times and levels in two arrays of numbers, one
 * point per index. V8 keeps such arrays unboxed and in one piece, and the rate of every reading is a
 * fit over all of them (`riseRateOf`): at 720 points ~2.5 µs, against ~35 µs over 720 point objects
 * spread over the heap (docs/benchmarks.md).
 */
export interface RiseWindow {
  ts: number[]
  cm: number[]
}

export const emptyRiseWindow = (): RiseWindow => ({ ts: [], cm: [] })

/**
 * Adds a reading to a station's rise window and drops what fell out of it. Points closer together
 * than windowMs / RISE_WINDOW_POINTS are thinned: the newest reading is always in the window, and
 * every other point is at least that interval after the one before it, so the window holds at most
 * RISE_WINDOW_POINTS + 2 points.
 */
export function addRisePoint(window: RiseWindow, point: RisePoint, windowMs: number): void {
  const { ts, cm } = window
  const spacing = windowMs / RISE_WINDOW_POINTS
  const last = ts.length - 1
  // The last point stays only once it is a full interval after the one before it; until then the
  // newest reading takes its place.
  if (last >= 1 && ts[last]! - ts[last - 1]! < spacing) {
    ts[last] = point.ts
    cm[last] = point.cm
  } else {
    ts.push(point.ts)
    cm.push(point.cm)
  }
  let drop = 0
  while (drop < ts.length && ts[drop]! < point.ts - windowMs) drop++
  if (drop > 0) {
    ts.splice(0, drop)
    cm.splice(0, drop)
  }
}

/** The same for readings loaded from the store at once (oldest first): a window of at most about RISE_WINDOW_POINTS points. */
export function thinRiseWindow(points: readonly RisePoint[], windowMs: number): RiseWindow {
  const window = emptyRiseWindow()
  for (const point of points) addRisePoint(window, point, windowMs)
  return window
}

/** A rapid rise is raised at the limit and over once the rate is below half of it: a rate wobbling at the limit does not flap. */
export function nextRising(rising: boolean, rate: number | null, settings: StationAlarmSettings): boolean {
  if (rate === null) return rising
  return rising ? rate >= settings.riseCmPerHour / 2 : rate >= settings.riseCmPerHour
}

/** Low battery below the limit; over once 5 points above it, so a battery hovering at the limit does not flap. */
export function nextLowBattery(low: boolean, pct: number | undefined, settings: StationAlarmSettings): boolean {
  if (pct === undefined) return low
  return low ? pct < settings.lowBatteryPct + 5 : pct < settings.lowBatteryPct
}

/**
 * A run of suspect readings: SUSPECT_RUN.count glitches — suspect readings the next one did not
 * confirm — within SUSPECT_RUN.windowMs (reading time) raise `sensor_suspect`. Three in an hour, not
 * three in a row: the usual fault — a loose wire, a bird on the sensor — comes and goes between good
 * readings, and a technician wants to hear of it all the same, while one spike in an hour is a leaf
 * or a wave and calls nobody out. A jump the next reading confirmed is the water, not the sensor: it
 * does not count. Over once a whole window has passed without a glitch, so a sensor that faults every
 * half hour stays one alarm.
 */
export const SUSPECT_RUN = { count: 3, windowMs: 60 * 60_000 } as const

export interface SuspectRunState {
  on: boolean
  /** When this station's glitches of the last window were read (reading time), oldest first. */
  times: number[]
}

export const NO_SUSPECT_RUN: SuspectRunState = { on: false, times: [] }

/**
 * The run after a reading at `ts`, which showed the suspect reading read at `glitch` to be one (or
 * null): glitches older than the window drop out. On at SUSPECT_RUN.count, off once none is left.
 */
export function nextSuspectRun(state: SuspectRunState, ts: number, glitch: number | null): SuspectRunState {
  const since = ts - SUSPECT_RUN.windowMs
  const times = state.times.filter((t) => t > since)
  if (glitch !== null && glitch > since) times.push(glitch)
  return { on: state.on ? times.length > 0 : times.length >= SUSPECT_RUN.count, times }
}

export type CameraCondition = 'camera_offline' | 'camera_degraded' | 'camera_tampered'

/** How long a camera must report itself well before an alarm about it clears: a flapping camera stays in one alarm. */
export const CAMERA_CLEAR_HOLD_MS = 5 * 60_000

export interface CameraConditionState {
  on: boolean
  /** Since when (ms) reports no longer show the condition; null while they do. */
  goneSince: number | null
}

/** Each camera condition: on at once when a report shows it, off once reports have not shown it for CAMERA_CLEAR_HOLD_MS. */
export function nextCameraCondition(state: CameraConditionState, shown: boolean, ts: number): CameraConditionState {
  if (shown) return { on: true, goneSince: null }
  if (!state.on) return state
  const goneSince = state.goneSince ?? ts
  return ts - goneSince >= CAMERA_CLEAR_HOLD_MS ? { on: false, goneSince: null } : { on: true, goneSince }
}

export function cameraConditionsOf(status: { state: 'online' | 'offline' | 'degraded'; tamper?: boolean }): Record<CameraCondition, boolean> {
  return { camera_offline: status.state === 'offline', camera_degraded: status.state === 'degraded', camera_tampered: status.tamper === true }
}
