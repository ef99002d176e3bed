import { BUCKETS, type LatestReading, type ReadingsResponse } from '@ioc/shared'

/** One point of the chart: a reading, or a bucket's summary placed at the bucket's start. */
export interface HistoryPoint {
  /** Epoch ms of the reading, or of the bucket's start. */
  ts: number
  /** The reading, or the bucket's average. */
  levelCm: number
  /** Bucketed only: the lowest and highest reading in the bucket. */
  minCm?: number
  maxCm?: number
  /** Rainfall of the reading, or the bucket's total. */
  rainMm?: number
  /**
   * Readings this page folded into the bucket itself, so a live reading can move the average exactly.
   * Absent on buckets as the server sent them: the answer does not say how many readings they hold.
   */
  count?: number
}

export interface HistorySeries {
  /** Width of one bucket in ms; 0 when the points are raw readings. */
  bucketMs: number
  /** Oldest first. */
  points: readonly HistoryPoint[]
  /** Newest time the series already covers: a live reading at or before it is already counted (or a late repeat). */
  coveredToMs: number
  /**
   * A live reading fell into a bucket the server summarised: its low and high are exact, its average
   * is not until the history is fetched again.
   */
  averageStale: boolean
}

/** Chart points from the history route's answer (raw readings, or avg/min/max per bucket). */
export function seriesFromResponse(response: ReadingsResponse): HistorySeries {
  const bucketMs = BUCKETS[response.bucket]
  const points = response.points
    .map((p): HistoryPoint => {
      const point: HistoryPoint = { ts: Date.parse(p.ts), levelCm: p.avg ?? p.waterLevelCm }
      if (bucketMs > 0) {
        point.minCm = p.min ?? point.levelCm
        point.maxCm = p.max ?? point.levelCm
      }
      if (p.rainfallMm !== undefined) point.rainMm = p.rainfallMm
      return point
    })
    .sort((a, b) => a.ts - b.ts)
  const last = points.at(-1)
  return { bucketMs, points, coveredToMs: Math.max(Date.parse(response.to), last?.ts ?? -Infinity), averageStale: false }
}

type LiveReading = Pick<LatestReading, 'ts' | 'waterLevelCm' | 'rainfallMm'>

/**
 * The series with a live reading added: appended as a point when raw; folded into its bucket when
 * bucketed (a new bucket when it starts one). A reading the series already covers is ignored, and the
 * same series is returned, so a re-sent or late reading never draws twice.
 */
export function addReading(series: HistorySeries, reading: LiveReading): HistorySeries {
  const ts = Date.parse(reading.ts)
  if (Number.isNaN(ts) || ts <= series.coveredToMs) return series
  const value = reading.waterLevelCm
  const rain = reading.rainfallMm

  if (series.bucketMs === 0) {
    const point: HistoryPoint = { ts, levelCm: value }
    if (rain !== undefined) point.rainMm = rain
    return { ...series, points: [...series.points, point], coveredToMs: ts }
  }

  // Buckets start at multiples of their width since the epoch, as the server groups them.
  const start = ts - (ts % series.bucketMs)
  const last = series.points.at(-1)
  if (last === undefined || start > last.ts) {
    const point: HistoryPoint = { ts: start, levelCm: value, minCm: value, maxCm: value, count: 1 }
    if (rain !== undefined) point.rainMm = rain
    return { ...series, points: [...series.points, point], coveredToMs: ts }
  }

  // `start` is the last bucket's: ts is past everything covered, and the last bucket starts within it.
  const merged: HistoryPoint = {
    ...last,
    minCm: Math.min(last.minCm ?? last.levelCm, value),
    maxCm: Math.max(last.maxCm ?? last.levelCm, value),
  }
  if (rain !== undefined) merged.rainMm = (last.rainMm ?? 0) + rain
  if (last.count !== undefined) {
    merged.count = last.count + 1
    merged.levelCm = last.levelCm + (value - last.levelCm) / merged.count
  }
  return {
    ...series,
    points: [...series.points.slice(0, -1), merged],
    coveredToMs: ts,
    averageStale: series.averageStale || last.count === undefined,
  }
}

/**
 * The points still inside a window starting at `fromMs`: readings from then on, and buckets that end
 * after it. Returns the same array when nothing falls out.
 */
export function pointsSince(series: HistorySeries, fromMs: number): readonly HistoryPoint[] {
  const keep = series.bucketMs === 0 ? (p: HistoryPoint) => p.ts >= fromMs : (p: HistoryPoint) => p.ts + series.bucketMs > fromMs
  const first = series.points.findIndex(keep)
  if (first === 0) return series.points
  return first === -1 ? [] : series.points.slice(first)
}

/** `series` without the points that fell out of a window starting at `fromMs`. */
export function trimSeries(series: HistorySeries, fromMs: number): HistorySeries {
  const points = pointsSince(series, fromMs)
  return points === series.points ? series : { ...series, points }
}

/** Lowest and highest water level in the points (bucket lows and highs included), or null when there are none. */
export function levelExtent(points: readonly HistoryPoint[]): { minCm: number; maxCm: number } | null {
  if (points.length === 0) return null
  let minCm = Infinity
  let maxCm = -Infinity
  for (const p of points) {
    minCm = Math.min(minCm, p.minCm ?? p.levelCm)
    maxCm = Math.max(maxCm, p.maxCm ?? p.levelCm)
  }
  return { minCm, maxCm }
}

/** Whether any point carries rainfall, so the chart draws the rain axis at all. */
export const hasRainfall = (points: readonly HistoryPoint[]): boolean => points.some((p) => p.rainMm !== undefined)
