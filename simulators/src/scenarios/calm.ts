import type { CameraDef, StationDef } from '@ioc/shared'
import { CITY_KEY, NoiseStream, deviceKey, rangeAt, smoothNoiseAt, uniformAt } from '../random.ts'
import type { CameraValues, FloodValues, TickScenario } from './scenario.ts'
import { clamp, roundTo, smoothstep } from './shapes.ts'

/**
 * Ticks in one simulated calm day. A river's daily drift is compressed into 12 minutes at the default
 * rate of 1 tick/s so that a viewer sees it move; the semi-diurnal tide of the coastal stations
 * follows the same clock.
 */
export const CALM_DAY_TICKS = 720
const TIDE_TICKS = (CALM_DAY_TICKS * 12.42) / 24
const DRIFT_KNOT_TICKS = 90

/** City-wide light showers: each block of ticks has this chance of one. */
const SHOWER_BLOCK_TICKS = 60
const SHOWER_CHANCE = 0.08

/** Tipping-bucket rain gauges count in 0.2 mm steps. */
export const RAIN_GAUGE_STEP_MM = 0.2

/**
 * Battery drain per tick (0.05 % per 100 ticks) and the floor it stops at: a flat battery is a
 * sensor fault, which belongs to its own scenario, not to calm weather.
 */
const BATTERY_DRAIN_PCT_PER_TICK = 0.0005
const BATTERY_FLOOR_PCT = 25

/** Camera statuses are sent every this many ticks. */
export const CAMERA_EVERY_TICKS = 5
/** A camera keeps one state for a block of ticks, so it does not flap between two reports. */
export const CAMERA_BLOCK_TICKS = 30
const CALM_DEGRADED_CHANCE = 0.04

/** Water level of a river, bridge or coastal station on a calm day, before sensor noise. */
export function calmStageCm(seed: number, station: StationDef, tick: number): number {
  const key = deviceKey(station.id)
  const { typicalLowCm: low, typicalHighCm: high } = station.stageScale
  const mid = (low + high) / 2
  const half = (high - low) / 2
  const phase = uniformAt(seed, key, NoiseStream.phase, 0)
  const drift = smoothNoiseAt(seed, key, NoiseStream.levelDrift, tick, DRIFT_KNOT_TICKS)
  // Coastal stations follow the tide; rivers swing less, with their daily cycle. Both stay inside the typical range.
  const cycle = station.kind === 'coastal' ? 0.6 * Math.sin(2 * Math.PI * (tick / TIDE_TICKS + phase)) : 0.4 * Math.sin(2 * Math.PI * (tick / CALM_DAY_TICKS + phase))
  const swing = station.kind === 'coastal' ? 0.2 : 0.35
  return clamp(mid + half * (cycle + swing * drift), low, high)
}

/** Whether a light shower falls over the city at `tick`, and how far through it we are (0..1). */
function showerAt(seed: number, tick: number): { block: number; progress: number } | null {
  const block = Math.floor(tick / SHOWER_BLOCK_TICKS)
  if (uniformAt(seed, CITY_KEY, NoiseStream.shower, block) >= SHOWER_CHANCE) return null
  return { block, progress: (tick - block * SHOWER_BLOCK_TICKS) / SHOWER_BLOCK_TICKS }
}

/** Rain falls during the middle of a shower block. */
const SHOWER_RAIN_FROM = 0.2
const SHOWER_RAIN_UNTIL = 0.6

/** Rainfall (mm since the previous reading) of a calm day: mostly 0, a light shower now and then. */
export function calmRainMm(seed: number, station: StationDef, tick: number): number {
  const shower = showerAt(seed, tick)
  if (!shower || shower.progress < SHOWER_RAIN_FROM || shower.progress >= SHOWER_RAIN_UNTIL) return 0
  return roundTo(rangeAt(seed, deviceKey(station.id), NoiseStream.rain, tick, 0, 1.1), RAIN_GAUGE_STEP_MM)
}

/** Depth of a calm street point: dry, except a 1–3 cm puddle that fills during a shower and drains after. */
export function calmPuddleCm(seed: number, station: StationDef, tick: number): number {
  const shower = showerAt(seed, tick)
  if (!shower) return 0
  const key = deviceKey(station.id)
  const depth = rangeAt(seed, key, NoiseStream.shower, shower.block, 1, 3)
  const { progress } = shower
  const fill =
    progress < SHOWER_RAIN_UNTIL
      ? smoothstep((progress - SHOWER_RAIN_FROM) / (SHOWER_RAIN_UNTIL - SHOWER_RAIN_FROM))
      : 1 - smoothstep((progress - SHOWER_RAIN_UNTIL) / 0.3)
  return depth * fill
}

/** Battery charge: starts near 95 % and drains slowly. */
export function batteryPct(seed: number, station: StationDef, tick: number): number {
  const start = rangeAt(seed, deviceKey(station.id), NoiseStream.battery, 0, 93, 97)
  return roundTo(Math.max(BATTERY_FLOOR_PCT, start - tick * BATTERY_DRAIN_PCT_PER_TICK), 0.1)
}

/** Reading noise of a stage sensor, ± `amplitude` cm. */
export function sensorNoiseCm(seed: number, station: StationDef, tick: number, amplitude: number): number {
  return rangeAt(seed, deviceKey(station.id), NoiseStream.level, tick, -amplitude, amplitude)
}

/** Water level reported at `tick` on a calm day (stage above datum, or depth on the road for street points). */
export function calmLevelCm(seed: number, station: StationDef, tick: number): number {
  if (station.kind === 'street') {
    const depth = calmPuddleCm(seed, station, tick)
    // A dry road reads 0: ultrasonic depth gauges do not report noise around an empty surface.
    return depth > 0 ? roundTo(Math.max(0, depth + sensorNoiseCm(seed, station, tick, 0.2)), 0.1) : 0
  }
  return roundTo(calmStageCm(seed, station, tick) + sensorNoiseCm(seed, station, tick, 0.4), 0.1)
}

export function calmReading(seed: number, station: StationDef, tick: number): FloodValues {
  return {
    waterLevelCm: calmLevelCm(seed, station, tick),
    rainfallMm: calmRainMm(seed, station, tick),
    batteryPct: batteryPct(seed, station, tick),
    seq: tick,
  }
}

/** A camera's usual bitrate: each camera has its own, between 2000 and 4000 kbps. */
function baseBitrateKbps(seed: number, camera: CameraDef): number {
  return rangeAt(seed, deviceKey(camera.id), NoiseStream.cameraProfile, 0, 2000, 4000)
}

/** Healthy stream: about 25 fps at the camera's usual bitrate. */
export function onlineCamera(seed: number, camera: CameraDef, tick: number): CameraValues {
  const key = deviceKey(camera.id)
  const jitter = uniformAt(seed, key, NoiseStream.cameraSignal, tick)
  return {
    state: 'online',
    fps: roundTo(25 - 0.6 * jitter, 0.1),
    bitrateKbps: Math.round(baseBitrateKbps(seed, camera) + 300 * (jitter - 0.5)),
    lastFrameAgeTicks: 0,
  }
}

/** Stream still up but poor: low frame rate and bitrate (rain on the lens, a weak link). */
export function degradedCamera(seed: number, camera: CameraDef, tick: number): CameraValues {
  const key = deviceKey(camera.id)
  const jitter = uniformAt(seed, key, NoiseStream.cameraSignal, tick)
  return {
    state: 'degraded',
    fps: roundTo(6 + 9 * jitter, 0.1),
    bitrateKbps: Math.round(300 + 900 * jitter),
    lastFrameAgeTicks: 0,
  }
}

/** The block draw that decides a camera's state for a block of ticks; storms reuse it so a weak camera is weak in both. */
export function cameraBlockDraw(seed: number, camera: CameraDef, tick: number): number {
  return uniformAt(seed, deviceKey(camera.id), NoiseStream.cameraState, Math.floor(tick / CAMERA_BLOCK_TICKS))
}

export function calmCamera(seed: number, camera: CameraDef, tick: number): CameraValues {
  return cameraBlockDraw(seed, camera, tick) < CALM_DEGRADED_CHANCE ? degradedCamera(seed, camera, tick) : onlineCamera(seed, camera, tick)
}

/** Ordinary weather: levels in their typical range, the odd shower and puddle, cameras mostly online. */
export function calmScenario(seed: number): TickScenario<FloodValues> {
  return {
    cameraEveryTicks: CAMERA_EVERY_TICKS,
    reading: (station, tick) => calmReading(seed, station, tick),
    camera: (camera, tick) => calmCamera(seed, camera, tick),
    phase: (tick) => `calm, tick ${tick}`,
  }
}
