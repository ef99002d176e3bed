import type { CityPack, StationDef } from '@ioc/shared'
import { CAMERA_EVERY_TICKS, calmLevelCm, calmReading, calmStageCm, onlineCamera, sensorNoiseCm } from './calm.ts'
import type { FloodValues, TickScenario } from './scenario.ts'
import { roundTo, smoothstep } from './shapes.ts'

/*
 * Timing. Readings are stamped with the wall clock, so at the default rate of 1 tick/s one tick is one
 * second of data time, and the alarm engine judges in data time. The run is as long as it is because of
 * that: with the engine's defaults a station is silent only after 5 × its expected interval (10 min for
 * a 120 s street point), and a rise rate is only computed once a station's readings span 15 min.
 */

/** Length of one run, in ticks: 20 min at the default rate. */
export const SENSOR_FAULT_TICKS = 1200

/**
 * A river sensor freezes: it keeps sending the value it read at `from` until `until` (exclusive). When
 * it lets go, the river may have moved on further than it moves between two readings: that first true
 * reading is then held as suspect, and the next one, a moment later and close to it, confirms it.
 */
export const STUCK = { from: 60, until: 660 } as const

/**
 * Single-reading spikes (tick, cm above the true level): a loose wire or a bird on an ultrasonic
 * gauge. From a bridge's calm 30–100 cm every spike crosses BĐ1 and the +300 one crosses BĐ3; the
 * three at 400, 402 and 404 — spike, true value, spike — are what makes a level check without a hold flap.
 *
 * None of them pages anyone: 150 cm or more in a second is further than the bridge's water can move
 * between two readings (its pack's 5 cm a minute, over at least its 5-minute interval: 25 cm), so the
 * alarm engine holds each as *suspect* — the dashboard's station panel says so — and drops it when the
 * next reading is back where the water was (judgeReading, shared/src/alarms/plausibility.ts). The
 * third glitch within the hour (tick 291) raises one `sensor_suspect` alarm for technicians.
 */
export const SPIKES: readonly (readonly [tick: number, cm: number])[] = [
  [120, 150],
  [200, 300],
  [290, 180],
  [400, 220],
  [402, 260],
  [404, 200],
  [520, 240],
]

/**
 * A station sends nothing from `from` until `until` (exclusive): 720 ticks, 12 min at the default
 * rate — 6 expected intervals of a 120 s street point, past the engine's default of 5.
 */
export const DROPOUT = { from: 180, until: 900 } as const

/**
 * A river rises fast from its calm level to `RISE_BELOW_BD1_CM` under BĐ1 — at least 40 cm on Tam Kỳ's
 * rivers, whose calm range tops out 50 cm under BĐ1 — in one minute at the default rate (≥ 2400 cm/h of
 * data time against a limit of 30 cm/h), holds, and falls back. It stays under BĐ1 so the rapid-rise
 * alarm is the only one it raises. It comes late in the run so that, even on a fresh server, the
 * station's readings already span the 15 min the engine needs before it computes a rate.
 */
export const RAPID_RISE = { from: 960, crest: 1020, holdUntil: 1080, until: 1170 } as const
const RISE_BELOW_BD1_CM = 10

/** A sensor's battery drains from 40 % to 8 % over the run (below 20 % from about tick 750); replaced when the run starts again. */
export const LOW_BATTERY = { fromPct: 40, toPct: 8 } as const

/** Which station shows which fault; a fault is left out when the pack has no station left for it. */
export interface SensorFaultCast {
  rapidRise?: StationDef
  spikes?: StationDef
  stuck?: StationDef
  dropout?: StationDef
  lowBattery?: StationDef
}

/**
 * Picks the stations from the pack, so the scenario works for any city: the rapid rise on the first
 * river (the one progress lines follow), spikes on a bridge, the stuck value on another river, the
 * dropout on the station with the shortest expected interval (silent soonest), the low battery on a
 * coastal station. For Tam Kỳ: tam-ky-river, cau-xuan-quy, ban-thach-an-phu, hoa-huong-1 and
 * truong-giang-tam-thanh; the other street points stay calm.
 */
export function castSensorFaults(pack: CityPack): SensorFaultCast {
  const free = [...pack.stations]
  const take = (...kinds: StationDef['kind'][]): StationDef | undefined => {
    const station = kinds.map((kind) => free.find((s) => s.kind === kind)).find((s) => s !== undefined)
    if (station) free.splice(free.indexOf(station), 1)
    return station
  }
  const rapidRise = take('river', 'bridge')
  const spikes = take('bridge', 'river', 'coastal')
  const stuck = take('river', 'bridge', 'coastal')
  const quickest = free.reduce<StationDef | undefined>((best, s) => (best && best.expectedIntervalS <= s.expectedIntervalS ? best : s), undefined)
  if (quickest) free.splice(free.indexOf(quickest), 1)
  const lowBattery = take('coastal', 'river', 'bridge', 'street')
  return { rapidRise, spikes, stuck, dropout: quickest, lowBattery }
}

/** Where in the run `tick` falls, or null once a run without `loop` is over. */
export function sensorFaultTickOf(tick: number, loop: boolean): number | null {
  if (loop) return tick % SENSOR_FAULT_TICKS
  return tick < SENSOR_FAULT_TICKS ? tick : null
}

const within = (s: number, span: { from: number; until: number }) => s >= span.from && s < span.until

/** Spike height at run tick `s`, 0 when there is none. */
export function spikeCm(s: number): number {
  return SPIKES.find(([tick]) => tick === s)?.[1] ?? 0
}

/** The value a stuck sensor repeats: what it read when it froze, in this run. */
function stuckValueCm(seed: number, station: StationDef, tick: number, s: number): number {
  return calmLevelCm(seed, station, tick - s + STUCK.from)
}

/** How far the rising river is from its calm level (0) to its high level (1) at run tick `s`. */
export function riseWave(s: number): number {
  const { from, crest, holdUntil, until } = RAPID_RISE
  if (s < holdUntil) return smoothstep((s - from) / (crest - from))
  return 1 - smoothstep((s - holdUntil) / (until - holdUntil))
}

export function batteryPctAt(s: number): number {
  const { fromPct, toPct } = LOW_BATTERY
  return roundTo(fromPct - ((fromPct - toPct) * s) / SENSOR_FAULT_TICKS, 0.1)
}

/** What `station` reports at `tick`: its fault, if it has one now, on top of calm weather; null while it is silent. */
export function sensorFaultReading(seed: number, cast: SensorFaultCast, station: StationDef, tick: number, loop: boolean): FloodValues | null {
  const calm = calmReading(seed, station, tick)
  const s = sensorFaultTickOf(tick, loop)
  if (s === null) return calm
  if (station.id === cast.dropout?.id && within(s, DROPOUT)) return null
  if (station.id === cast.stuck?.id && within(s, STUCK)) return { ...calm, waterLevelCm: stuckValueCm(seed, station, tick, s) }
  if (station.id === cast.spikes?.id) return { ...calm, waterLevelCm: roundTo(calm.waterLevelCm + spikeCm(s), 0.1) }
  if (station.id === cast.lowBattery?.id) return { ...calm, batteryPct: batteryPctAt(s) }
  if (station.id === cast.rapidRise?.id) {
    const wave = riseWave(s)
    if (wave === 0) return calm
    const high = station.levels.bd1 - RISE_BELOW_BD1_CM
    const stage = (1 - wave) * calmStageCm(seed, station, tick) + wave * high
    return { ...calm, waterLevelCm: roundTo(stage + sensorNoiseCm(seed, station, tick, 0.4), 0.1) }
  }
  return calm
}

function sensorFaultPhase(seed: number, cast: SensorFaultCast, tick: number, loop: boolean): string {
  const s = sensorFaultTickOf(tick, loop)
  if (s === null) return 'sensor faults over: every station reporting normally'
  const faults: string[] = []
  const { stuck, spikes, dropout, rapidRise, lowBattery } = cast
  if (stuck && within(s, STUCK)) faults.push(`${stuck.id} stuck at ${stuckValueCm(seed, stuck, tick, s).toFixed(1)} cm`)
  const firstSpike = SPIKES[0]![0]
  const lastSpike = SPIKES.at(-1)![0]
  if (spikes && s >= firstSpike && s <= lastSpike) faults.push(`${spikes.id} spiking`)
  if (dropout && within(s, DROPOUT)) faults.push(`${dropout.id} silent for ${s - DROPOUT.from + 1}/${DROPOUT.until - DROPOUT.from} ticks`)
  if (rapidRise && within(s, RAPID_RISE)) {
    const { crest, holdUntil } = RAPID_RISE
    faults.push(s < crest ? `${rapidRise.id} rising fast` : s < holdUntil ? `${rapidRise.id} high after a fast rise` : `${rapidRise.id} falling back`)
  }
  if (lowBattery) faults.push(`${lowBattery.id} battery ${batteryPctAt(s).toFixed(1)} %`)
  return `sensor-fault ${s}/${SENSOR_FAULT_TICKS}: ${faults.join('; ')}`
}

/**
 * Sensor faults, one per station, on an otherwise calm day: a stuck value, single-reading spikes, a
 * dropout, a rapid rise and a draining battery (see the constants above for when). Cameras stay online,
 * so the only alarms are the stations': `sensor_suspect` (the spikes, none of which raises a flood
 * alarm), `station_silent`, `rapid_rise` (a rise fast for a river, yet never further than its water can
 * move between two readings: never suspect) and `low_battery`. Without `loop` calm weather follows one
 * run; with it the run starts again (the battery replaced), and `sensor_suspect` stays raised: the
 * spikes come back within the hour.
 */
export function sensorFaultScenario(seed: number, pack: CityPack, loop: boolean): TickScenario {
  const cast = castSensorFaults(pack)
  return {
    cameraEveryTicks: CAMERA_EVERY_TICKS,
    reading: (station, tick) => sensorFaultReading(seed, cast, station, tick, loop),
    camera: (camera, tick) => onlineCamera(seed, camera, tick),
    phase: (tick) => sensorFaultPhase(seed, cast, tick, loop),
  }
}
