import { describe, expect, it } from 'vitest'
import { BUCKETS, MAX_HISTORY_POINTS, bucketCount, finestBucketWithin, longestRangeFor } from './buckets.ts'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

describe('bucketCount', () => {
  it('counts both ends of a range that starts on a bucket edge', () => {
    expect(bucketCount(60 * MINUTE, BUCKETS['1m'])).toBe(61)
    expect(bucketCount(0, BUCKETS['1h'])).toBe(1)
  })

  it('is never below the buckets a range touches, wherever it starts', () => {
    const bucketMs = BUCKETS['5m']
    for (const rangeMs of [1, 59_999, 300_000, 300_001, 7 * 300_000 + 12_345]) {
      for (const fromMs of [0, 1, 150_000, 299_999]) {
        const toMs = fromMs + rangeMs
        const touched = Math.floor(toMs / bucketMs) - Math.floor(fromMs / bucketMs) + 1
        expect(bucketCount(rangeMs, bucketMs), `${fromMs}+${rangeMs}`).toBeGreaterThanOrEqual(touched)
      }
    }
  })
})

describe('finestBucketWithin', () => {
  it.each([
    ['1 day', DAY, '1m'],
    ['7 days', 7 * DAY, '5m'],
    ['30 days', 30 * DAY, '15m'],
    ['90 days', 90 * DAY, '1h'],
    ['400 days', 400 * DAY, '6h'],
  ])('keeps %s within 5,000 points with %s buckets', (_, rangeMs, bucket) => {
    expect(finestBucketWithin(rangeMs)).toBe(bucket)
    expect(bucketCount(rangeMs, BUCKETS[bucket as keyof typeof BUCKETS])).toBeLessThanOrEqual(MAX_HISTORY_POINTS)
  })

  it('finds nothing when even daily buckets are too many', () => {
    expect(finestBucketWithin(20_000 * DAY)).toBeUndefined()
  })
})

describe('longestRangeFor', () => {
  it('gives the longest range whose buckets still fit, and not a minute more', () => {
    const longest = longestRangeFor(BUCKETS['1m'])
    expect(bucketCount(longest, BUCKETS['1m'])).toBe(MAX_HISTORY_POINTS)
    expect(bucketCount(longest + 1, BUCKETS['1m'])).toBe(MAX_HISTORY_POINTS + 1)
  })
})
