import { BUCKETS, type Bucket } from '@ioc/shared'

/** Most points one history answer carries when the bucket is chosen automatically. */
export const MAX_AUTO_POINTS = 1000
/** Most raw points a client may ask for explicitly; past that it must choose a bucket. */
export const MAX_RAW_POINTS = 20_000
/** Longest range one request may cover. */
export const MAX_RANGE_MS = 400 * 86_400_000
/** Range when `from` is not given. */
export const DEFAULT_RANGE_MS = 86_400_000

const NAMED = (Object.entries(BUCKETS) as [Bucket, number][]).filter(([, ms]) => ms > 0).sort((a, b) => a[1] - b[1])

/**
 * Raw points when there are few enough, else the finest named bucket that keeps the answer
 * within MAX_AUTO_POINTS.
 */
export function chooseBucket(rangeMs: number, rawCount: number): Bucket {
  if (rawCount <= MAX_AUTO_POINTS) return 'raw'
  // Both ends of the range are inclusive, so a range of n bucket widths touches n + 1 buckets.
  for (const [name, ms] of NAMED) if (Math.floor(rangeMs / ms) + 1 <= MAX_AUTO_POINTS) return name
  return NAMED[NAMED.length - 1]![0]
}

export type RangeResult = { ok: true; fromMs: number; toMs: number } | { ok: false; message: string }

/** Checks a requested time range; messages are written for the person who typed the URL. */
export function parseRange(from: string | undefined, to: string | undefined, now: number): RangeResult {
  const toMs = to === undefined ? now : Date.parse(to)
  const fromMs = from === undefined ? toMs - DEFAULT_RANGE_MS : Date.parse(from)
  if (Number.isNaN(toMs)) return { ok: false, message: `"to" is not a date-time: ${to}` }
  if (Number.isNaN(fromMs)) return { ok: false, message: `"from" is not a date-time: ${from}` }
  if (fromMs > toMs) return { ok: false, message: `"from" (${new Date(fromMs).toISOString()}) is after "to" (${new Date(toMs).toISOString()})` }
  if (toMs - fromMs > MAX_RANGE_MS) return { ok: false, message: `the range is longer than ${MAX_RANGE_MS / 86_400_000} days; ask for a shorter one` }
  return { ok: true, fromMs, toMs }
}
