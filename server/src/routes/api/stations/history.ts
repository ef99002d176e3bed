import type { FastifyRequest } from 'fastify'
import { BUCKETS, MAX_HISTORY_POINTS, bucketCount, finestBucketWithin, longestRangeFor, type Bucket } from '@ioc/shared'
import { HttpError } from '../../../http-error.ts'

/** Most points one history answer carries when the bucket is chosen automatically: what a chart draws well. */
export const MAX_AUTO_POINTS = 1000
/** Longest range one request may cover. */
export const MAX_RANGE_MS = 400 * 86_400_000
/** Range when `from` is not given. */
export const DEFAULT_RANGE_MS = 86_400_000

/**
 * Requests per client address and minute to the history (`/readings`) and CSV (`/readings.csv`)
 * routes, for anyone without a staff session; staff have no limit. Counted per route, in Redis with
 * several instances. History: a dashboard asks once per chart it opens, so 120 leave room for many
 * citizens behind one carrier-grade NAT, while one script gets at most two bounded answers a second.
 * CSV: a person downloads a few files, not twenty a minute. Change them here; docs/api.md ("History limits") says them.
 */
export const HISTORY_RATE_LIMIT = { max: 120, timeWindowMs: 60_000 } as const
export const CSV_RATE_LIMIT = { max: 20, timeWindowMs: 60_000 } as const

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

const BUCKET_WORDS: Readonly<Record<Exclude<Bucket, 'raw'>, string>> = { '1m': '1-minute', '5m': '5-minute', '15m': '15-minute', '1h': '1-hour', '6h': '6-hour', '1d': '1-day' }
const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`

/** `400 days`, `3 days 11 hours`, `2 hours 30 minutes`, `45 minutes`: a span as people say it, to the minute. */
export function spanText(ms: number): string {
  const minutes = Math.floor(ms / 60_000)
  const [days, hours, mins] = [Math.floor(minutes / 1440), Math.floor((minutes % 1440) / 60), minutes % 60]
  if (days > 0) return hours > 0 ? `${plural(days, 'day')} ${plural(hours, 'hour')}` : plural(days, 'day')
  if (hours > 0) return mins > 0 ? `${plural(hours, 'hour')} ${plural(mins, 'minute')}` : plural(hours, 'hour')
  return plural(mins, 'minute')
}

/** What to ask for instead of an answer too large: the finest bucket that fits this range. */
function insteadOver(rangeMs: number): string {
  const fits = finestBucketWithin(rangeMs)
  return fits ? `ask for bucket=${fits} or coarser over this range (bucket=auto chooses one for you)` : 'ask for a shorter range'
}

/**
 * Refuses a bucket that would give more than MAX_HISTORY_POINTS points over the range, with the
 * finest bucket that fits and the longest range this bucket may cover — in words, for whoever typed the URL.
 */
export function checkBucketPoints(rangeMs: number, bucket: Exclude<Bucket, 'raw'>): { ok: true } | { ok: false; message: string } {
  const points = bucketCount(rangeMs, BUCKETS[bucket])
  if (points <= MAX_HISTORY_POINTS) return { ok: true }
  const count = (n: number) => n.toLocaleString('en-US')
  return {
    ok: false,
    message:
      `${spanText(rangeMs)} in ${BUCKET_WORDS[bucket]} buckets would be ${count(points)} points, more than the ${count(MAX_HISTORY_POINTS)} one answer may hold: ` +
      `${insteadOver(rangeMs)}, or ask for at most ${spanText(longestRangeFor(BUCKETS[bucket]))} at a time in ${BUCKET_WORDS[bucket]} buckets`,
  }
}

/** The refusal of raw readings past MAX_HISTORY_POINTS in a range (they were counted up to one more). */
export function tooManyRawMessage(rangeMs: number): string {
  return `this range holds more than ${MAX_HISTORY_POINTS.toLocaleString('en-US')} readings, more than one answer may hold: ${insteadOver(rangeMs)}, or ask for a shorter range`
}

/** A logged-in user of the city (any role) who has chosen their password: not limited like the public. */
export function isStaff(request: FastifyRequest): boolean {
  return (request.auth?.principal ?? null) !== null
}

/**
 * A route's `config.rateLimit` (@fastify/rate-limit, keyed by `request.ip`): `limit` per client
 * address without a staff session, and a 429 that says when to come back and that staff have no limit.
 */
export function publicRateLimit(limit: { max: number; timeWindowMs: number }, what: string) {
  return {
    max: limit.max,
    timeWindow: limit.timeWindowMs,
    allowList: (request: FastifyRequest) => isStaff(request),
    errorResponseBuilder: (_request: FastifyRequest, context: { ttl: number }) =>
      new HttpError(
        429,
        `more than ${limit.max} ${what} a minute from your address: try again in ${Math.max(1, Math.ceil(context.ttl / 1000))} s (city staff who log in have no limit)`,
      ),
  }
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
