import type { CityPack, FloodReading } from '@ioc/shared'
import { calmReading } from './scenarios/calm.ts'
import { STORM_TICKS, stormReading } from './scenarios/storm.ts'

export interface BackfillOptions {
  /** @defaultValue 30 */
  days?: number
  /** One reading per station every `stepMs`. @defaultValue 5 minutes */
  stepMs?: number
  /** When history ends (the newest reading). @defaultValue now */
  endMs?: number
  /** Days before `endMs` when one storm begins (one storm tick per step: ~30 h at 5-minute steps). @defaultValue 10 */
  stormDaysAgo?: number
  /** @defaultValue 1 */
  seed?: number
}

/**
 * A past month of readings for every station of the pack — calm weather with one storm through the
 * Tam Kỳ river's BĐ1–BĐ3 — so a fresh demo's history charts have something to show. The same values
 * as the live scenarios, a step apart. Yields in time order, station by station within a step.
 */
export function* backfillReadings(pack: CityPack, options: BackfillOptions = {}): Generator<{ reading: FloodReading; tsMs: number }> {
  const stepMs = options.stepMs ?? 300_000
  const endMs = options.endMs ?? Date.now()
  const steps = Math.floor(((options.days ?? 30) * 86_400_000) / stepMs)
  const stormStart = steps - Math.floor(((options.stormDaysAgo ?? 10) * 86_400_000) / stepMs)
  const seed = options.seed ?? 1
  for (let k = 0; k <= steps; k++) {
    const tsMs = endMs - (steps - k) * stepMs
    const inStorm = k >= stormStart && k < stormStart + STORM_TICKS
    for (const station of pack.stations) {
      const values = inStorm ? stormReading(seed, station, k - stormStart, false) : calmReading(seed, station, k)
      yield { reading: { stationId: station.id, ts: new Date(tsMs).toISOString(), ...values }, tsMs }
    }
  }
}
