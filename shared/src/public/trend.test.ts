import { describe, expect, it } from 'vitest'
import { MIN_TREND_SPAN_MS, STEADY_CM_PER_HOUR, TREND_WINDOW_MS, trendOf, trendSamples, type LevelSample } from './trend.ts'

const HOUR = 3_600_000
const T0 = Date.parse('2025-10-30T00:00:00Z')

/** One sample every `stepMs` for `hours`, following `level(hoursFromStart)`. */
function series(hours: number, level: (h: number) => number, stepMs = 15 * 60_000): LevelSample[] {
  const out: LevelSample[] = []
  for (let ms = 0; ms <= hours * HOUR; ms += stepMs) out.push({ ms: T0 + ms, cm: level(ms / HOUR) })
  return out
}

describe('trendOf', () => {
  it('calls a level going up 10 cm/h rising, at 10 cm/h', () => {
    const trend = trendOf(series(3, (h) => 100 + 10 * h))
    expect(trend?.direction).toBe('rising')
    expect(trend?.cmPerHour).toBeCloseTo(10, 6)
  })

  it('calls a level going down falling, with a negative rate', () => {
    const trend = trendOf(series(3, (h) => 200 - 6 * h))
    expect(trend?.direction).toBe('falling')
    expect(trend?.cmPerHour).toBeCloseTo(-6, 6)
  })

  it('calls a flat level steady', () => {
    expect(trendOf(series(3, () => 120))).toEqual({ direction: 'steady', cmPerHour: 0 })
  })

  it(`is steady within ±${STEADY_CM_PER_HOUR} cm/h and turns at the threshold`, () => {
    expect(trendOf(series(3, (h) => 100 + 1.9 * h))?.direction).toBe('steady')
    expect(trendOf(series(3, (h) => 100 - 1.9 * h))?.direction).toBe('steady')
    expect(trendOf(series(3, (h) => 100 + STEADY_CM_PER_HOUR * h))?.direction).toBe('rising')
    expect(trendOf(series(3, (h) => 100 - STEADY_CM_PER_HOUR * h))?.direction).toBe('falling')
  })

  it('is not thrown by one noisy reading (a slope, not newest minus oldest)', () => {
    const samples = series(3, () => 120)
    samples[samples.length - 1]!.cm = 126
    expect(trendOf(samples)?.direction).toBe('steady')
  })

  it('looks only at the last three hours: a flood that peaked and now recedes is falling', () => {
    const samples = series(12, (h) => (h <= 8 ? 100 + 15 * h : 220 - 5 * (h - 8)))
    const trend = trendOf(samples)
    expect(trend?.direction).toBe('falling')
    expect(trend?.cmPerHour).toBeCloseTo(-5, 6)
    expect(TREND_WINDOW_MS).toBe(3 * HOUR)
  })

  it('takes samples in any order', () => {
    const samples = series(3, (h) => 100 + 4 * h).reverse()
    expect(trendOf(samples)?.cmPerHour).toBeCloseTo(4, 6)
  })

  it('cannot tell from one sample, from none, or from a span too short', () => {
    expect(trendOf([])).toBeNull()
    expect(trendOf([{ ms: T0, cm: 100 }])).toBeNull()
    expect(trendOf([{ ms: T0, cm: 100 }, { ms: T0 + MIN_TREND_SPAN_MS - 1, cm: 130 }])).toBeNull()
  })

  it('ignores samples that are not numbers', () => {
    expect(trendOf([{ ms: T0, cm: Number.NaN }, { ms: T0 + HOUR, cm: 100 }])).toBeNull()
  })
})

describe('trendSamples', () => {
  it('places each hourly average at the middle of its hour, the unfinished hour at the middle of what was measured', () => {
    const spark = [
      { ts: '2025-10-30T00:00:00Z', cm: 100 },
      { ts: '2025-10-30T01:00:00Z', cm: 110 },
      { ts: '2025-10-30T02:00:00Z', cm: 118 },
    ]
    const latest = { ts: '2025-10-30T02:20:00Z', waterLevelCm: 120 }
    expect(trendSamples(spark, [latest])).toEqual([
      { ms: T0 + 0.5 * HOUR, cm: 100 },
      { ms: T0 + 1.5 * HOUR, cm: 110 },
      { ms: T0 + 2 * HOUR + 10 * 60_000, cm: 118 },
      { ms: T0 + 2 * HOUR + 20 * 60_000, cm: 120 },
    ])
  })

  it('gives a rising flood a rising trend from hourly averages and the latest reading', () => {
    const spark = Array.from({ length: 24 }, (_, h) => ({ ts: new Date(T0 + h * HOUR).toISOString(), cm: 100 + 8 * (h + 0.5) }))
    const latest = { ts: new Date(T0 + 24 * HOUR).toISOString(), waterLevelCm: 100 + 8 * 24 }
    const trend = trendOf(trendSamples(spark, [latest]))
    expect(trend?.direction).toBe('rising')
    expect(trend?.cmPerHour).toBeCloseTo(8, 6)
  })

  it('works without any reading (only averages)', () => {
    expect(trendSamples([{ ts: '2025-10-30T00:00:00Z', cm: 100 }], [])).toEqual([{ ms: T0 + 0.5 * HOUR, cm: 100 }])
  })
})
