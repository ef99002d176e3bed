/**
 * Whether the water at a flood point is rising, falling or steady, for the public page. Pure and free of
 * schemas (the browser imports it without TypeBox).
 *
 * The rate is the least-squares slope of the level over the last {@link TREND_WINDOW_MS} before the
 * newest sample: a slope, not "newest minus oldest", so one noisy reading does not flip the arrow.
 * Within ±{@link STEADY_CM_PER_HOUR} cm/h the water is called steady: a river sensor's ripple and the
 * averaging of hourly buckets move that much without the water really changing.
 */

/** How far back the slope looks: long enough to smooth a noisy sensor, short enough to turn with the flood. */
export const TREND_WINDOW_MS = 3 * 3_600_000
/** |rate| below this is "steady" (cm/h). */
export const STEADY_CM_PER_HOUR = 2
/** Fewer samples, or a shorter span than this, tells nothing about the direction. */
export const MIN_TREND_SPAN_MS = 20 * 60_000

export const TrendDirection = { rising: 'rising', falling: 'falling', steady: 'steady' } as const
export type TrendDirection = (typeof TrendDirection)[keyof typeof TrendDirection]

export interface Trend {
  direction: TrendDirection
  /** Least-squares slope over the window, cm per hour (positive: rising). */
  cmPerHour: number
}

/** A level at an instant (epoch ms). */
export interface LevelSample {
  ms: number
  cm: number
}

export interface TrendOptions {
  windowMs?: number
  steadyCmPerHour?: number
}

/**
 * The trend of `samples` (any order) over the window before the newest one; null when they cannot
 * tell (fewer than two samples in the window, or spanning less than {@link MIN_TREND_SPAN_MS}).
 */
export function trendOf(samples: readonly LevelSample[], options: TrendOptions = {}): Trend | null {
  const windowMs = options.windowMs ?? TREND_WINDOW_MS
  const steady = options.steadyCmPerHour ?? STEADY_CM_PER_HOUR
  const valid = samples.filter((s) => Number.isFinite(s.ms) && Number.isFinite(s.cm))
  if (valid.length < 2) return null
  const newest = Math.max(...valid.map((s) => s.ms))
  const inWindow = valid.filter((s) => s.ms >= newest - windowMs)
  const oldest = Math.min(...inWindow.map((s) => s.ms))
  if (inWindow.length < 2 || newest - oldest < MIN_TREND_SPAN_MS) return null

  // Hours from the newest sample keep the numbers small (epoch ms squared loses precision).
  const xs = inWindow.map((s) => (s.ms - newest) / 3_600_000)
  const ys = inWindow.map((s) => s.cm)
  const meanX = xs.reduce((a, b) => a + b, 0) / xs.length
  const meanY = ys.reduce((a, b) => a + b, 0) / ys.length
  let sxy = 0
  let sxx = 0
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i]! - meanX) * (ys[i]! - meanY)
    sxx += (xs[i]! - meanX) ** 2
  }
  const cmPerHour = sxy / sxx
  const direction = cmPerHour >= steady ? TrendDirection.rising : cmPerHour <= -steady ? TrendDirection.falling : TrendDirection.steady
  return { direction, cmPerHour }
}

/**
 * The samples behind a point's trend and sparkline: each hourly average placed at the middle of its hour
 * (where an average of that hour best stands), the current, unfinished hour at the middle of the part
 * already measured, then the newest reading itself and any readings received live since.
 *
 * @param spark hourly averages, `ts` the start of each hour
 * @param readings single readings (the latest, live ones), in any order
 */
export function trendSamples(
  spark: ReadonlyArray<{ ts: string; cm: number }>,
  readings: ReadonlyArray<{ ts: string; waterLevelCm: number }>,
  bucketMs = 3_600_000,
): LevelSample[] {
  const single = readings.map((r) => ({ ms: Date.parse(r.ts), cm: r.waterLevelCm }))
  const newestReading = single.length > 0 ? Math.max(...single.map((s) => s.ms)) : Infinity
  const averages = spark.map((b) => {
    const start = Date.parse(b.ts)
    const end = Math.min(start + bucketMs, Math.max(newestReading, start))
    return { ms: (start + end) / 2, cm: b.cm }
  })
  return [...averages, ...single].sort((a, b) => a.ms - b.ms)
}
