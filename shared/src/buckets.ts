/**
 * History bucket widths, in a module of their own with no schema in it: the browser imports these,
 * and the API schemas (with TypeBox) stay out of its bundle.
 */
export const BUCKETS = { raw: 0, '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000, '6h': 21_600_000, '1d': 86_400_000 } as const
/** `raw`, or the width of one bucket. */
export type Bucket = keyof typeof BUCKETS
export const BUCKET_NAMES = Object.keys(BUCKETS) as Bucket[]

/**
 * Most points one history answer may hold, raw or bucketed, for anyone. No chart draws more, and the
 * answer stays near half a megabyte; 400 days in 1-minute buckets (576,001 points) made a 10 MB answer
 * that took over a second and held every other request meanwhile. A client that chooses a bucket
 * itself chooses one that fits (`finestBucketWithin`); `bucket=auto` always does.
 */
export const MAX_HISTORY_POINTS = 5000

/** The named bucket widths, finest first. */
const NAMED = (Object.entries(BUCKETS) as [Bucket, number][]).filter(([, ms]) => ms > 0).sort((a, b) => a[1] - b[1])

/**
 * The most buckets a range can touch: buckets start on whole multiples of their width, so a range of
 * n widths touches n + 1 of them when it starts on a bucket's edge, and never more.
 */
export function bucketCount(rangeMs: number, bucketMs: number): number {
  return Math.ceil(rangeMs / bucketMs) + 1
}

/** The finest named bucket that keeps a range within `maxPoints`; undefined when even a day is too fine. */
export function finestBucketWithin(rangeMs: number, maxPoints: number = MAX_HISTORY_POINTS): Exclude<Bucket, 'raw'> | undefined {
  return NAMED.find(([, ms]) => bucketCount(rangeMs, ms) <= maxPoints)?.[0] as Exclude<Bucket, 'raw'> | undefined
}

/** The longest range a bucket width may cover within `maxPoints`. */
export function longestRangeFor(bucketMs: number, maxPoints: number = MAX_HISTORY_POINTS): number {
  return (maxPoints - 1) * bucketMs
}
