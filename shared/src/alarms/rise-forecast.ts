import type { FloodLevels } from '../city-packs/city-pack.schema.ts'
import { floodLevelOf } from '../flood-level.ts'

/**
 * When the water would reach a station's next alarm level if it kept rising as over the last hour:
 * pure and free of schemas (the citizens' page imports it without TypeBox). The server computes it from
 * the stored readings (docs/alarms.md, "Forecast"); the browsers only show what the server sends.
 *
 * A straight line through the last hour, extended: honest only while that line is clearly there. So
 * it is withheld — null — unless the hour holds enough readings over a long enough span, the slope
 * stands well clear of the sensor's noise (its t-statistic), the water rises faster than the ripple of
 * a river at rest, the last quarter hour has not clearly turned down, the level lies within the
 * horizon, and the water is below BĐ3. What it says is
 * rounded to 5 minutes: a line through a rising river knows no better.
 */

export interface RisePoint {
  ts: number
  cm: number
}

/**
 * The rise in cm per hour over the window ending at the newest point: the least-squares slope of the
 * readings in it. A slope, not the difference of two points: at one reading a second, ±0.5 cm of
 * sensor noise between neighbours would read as thousands of cm/h. Null until the points span at
 * least a quarter of the window, so a few close readings cannot fake a rate. (The rapid-rise alarm's
 * rate, and the forecast's.)
 */
export function riseRate(points: readonly RisePoint[], windowMs: number): number | null {
  return riseRateOf(
    points.map((p) => p.ts),
    points.map((p) => p.cm),
    windowMs,
  )
}

/**
 * {@link riseRate} of points given as two columns, `ts[i]` and `cm[i]` one point, newest last: what
 * the rapid-rise alarm keeps for each station (its rise window), so that the fit of every reading reads
 * numbers in order instead of point objects spread over the heap.
 */
export function riseRateOf(ts: readonly number[], cm: readonly number[], windowMs: number): number | null {
  if (ts.length === 0) return null
  const newestTs = ts[ts.length - 1]!
  const fromTs = newestTs - windowMs
  // The first point in the window, in the columns' order (the newest one is, at the latest).
  let firstTs = newestTs
  for (const t of ts) {
    if (t >= fromTs) {
      firstTs = t
      break
    }
  }
  if (newestTs - firstTs < windowMs / 4) return null
  return slopeThrough(ts, cm, newestTs, fromTs)?.cmPerHour ?? null
}

interface Line {
  /** Slope, cm per hour. */
  cmPerHour: number
  /** The line's value at the newest point: the level with the noise averaged out. */
  cmAtNewest: number
  /** The slope's standard error, cm per hour (Infinity with fewer than three points). */
  standardError: number
  /** The share of the readings' variance the line explains (R²): 1 for a straight rise, low for a crest or a dip. */
  rSquared: number
}

/** Hours from `newestTs`: small numbers for the sums below (epoch ms squared loses precision). */
const hoursBefore = (ts: number, newestTs: number) => (ts - newestTs) / 3_600_000

interface Slope {
  n: number
  meanT: number
  meanCm: number
  variance: number
  cmPerHour: number
}

/**
 * The least-squares slope through the points (`ts[i]`, `cm[i]`) at or after `fromTs`, time in hours
 * from `newestTs`; null when they share one instant. Plain loops over two arrays of numbers, nothing
 * copied: the rapid-rise alarm fits its window for every reading it takes — up to 720 points for a
 * station reporting every 5 s or faster — where copying the window and folding it with callbacks, over
 * 720 point objects spread over the heap, cost ~35 µs a reading (docs/benchmarks.md).
 */
function slopeThrough(ts: readonly number[], cm: readonly number[], newestTs: number, fromTs: number): Slope | null {
  let n = 0
  let sumT = 0
  let sumCm = 0
  for (let i = 0; i < ts.length; i++) {
    if (ts[i]! < fromTs) continue
    n++
    sumT += hoursBefore(ts[i]!, newestTs)
    sumCm += cm[i]!
  }
  const meanT = sumT / n
  const meanCm = sumCm / n
  let covariance = 0
  let variance = 0
  for (let i = 0; i < ts.length; i++) {
    if (ts[i]! < fromTs) continue
    const dt = hoursBefore(ts[i]!, newestTs) - meanT
    covariance += dt * (cm[i]! - meanCm)
    variance += dt * dt
  }
  return variance === 0 ? null : { n, meanT, meanCm, variance, cmPerHour: covariance / variance }
}

/** The least-squares line through the points at or after `fromTs` (all by default), time measured from `newestTs`; null when they share one instant. */
function lineThrough(ts: readonly number[], cm: readonly number[], newestTs: number, fromTs = -Infinity): Line | null {
  const slope = slopeThrough(ts, cm, newestTs, fromTs)
  if (!slope) return null
  const { n, meanT, meanCm, variance, cmPerHour } = slope
  const cmAtNewest = meanCm - cmPerHour * meanT
  let squaredResiduals = 0
  let squaredDeviations = 0
  for (let i = 0; i < ts.length; i++) {
    if (ts[i]! < fromTs) continue
    squaredResiduals += (cm[i]! - (cmAtNewest + cmPerHour * hoursBefore(ts[i]!, newestTs))) ** 2
    squaredDeviations += (cm[i]! - meanCm) ** 2
  }
  const standardError = n > 2 ? Math.sqrt(squaredResiduals / (n - 2) / variance) : Infinity
  const rSquared = squaredDeviations === 0 ? 0 : 1 - squaredResiduals / squaredDeviations
  return { cmPerHour, cmAtNewest, standardError, rSquared }
}

/** What the forecast looks at, and when it keeps quiet. */
export const FORECAST = {
  /** The trend of the last hour, as the words say ("như 1 giờ qua"). */
  windowMs: 60 * 60_000,
  /** Fewer readings in the hour say too little about a line (a station at one reading every 10 minutes has 6). */
  minPoints: 6,
  /** The readings must span at least half the hour: a quarter of an hour of rise is a gust, not a trend. */
  minSpanMs: 30 * 60_000,
  /**
   * The slope must be at least this many standard errors above zero: the rate is then known to within
   * ±25 %, and noise alone gives such a slope less than once in ten thousand windows.
   */
  minTStatistic: 4,
  /**
   * The hour must look like a line: at least this share of its readings' variance explained by it
   * (R²). With many readings the t-statistic alone passes a shape that is no rise at all — an hour
   * holding a whole crest, up and back down, has a positive slope far from noise, and would forecast
   * a level while the water falls. A steady rise with the sensor's noise explains well over 0.9.
   */
  minRSquared: 0.7,
  /** A river at rest ripples by about this much an hour: slower than this is not "rising" (the public trend's "steady" is 2). */
  minCmPerHour: 3,
  /**
   * The water may turn within the hour while the hour's line still rises: when the readings of the
   * last quarter hour fall, clearly (their own slope at least two of its standard errors below zero),
   * the forecast is withdrawn at once rather than once the hour's line has caught up.
   */
  turnWindowMs: 15 * 60_000,
  turnTStatistic: 2,
  /** Further ahead than this, a line through one hour says nothing worth showing. */
  horizonMs: 3 * 3_600_000,
  /** Times and durations are rounded to this: never a false precision. */
  roundMs: 5 * 60_000,
} as const

export interface FloodForecast {
  /** The level the water would reach next: 1–3 for BĐ1–BĐ3. */
  level: 1 | 2 | 3
  /** When, rounded to 5 minutes (ISO-8601). */
  at: string
  /** How long after the newest reading, rounded to 5 minutes, at least 5. */
  minutes: number
  /** The rise over the last hour, cm per hour, one decimal. */
  ratePerHour: number
}

const roundTo = (value: number, step: number) => Math.round(value / step) * step

/**
 * The forecast from the last hour's readings (any order; suspect readings already left out) and the
 * station's alarm levels; null when it must be withheld (see {@link FORECAST}).
 */
export function floodForecast(points: readonly RisePoint[], levels: FloodLevels): FloodForecast | null {
  const valid = points.filter((p) => Number.isFinite(p.ts) && Number.isFinite(p.cm)).sort((a, b) => a.ts - b.ts)
  const newest = valid.at(-1)
  if (!newest) return null
  const inWindow = valid.filter((p) => p.ts >= newest.ts - FORECAST.windowMs)
  if (inWindow.length < FORECAST.minPoints || newest.ts - inWindow[0]!.ts < FORECAST.minSpanMs) return null
  const ts = inWindow.map((p) => p.ts)
  const cm = inWindow.map((p) => p.cm)
  const line = lineThrough(ts, cm, newest.ts)
  if (!line || line.cmPerHour < FORECAST.minCmPerHour || line.cmPerHour < FORECAST.minTStatistic * line.standardError || line.rSquared < FORECAST.minRSquared) return null
  const recent = lineThrough(ts, cm, newest.ts, newest.ts - FORECAST.turnWindowMs)
  if (recent && recent.cmPerHour < 0 && -recent.cmPerHour >= FORECAST.turnTStatistic * recent.standardError) return null

  // The level stands where the newest reading says (as the alarm judges it); the line's own value
  // there, with the noise averaged out, is where the water is extended from.
  const now = floodLevelOf(levels, newest.cm)
  if (now >= 3) return null
  const level = (now + 1) as 1 | 2 | 3
  const target = level === 1 ? levels.bd1 : level === 2 ? levels.bd2 : levels.bd3
  const aheadMs = ((target - line.cmAtNewest) / line.cmPerHour) * 3_600_000
  if (aheadMs > FORECAST.horizonMs) return null
  // The line may already stand at the level the newest reading has not reached: "soon", not "now".
  const shownMs = Math.max(aheadMs, FORECAST.roundMs)
  return {
    level,
    at: new Date(roundTo(newest.ts + shownMs, FORECAST.roundMs)).toISOString(),
    minutes: roundTo(shownMs, FORECAST.roundMs) / 60_000,
    ratePerHour: Math.round(line.cmPerHour * 10) / 10,
  }
}

/** "khoảng 40 phút", "khoảng 1 giờ 20 phút" / "about 40 min", "about 1 h 20 min": a duration as the forecast says it. */
export function forecastDuration(minutes: number, lang: 'vi' | 'en'): string {
  const hours = Math.floor(minutes / 60)
  const rest = minutes % 60
  if (lang === 'vi') return `khoảng ${[hours > 0 ? `${hours} giờ` : '', rest > 0 || hours === 0 ? `${rest} phút` : ''].filter(Boolean).join(' ')}`
  return `about ${[hours > 0 ? `${hours} h` : '', rest > 0 || hours === 0 ? `${rest} min` : ''].filter(Boolean).join(' ')}`
}
