import type { CameraDef, StationDef } from '@ioc/shared'
import { NoiseStream, deviceKey, rangeAt } from '../random.ts'
import {
  CAMERA_BLOCK_TICKS,
  CAMERA_EVERY_TICKS,
  RAIN_GAUGE_STEP_MM,
  batteryPct,
  calmCamera,
  calmLevelCm,
  calmPuddleCm,
  calmRainMm,
  calmStageCm,
  cameraBlockDraw,
  degradedCamera,
  sensorNoiseCm,
} from './calm.ts'
import type { CameraValues, FloodValues, TickScenario } from './scenario.ts'
import { roundTo, smoothstep } from './shapes.ts'

/**
 * Length of one storm, in ticks: about 6 minutes at the default rate of 1 tick/s, so a demo viewer
 * sees the whole cycle. One tick stands for roughly 10 minutes of a real storm (≈ 60 h in all, the
 * span of the 30 Oct 2025 flood from first rain to water back in the riverbed).
 */
export const STORM_TICKS = 360
/** Calm ticks between two storms when the storm loops (2 minutes at rate 1). */
export const STORM_GAP_TICKS = 120

/** The rain: starts, holds at full strength, eases off. Storm ticks. */
export const STORM_RAIN = { start: 10, fullFrom: 55, fullUntil: 125, end: 175 } as const
/** Rain per reading at full strength, mm (≈ 36 mm/h): about 600 mm fall over the storm. */
const PEAK_RAIN_MM = 6
/** Rain bands pass over: full-strength rain pulses with this period, ticks. */
const RAIN_BAND_TICKS = 23

/**
 * The river's flood wave, storm ticks: rises from `riseFrom`, crests at `peak` (about 10 h after the
 * full-strength rain ends, as the catchment drains into the river), back below BĐ1 well before `fallUntil`.
 */
export const STORM_RIVER = { riseFrom: 45, peak: 185, fallUntil: 340 } as const
/**
 * How far above BĐ3 a river crests, as a share of its BĐ2→BĐ3 step: 0.08 puts the Tam Kỳ river at
 * 274 cm, 4 cm above BĐ3, as on 30 Oct 2025. Other rivers crest in proportion to their own levels.
 */
const RIVER_CREST_ABOVE_BD3 = 0.08
/** The Trường Giang spreads into its lagoon and crests lower: halfway from BĐ2 to BĐ3. */
const COASTAL_CREST_ABOVE_BD2 = 0.5
/** Upstream points (bridges) crest earlier, the coastal river later, ± a per-station jitter. */
const CREST_LAG_TICKS = { bridge: -10, river: 0, coastal: 10, street: 0 } as const
const CREST_JITTER_TICKS = 5

/** Street points flood with the rain and drain fast: depth follows the last ~25 ticks of rain. */
const STREET_RESPONSE_TICKS = 5
const STREET_MEMORY_TICKS = 25
/** A street point's flood depth tops out between BĐ2 and a little above BĐ3, per station and seed. */
const STREET_CREST_RANGE = [0.4, 1.2] as const

/** Rain at least this strong knocks cameras out. */
const HEAVY_RAIN = 0.7
const HEAVY_RAIN_OFFLINE_CHANCE = 0.15
const HEAVY_RAIN_DEGRADED_CHANCE = 0.55

/** Where in the storm `tick` falls, or null when the tick is calm (after the storm, or between two). */
export function stormTickOf(tick: number, loop: boolean): number | null {
  const position = loop ? tick % (STORM_TICKS + STORM_GAP_TICKS) : tick
  return position < STORM_TICKS ? position : null
}

/** Rain strength over the city, 0..1, at storm tick `s`. */
export function rainIntensity(s: number): number {
  const { start, fullFrom, fullUntil, end } = STORM_RAIN
  if (s < start || s >= end) return 0
  const envelope = s < fullFrom ? smoothstep((s - start) / (fullFrom - start)) : s < fullUntil ? 1 : 1 - smoothstep((s - fullUntil) / (end - fullUntil))
  return envelope * (0.85 + 0.15 * Math.sin((2 * Math.PI * s) / RAIN_BAND_TICKS))
}

/** How far a river station is from its normal level (0) to its crest (1) at storm tick `s`. */
export function floodWave(station: StationDef, seed: number, s: number): number {
  const jitter = Math.round(rangeAt(seed, deviceKey(station.id), NoiseStream.stormShape, 0, -CREST_JITTER_TICKS, CREST_JITTER_TICKS))
  const x = s - CREST_LAG_TICKS[station.kind] - jitter
  const { riseFrom, peak, fallUntil } = STORM_RIVER
  if (x <= peak) return smoothstep((x - riseFrom) / (peak - riseFrom))
  return 1 - smoothstep((x - peak) / (fallUntil - peak))
}

/** The stage a river station crests at, from its own alarm levels. */
export function crestCm(station: StationDef): number {
  const { bd2, bd3 } = station.levels
  return station.kind === 'coastal' ? bd2 + COASTAL_CREST_ABOVE_BD2 * (bd3 - bd2) : bd3 + RIVER_CREST_ABOVE_BD3 * (bd3 - bd2)
}

/** Recent rain, weighted toward the last few ticks: what a street's drains have not yet carried away. */
function recentRain(s: number): number {
  let sum = 0
  let weights = 0
  for (let k = 0; k < STREET_MEMORY_TICKS; k++) {
    const weight = Math.exp(-k / STREET_RESPONSE_TICKS)
    sum += weight * rainIntensity(s - k)
    weights += weight
  }
  return sum / weights
}

/** Depth on a street point at storm tick `s`, before noise. */
export function streetFloodCm(station: StationDef, seed: number, s: number): number {
  const { bd2, bd3 } = station.levels
  const [low, high] = STREET_CREST_RANGE
  const crest = bd2 + rangeAt(seed, deviceKey(station.id), NoiseStream.stormShape, 1, low, high) * (bd3 - bd2)
  return crest * recentRain(s)
}

function stormLevelCm(seed: number, station: StationDef, tick: number, s: number): number {
  if (station.kind === 'street') {
    const depth = Math.max(streetFloodCm(station, seed, s), calmPuddleCm(seed, station, tick))
    return depth > 0.05 ? roundTo(Math.max(0, depth + sensorNoiseCm(seed, station, tick, 0.3)), 0.1) : 0
  }
  const wave = floodWave(station, seed, s)
  // Blend from the calm level to the crest, so the storm starts and ends exactly where calm weather is.
  const stage = (1 - wave) * calmStageCm(seed, station, tick) + wave * crestCm(station)
  return roundTo(stage + sensorNoiseCm(seed, station, tick, 0.4), 0.1)
}

export function stormRainMm(seed: number, station: StationDef, tick: number, s: number): number {
  const intensity = rainIntensity(s)
  if (intensity === 0) return calmRainMm(seed, station, tick)
  const gust = rangeAt(seed, deviceKey(station.id), NoiseStream.rain, tick, 0.5, 1.5)
  return roundTo(intensity * PEAK_RAIN_MM * gust, RAIN_GAUGE_STEP_MM)
}

/** What `station` reports at `tick` of a storm run. */
export function stormReading(seed: number, station: StationDef, tick: number, loop: boolean): FloodValues {
  const s = stormTickOf(tick, loop)
  return {
    waterLevelCm: s === null ? calmLevelCm(seed, station, tick) : stormLevelCm(seed, station, tick, s),
    rainfallMm: s === null ? calmRainMm(seed, station, tick) : stormRainMm(seed, station, tick, s),
    batteryPct: batteryPct(seed, station, tick),
    seq: tick,
  }
}

/** What `camera` reports at `tick` of a storm run: heavy rain knocks some cameras down or offline for a while. */
export function stormCamera(seed: number, camera: CameraDef, tick: number, loop: boolean): CameraValues {
  const s = stormTickOf(tick, loop)
  if (s === null || rainIntensity(s) < HEAVY_RAIN) return calmCamera(seed, camera, tick)
  const draw = cameraBlockDraw(seed, camera, tick)
  if (draw < HEAVY_RAIN_OFFLINE_CHANCE) {
    // The last frame came when this outage began: the start of the block, or of the heavy rain if later.
    const blockStart = tick - (tick % CAMERA_BLOCK_TICKS)
    let since = tick
    while (since > blockStart && rainIntensity(s - (tick - since) - 1) >= HEAVY_RAIN) since--
    return { state: 'offline', fps: 0, bitrateKbps: 0, lastFrameAgeTicks: tick - since }
  }
  if (draw < HEAVY_RAIN_DEGRADED_CHANCE) return degradedCamera(seed, camera, tick)
  return calmCamera(seed, camera, tick)
}

function stormPhase(tick: number, loop: boolean): string {
  const s = stormTickOf(tick, loop)
  if (s === null) {
    if (!loop) return 'calm after the storm'
    const cycle = STORM_TICKS + STORM_GAP_TICKS
    return `calm between storms, next in ${cycle - (tick % cycle)} ticks`
  }
  const rain = rainIntensity(s)
  const sky = s < STORM_RAIN.start ? 'clouds gathering' : s >= STORM_RAIN.end ? 'rain over' : rain >= HEAVY_RAIN ? 'heavy rain' : 'rain'
  const { riseFrom, peak, fallUntil } = STORM_RIVER
  const rivers = s < riseFrom ? 'rivers normal' : s < peak ? 'rivers rising' : s < fallUntil ? 'rivers receding' : 'rivers back to normal'
  return `storm ${s}/${STORM_TICKS}: ${sky}, ${rivers}`
}

/**
 * A rain-driven flood: rain first, the street points flood and drain with it, the rivers rise with a lag
 * through BĐ1, BĐ2 and BĐ3, crest and recede; cameras falter in the heaviest rain. Then calm weather —
 * or, with `loop`, a calm gap and the next storm.
 */
export function stormScenario(seed: number, loop: boolean): TickScenario<FloodValues> {
  return {
    cameraEveryTicks: CAMERA_EVERY_TICKS,
    reading: (station, tick) => stormReading(seed, station, tick, loop),
    camera: (camera, tick) => stormCamera(seed, camera, tick, loop),
    phase: (tick) => stormPhase(tick, loop),
  }
}
