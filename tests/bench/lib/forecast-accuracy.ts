/**
 * How right the flood forecast (`floodForecast`, shared/src/alarms/rise-forecast.ts) is on the
 * simulators' storm: each station's storm is replayed in memory, reading by reading, from the
 * scenario's seeded random — the readings a device would publish, without a broker — and for every
 * first upward crossing of BĐ1, BĐ2 and BĐ3 the forecast made 60, 30 and 10 minutes before it is set
 * against the time it happened. Pure and deterministic: the same seeds give the same table.
 */
import { floodForecast, floodLevelOf, type RisePoint, type StationDef } from '@ioc/shared'
import { STORM_TICKS, stormReading } from '@ioc/simulators'

export const LEADS_MIN = [60, 30, 10] as const
export type Lead = (typeof LEADS_MIN)[number]

export interface Crossing {
  stationId: string
  seed: number
  level: 1 | 2 | 3
  /** When the first reading at or above the level came (epoch ms). */
  actualMs: number
  /** Per lead: the forecast's time of this level (ms), or null when none was shown for it then. */
  predictedMs: Record<Lead, number | null>
}

export interface FalseForecasts {
  /** Forecasts shown (one per reading) whose level was not reached within the forecast time + 1 hour. */
  unreached: number
  /** Readings with a forecast shown, in all. */
  shown: number
}

/**
 * Replays the storm (from calm, through the crest, back to calm) at one reading per `tickMs` for each
 * station and seed. `tickMs` is how long one storm tick stands for: storm.ts says about 10 minutes of
 * a real storm; the demo plays one a second.
 */
export function measureStormForecasts(stations: readonly StationDef[], seeds: readonly number[], tickMs: number): { crossings: Crossing[]; falseForecasts: FalseForecasts } {
  const crossings: Crossing[] = []
  const falseForecasts: FalseForecasts = { unreached: 0, shown: 0 }
  const start = Date.UTC(2025, 9, 30)
  for (const seed of seeds) {
    for (const station of stations) {
      const readings: RisePoint[] = []
      for (let tick = 0; tick < STORM_TICKS + 60; tick++) readings.push({ ts: start + tick * tickMs, cm: stormReading(seed, station, tick, false).waterLevelCm })
      const windowTicks = Math.ceil(3_600_000 / tickMs)
      const forecastAt = (index: number) => floodForecast(readings.slice(Math.max(0, index - windowTicks), index + 1), station.levels)

      for (const level of [1, 2, 3] as const) {
        const first = readings.findIndex((r) => floodLevelOf(station.levels, r.cm) >= level)
        if (first <= 0) continue
        const actualMs = readings[first]!.ts
        const predictedMs = {} as Record<Lead, number | null>
        for (const lead of LEADS_MIN) {
          // The newest reading at or before `lead` minutes ahead of the crossing: what the server had then.
          const index = readings.findLastIndex((r) => r.ts <= actualMs - lead * 60_000)
          const forecast = index >= 0 ? forecastAt(index) : null
          predictedMs[lead] = forecast && forecast.level === level ? Date.parse(forecast.at) : null
        }
        crossings.push({ stationId: station.id, seed, level, actualMs, predictedMs })
      }

      for (let i = 0; i < readings.length; i++) {
        const forecast = forecastAt(i)
        if (!forecast) continue
        falseForecasts.shown++
        const by = Date.parse(forecast.at) + 3_600_000
        const target = forecast.level === 1 ? station.levels.bd1 : forecast.level === 2 ? station.levels.bd2 : station.levels.bd3
        if (!readings.some((r) => r.ts > readings[i]!.ts && r.ts <= by && r.cm >= target)) falseForecasts.unreached++
      }
    }
  }
  return { crossings, falseForecasts }
}

export interface LeadSummary {
  lead: Lead
  crossings: number
  forecasts: number
  noForecast: number
  /** |predicted − actual| in minutes: median, 90th percentile, worst; null without forecasts. */
  medianAbsMin: number | null
  p90AbsMin: number | null
  maxAbsMin: number | null
  /** Median of predicted − actual (negative: the forecast said earlier than it came). */
  medianBiasMin: number | null
}

const quantile = (sorted: readonly number[], q: number) => (sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!)

export function summarize(crossings: readonly Crossing[]): LeadSummary[] {
  return LEADS_MIN.map((lead) => {
    const errors = crossings.flatMap((c) => (c.predictedMs[lead] === null ? [] : [(c.predictedMs[lead]! - c.actualMs) / 60_000]))
    const abs = errors.map(Math.abs).sort((a, b) => a - b)
    const signed = [...errors].sort((a, b) => a - b)
    return {
      lead,
      crossings: crossings.length,
      forecasts: errors.length,
      noForecast: crossings.length - errors.length,
      medianAbsMin: quantile(abs, 0.5),
      p90AbsMin: quantile(abs, 0.9),
      maxAbsMin: abs.at(-1) ?? null,
      medianBiasMin: quantile(signed, 0.5),
    }
  })
}

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 16)

/** The per-crossing table: station, level, lead, predicted, actual, error in minutes (UTC clock). */
export function crossingTable(crossings: readonly Crossing[]): string {
  const rows = [['station', 'seed', 'level', 'lead', 'predicted', 'actual', 'error min']]
  for (const c of crossings) {
    for (const lead of LEADS_MIN) {
      const predicted = c.predictedMs[lead]
      rows.push([c.stationId, String(c.seed), `BĐ${c.level}`, `${lead} min`, predicted === null ? 'no forecast' : clock(predicted), clock(c.actualMs), predicted === null ? '' : String(Math.round((predicted - c.actualMs) / 60_000))])
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')).join('\n')
}
