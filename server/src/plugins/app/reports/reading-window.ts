import { floodLevelOf, type FloodLevels } from '@ioc/shared'

/**
 * What one station's readings say about a window [fromMs, toMs): how long the water stood at each BĐ
 * level, how many readings came of those due, and the longest silence. Pure arithmetic over readings
 * sorted by time, so the report's figures are tested without a store.
 */

export interface LevelPoint {
  ts: number
  cm: number
}

/** Milliseconds at each level; `noData` where the readings do not say. The five add up to the window. */
export interface LevelDurations {
  below: number
  bd1: number
  bd2: number
  bd3: number
  noData: number
}

const LEVEL_KEYS = ['below', 'bd1', 'bd2', 'bd3'] as const

/**
 * Time-weighted, as a step: a reading's level holds until the next reading. A gap longer than
 * `silentAfterMs` (the silent-station alarm's threshold) is no data as a whole — the station was not
 * reporting, so the water could have been anywhere. After the last reading its level holds for at most
 * `silentAfterMs`, the rest of the window is no data. Before the first reading: the reading before the
 * window (`before`, if any) speaks for the start under the same gap rule; without it, no data.
 * Intervals are cut at the window's edges.
 */
export function timeAtLevels(points: readonly LevelPoint[], before: LevelPoint | null, fromMs: number, toMs: number, levels: FloodLevels, silentAfterMs: number): LevelDurations {
  const out: LevelDurations = { below: 0, bd1: 0, bd2: 0, bd3: 0, noData: 0 }
  if (toMs <= fromMs) return out
  const add = (key: keyof LevelDurations, start: number, end: number) => {
    const ms = Math.min(end, toMs) - Math.max(start, fromMs)
    if (ms > 0) out[key] += ms
  }
  const inWindow = points.filter((p) => p.ts >= fromMs && p.ts < toMs)
  const chain = before && before.ts < fromMs ? [before, ...inWindow] : inWindow
  if (chain.length === 0) {
    out.noData = toMs - fromMs
    return out
  }
  add('noData', fromMs, chain[0]!.ts)
  for (let i = 0; i < chain.length; i++) {
    const point = chain[i]!
    const key = LEVEL_KEYS[floodLevelOf(levels, point.cm)]
    const next = chain[i + 1]
    if (next) {
      add(next.ts - point.ts > silentAfterMs ? 'noData' : key, point.ts, next.ts)
    } else {
      add(key, point.ts, point.ts + silentAfterMs)
      add('noData', point.ts + silentAfterMs, toMs)
    }
  }
  return out
}

export interface ReadingCounts {
  /** Readings due: one per whole usual interval in the window. */
  expected: number
  received: number
  missing: number
  longestGapMs: number
  /** Where the longest gap began (the reading before it, or the window's start); null when the window is empty. */
  longestGapFrom: number | null
}

/**
 * Readings due against readings received in [fromMs, toMs), and the longest stretch without one. The
 * window's edges bound the gaps — a window that starts in a silence counts from its start — so the
 * longest gap of a window without readings is the window itself. More readings than due (a station
 * reporting faster in a storm) are not negative missing ones.
 */
export function readingCounts(timestamps: readonly number[], fromMs: number, toMs: number, expectedIntervalMs: number): ReadingCounts {
  if (toMs <= fromMs) return { expected: 0, received: 0, missing: 0, longestGapMs: 0, longestGapFrom: null }
  const inWindow = timestamps.filter((ts) => ts >= fromMs && ts < toMs)
  const expected = Math.floor((toMs - fromMs) / expectedIntervalMs)
  let longestGapMs = 0
  let longestGapFrom: number | null = null
  let previous = fromMs
  for (const ts of [...inWindow, toMs]) {
    if (ts - previous > longestGapMs) {
      longestGapMs = ts - previous
      longestGapFrom = previous
    }
    previous = ts
  }
  return { expected, received: inWindow.length, missing: Math.max(0, expected - inWindow.length), longestGapMs, longestGapFrom }
}

/** The highest reading and the first time it was reached; null without readings. */
export function peakOf(points: readonly LevelPoint[]): LevelPoint | null {
  let peak: LevelPoint | null = null
  for (const point of points) if (!peak || point.cm > peak.cm) peak = point
  return peak
}

/** The median of some numbers (the mean of the middle two for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}
