import { describe, expect, it } from 'vitest'
import { BUCKETS, type Bucket } from '@ioc/shared'
import { checkBucketPoints, chooseBucket, DEFAULT_RANGE_MS, MAX_AUTO_POINTS, MAX_RANGE_MS, parseRange, spanText, tooManyRawMessage } from './history.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const NOW = Date.parse('2024-10-30T07:00:00Z')

describe('chooseBucket', () => {
  it('returns raw points when there are at most 1000', () => {
    expect(chooseBucket(365 * DAY, MAX_AUTO_POINTS)).toBe('raw')
  })

  it('returns raw points for an empty range', () => {
    expect(chooseBucket(DAY, 0)).toBe('raw')
  })

  it.each<[string, number, Bucket]>([
    ['1 hour', HOUR, '1m'],
    ['24 hours', DAY, '5m'],
    ['7 days', 7 * DAY, '15m'],
    ['30 days', 30 * DAY, '1h'],
    ['1 year', 365 * DAY, '1d'],
  ])('buckets %s of more than 1000 readings by %s', (_, rangeMs, bucket) => {
    expect(chooseBucket(rangeMs, MAX_AUTO_POINTS + 1)).toBe(bucket)
  })

  it('picks the finest bucket that keeps the answer within 1000 points', () => {
    for (const rangeMs of [HOUR, DAY, 7 * DAY, 30 * DAY, 90 * DAY, 365 * DAY]) {
      const chosen = BUCKETS[chooseBucket(rangeMs, 50_000)]
      const finer = Object.values(BUCKETS).filter((ms) => ms > 0 && ms < chosen)
      expect(rangeMs / chosen, `${rangeMs} ms`).toBeLessThanOrEqual(MAX_AUTO_POINTS)
      for (const ms of finer) expect(rangeMs / ms, `${rangeMs} ms by ${ms} ms`).toBeGreaterThan(MAX_AUTO_POINTS)
    }
  })

  it('uses 1-minute buckets while the inclusive range touches at most 1000 of them', () => {
    expect(chooseBucket(999 * MINUTE, 5000)).toBe('1m')
    // 1000 minutes, both ends included, touch 1001 one-minute buckets: one too many.
    expect(chooseBucket(1000 * MINUTE, 5000)).toBe('5m')
  })

  it('falls back to the coarsest bucket for a range longer than 1000 days', () => {
    expect(chooseBucket(2000 * DAY, 1_000_000)).toBe('1d')
  })
})

describe('parseRange', () => {
  it('defaults to the last 24 hours', () => {
    expect(parseRange(undefined, undefined, NOW)).toEqual({ ok: true, fromMs: NOW - DAY, toMs: NOW })
  })

  it('ends at now when only "from" is given', () => {
    expect(parseRange('2024-10-29T00:00:00Z', undefined, NOW)).toEqual({ ok: true, fromMs: Date.parse('2024-10-29T00:00:00Z'), toMs: NOW })
  })

  it('starts 24 hours before "to" when only "to" is given', () => {
    const toMs = Date.parse('2024-10-01T00:00:00Z')
    expect(parseRange(undefined, '2024-10-01T00:00:00Z', NOW)).toEqual({ ok: true, fromMs: toMs - DEFAULT_RANGE_MS, toMs })
  })

  it('reads ISO times with a Vietnam offset', () => {
    expect(parseRange('2024-10-30T07:00:00+07:00', '2024-10-30T08:00:00+07:00', NOW)).toEqual({
      ok: true,
      fromMs: Date.parse('2024-10-30T00:00:00Z'),
      toMs: Date.parse('2024-10-30T01:00:00Z'),
    })
  })

  it('accepts an empty range (from equal to to)', () => {
    expect(parseRange('2024-10-30T00:00:00Z', '2024-10-30T00:00:00Z', NOW).ok).toBe(true)
  })

  it('refuses "from" after "to" and shows both times', () => {
    const result = parseRange('2024-10-30T06:00:00Z', '2024-10-30T05:00:00Z', NOW)
    expect(result).toEqual({ ok: false, message: expect.stringContaining('2024-10-30T06:00:00.000Z') })
    expect(!result.ok && result.message).toContain('2024-10-30T05:00:00.000Z')
  })

  it('refuses a range longer than 400 days', () => {
    const result = parseRange(new Date(NOW - MAX_RANGE_MS - 1).toISOString(), new Date(NOW).toISOString(), NOW)
    expect(result).toEqual({ ok: false, message: expect.stringContaining('400 days') })
  })

  it('accepts a range of exactly 400 days', () => {
    expect(parseRange(new Date(NOW - MAX_RANGE_MS).toISOString(), new Date(NOW).toISOString(), NOW).ok).toBe(true)
  })

  it('refuses a "from" that is not a date and quotes it', () => {
    expect(parseRange('yesterday', undefined, NOW)).toEqual({ ok: false, message: expect.stringMatching(/"from".*yesterday/) })
  })

  it('refuses a "to" that is not a date and quotes it', () => {
    expect(parseRange(undefined, 'soon', NOW)).toEqual({ ok: false, message: expect.stringMatching(/"to".*soon/) })
  })
})

describe('checkBucketPoints', () => {
  it('refuses 400 days in 1-minute buckets, naming the finest bucket that fits and the longest 1-minute range', () => {
    expect(checkBucketPoints(400 * DAY, '1m')).toEqual({
      ok: false,
      message:
        '400 days in 1-minute buckets would be 576,001 points, more than the 5,000 one answer may hold: ask for bucket=6h or coarser over this range ' +
        '(bucket=auto chooses one for you), or ask for at most 3 days 11 hours at a time in 1-minute buckets',
    })
  })

  it('accepts every pair within 5,000 points, up to the edge', () => {
    expect(checkBucketPoints(400 * DAY, '6h')).toEqual({ ok: true })
    expect(checkBucketPoints(400 * DAY, '1d')).toEqual({ ok: true })
    expect(checkBucketPoints(4999 * MINUTE, '1m')).toEqual({ ok: true })
    expect(checkBucketPoints(4999 * MINUTE + 1, '1m')).toMatchObject({ ok: false })
    expect(checkBucketPoints(30 * DAY, '15m')).toEqual({ ok: true })
  })

  it('names 15-minute buckets for 30 days asked in 5-minute buckets', () => {
    const result = checkBucketPoints(30 * DAY, '5m')
    expect(result).toEqual({ ok: false, message: expect.stringContaining('would be 8,641 points') })
    expect(!result.ok && result.message).toContain('ask for bucket=15m or coarser')
    expect(!result.ok && result.message).toContain('at most 17 days 8 hours at a time in 5-minute buckets')
  })
})

describe('tooManyRawMessage', () => {
  it('names the finest bucket for the range', () => {
    expect(tooManyRawMessage(7 * DAY)).toBe(
      'this range holds more than 5,000 readings, more than one answer may hold: ask for bucket=5m or coarser over this range (bucket=auto chooses one for you), or ask for a shorter range',
    )
  })
})

describe('spanText', () => {
  it.each([
    [400 * DAY, '400 days'],
    [DAY, '1 day'],
    [4999 * MINUTE, '3 days 11 hours'],
    [2.5 * HOUR, '2 hours 30 minutes'],
    [HOUR, '1 hour'],
    [45 * MINUTE, '45 minutes'],
  ])('says %i ms as "%s"', (ms, text) => {
    expect(spanText(ms)).toBe(text)
  })
})
