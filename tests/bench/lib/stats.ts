import * as hdr from 'hdr-histogram-js'

/** Latencies in milliseconds recorded with microsecond resolution (HDR histogram, up to 60 s). */
export function latencyHistogram() {
  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 })
  return {
    recordMs(ms: number) {
      histogram.recordValue(Math.max(1, Math.round(ms * 1000)))
    },
    get count() {
      return histogram.totalCount
    },
    percentileMs: (p: number) => histogram.getValueAtPercentile(p) / 1000,
    maxMs: () => histogram.maxValue / 1000,
  }
}

/** The median of repeated rounds: the figure reported for noisy measurements. */
export function median(values: number[]): number {
  if (values.length === 0) throw new Error('median of nothing')
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** p-th percentile (0–100) of plain samples, nearest rank. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}
