/** Helpers for the simulators' tests (not part of the package's API). */
import { decodeMessage, judgeReading, NO_READING, packMaxChangeCmPerMinute, plausibleChangeCm, type CityPack, type Decoded, type LevelPoint, type StationDef } from '@ioc/shared'

/** Runs a payload through the server's own validator, as the ingest would at `nowMs`. */
export function decodeAsServer(pack: CityPack, topic: string, payload: unknown, nowMs: number): Decoded {
  const stations = new Set(pack.stations.map((station) => station.id))
  const cameras = new Set(pack.cameras.map((camera) => camera.id))
  return decodeMessage(topic, new TextEncoder().encode(JSON.stringify(payload)), {
    now: nowMs,
    isKnownStation: (id) => stations.has(id),
    isKnownCamera: (id) => cameras.has(id),
  })
}

/** `pack` with every station and camera id suffixed, so a test's topics are its own on a shared broker. */
export function packWithUniqueIds(pack: CityPack, suffix: string): CityPack {
  return {
    ...pack,
    stations: pack.stations.map((station) => ({ ...station, id: `${station.id}-${suffix}` })),
    cameras: pack.cameras.map((camera) => ({ ...camera, id: `${camera.id}-${suffix}` })),
  }
}

/**
 * What the alarm engine's plausibility check makes of one station's levels, tick by tick (null or
 * undefined where the station sends nothing), one tick lasting `secondsPerTick` of reading time: the
 * ticks of suspect readings, and the ticks of every reading the alarm logic takes, in the order taken.
 */
export function judgeSeries(station: StationDef, series: readonly (number | null | undefined)[], secondsPerTick: number): { suspect: number[]; taken: number[] } {
  const perMinute = packMaxChangeCmPerMinute(station)
  const limit = (from: LevelPoint, to: LevelPoint) => plausibleChangeCm(perMinute, station.expectedIntervalS, from.ts, to.ts)
  const tickOf = (point: LevelPoint) => Math.round(point.ts / (secondsPerTick * 1000))
  let state = NO_READING
  const suspect: number[] = []
  const taken: number[] = []
  series.forEach((cm, tick) => {
    if (cm === null || cm === undefined) return
    const judged = judgeReading(state, { ts: tick * secondsPerTick * 1000, cm }, limit)
    state = judged.state
    if (judged.suspect) suspect.push(tick)
    taken.push(...judged.take.map(tickOf))
  })
  return { suspect, taken }
}
