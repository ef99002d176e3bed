/**
 * History bucket widths, in a module of their own with no schema in it: the browser imports these,
 * and the API schemas (with TypeBox) stay out of its bundle.
 */
export const BUCKETS = { raw: 0, '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000, '6h': 21_600_000, '1d': 86_400_000 } as const
/** `raw`, or the width of one bucket. */
export type Bucket = keyof typeof BUCKETS
export const BUCKET_NAMES = Object.keys(BUCKETS) as Bucket[]
