import { describe, expect, it } from 'vitest'
import type { ReadingsResponse } from '@ioc/shared'
import { addReading, hasRainfall, levelExtent, pointsSince, seriesFromResponse, trimSeries, type HistorySeries } from './history-series.ts'

const HOUR = 3_600_000
const t0 = Date.UTC(2025, 9, 30, 0, 0, 0)
const iso = (ms: number) => new Date(ms).toISOString()

function rawAnswer(): ReadingsResponse {
  return {
    stationId: 'tam-ky-river',
    bucket: 'raw',
    from: iso(t0),
    to: iso(t0 + 2 * HOUR),
    points: [
      { ts: iso(t0 + 10 * 60_000), waterLevelCm: 120 },
      { ts: iso(t0 + 70 * 60_000), waterLevelCm: 131.5, rainfallMm: 2 },
    ],
  }
}

function hourlyAnswer(): ReadingsResponse {
  return {
    stationId: 'tam-ky-river',
    bucket: '1h',
    from: iso(t0),
    to: iso(t0 + HOUR + 20 * 60_000),
    points: [
      { ts: iso(t0), waterLevelCm: 150, avg: 150, min: 140, max: 160 },
      { ts: iso(t0 + HOUR), waterLevelCm: 170, avg: 170, min: 165, max: 175, rainfallMm: 4 },
    ],
  }
}

describe('seriesFromResponse', () => {
  it('turns raw readings into points at their own times', () => {
    const series = seriesFromResponse(rawAnswer())
    expect(series.bucketMs).toBe(0)
    expect(series.points).toEqual([
      { ts: t0 + 10 * 60_000, levelCm: 120 },
      { ts: t0 + 70 * 60_000, levelCm: 131.5, rainMm: 2 },
    ])
  })

  it('keeps average, low and high of each bucket at the bucket start', () => {
    const series = seriesFromResponse(hourlyAnswer())
    expect(series.bucketMs).toBe(HOUR)
    expect(series.points[1]).toEqual({ ts: t0 + HOUR, levelCm: 170, minCm: 165, maxCm: 175, rainMm: 4 })
  })

  it('counts the whole asked range as covered, even past the last point', () => {
    expect(seriesFromResponse(rawAnswer()).coveredToMs).toBe(t0 + 2 * HOUR)
  })

  it('gives an empty series for an empty answer', () => {
    const series = seriesFromResponse({ ...rawAnswer(), points: [] })
    expect(series.points).toEqual([])
  })
})

describe('addReading, raw', () => {
  it('appends a reading newer than the answer', () => {
    const series = addReading(seriesFromResponse(rawAnswer()), { ts: iso(t0 + 2 * HOUR + 60_000), waterLevelCm: 140, rainfallMm: 1 })
    expect(series.points.at(-1)).toEqual({ ts: t0 + 2 * HOUR + 60_000, levelCm: 140, rainMm: 1 })
    expect(series.points).toHaveLength(3)
  })

  it('ignores a reading the answer already covers', () => {
    const before = seriesFromResponse(rawAnswer())
    expect(addReading(before, { ts: iso(t0 + HOUR), waterLevelCm: 999 })).toBe(before)
  })

  it('ignores the same live reading sent twice', () => {
    const reading = { ts: iso(t0 + 3 * HOUR), waterLevelCm: 150 }
    const once = addReading(seriesFromResponse(rawAnswer()), reading)
    expect(addReading(once, reading)).toBe(once)
  })
})

describe('addReading, bucketed', () => {
  const start = () => seriesFromResponse(hourlyAnswer())

  it('widens the low and high of the current bucket exactly', () => {
    const series = addReading(start(), { ts: iso(t0 + HOUR + 30 * 60_000), waterLevelCm: 190 })
    expect(series.points).toHaveLength(2)
    expect(series.points[1]).toMatchObject({ minCm: 165, maxCm: 190 })
  })

  it("marks the server bucket's average stale rather than guessing it", () => {
    const series = addReading(start(), { ts: iso(t0 + HOUR + 30 * 60_000), waterLevelCm: 190 })
    expect(series.points[1]!.levelCm).toBe(170)
    expect(series.averageStale).toBe(true)
  })

  it('adds rainfall to the current bucket total', () => {
    const series = addReading(start(), { ts: iso(t0 + HOUR + 30 * 60_000), waterLevelCm: 170, rainfallMm: 1.5 })
    expect(series.points[1]!.rainMm).toBe(5.5)
  })

  it('opens a new bucket at the next bucket boundary', () => {
    const series = addReading(start(), { ts: iso(t0 + 2 * HOUR + 5 * 60_000), waterLevelCm: 200 })
    expect(series.points[2]).toEqual({ ts: t0 + 2 * HOUR, levelCm: 200, minCm: 200, maxCm: 200, count: 1 })
    expect(series.averageStale).toBe(false)
  })

  it('keeps an exact running average in a bucket opened on this page', () => {
    let series: HistorySeries = start()
    for (const [minute, cm] of [[5, 200], [10, 210], [15, 230]] as const) {
      series = addReading(series, { ts: iso(t0 + 2 * HOUR + minute * 60_000), waterLevelCm: cm })
    }
    expect(series.points[2]).toMatchObject({ levelCm: 640 / 3, minCm: 200, maxCm: 230, count: 3 })
    expect(series.averageStale).toBe(false)
  })

  it('starts the first bucket of an empty answer', () => {
    const empty = seriesFromResponse({ ...hourlyAnswer(), points: [] })
    const series = addReading(empty, { ts: iso(t0 + 2 * HOUR + 60_000), waterLevelCm: 90 })
    expect(series.points).toEqual([{ ts: t0 + 2 * HOUR, levelCm: 90, minCm: 90, maxCm: 90, count: 1 }])
  })
})

describe('pointsSince and trimSeries', () => {
  it('drops raw readings older than the window', () => {
    const series = seriesFromResponse(rawAnswer())
    expect(pointsSince(series, t0 + 30 * 60_000).map((p) => p.ts)).toEqual([t0 + 70 * 60_000])
  })

  it('keeps a reading exactly at the window start', () => {
    const series = seriesFromResponse(rawAnswer())
    expect(pointsSince(series, t0 + 10 * 60_000)).toHaveLength(2)
  })

  it('keeps a bucket that ends inside the window, drops one that ended before it', () => {
    const series = seriesFromResponse(hourlyAnswer())
    expect(pointsSince(series, t0 + 30 * 60_000).map((p) => p.ts)).toEqual([t0, t0 + HOUR])
    expect(pointsSince(series, t0 + HOUR).map((p) => p.ts)).toEqual([t0 + HOUR])
  })

  it('returns the same series when nothing falls out', () => {
    const series = seriesFromResponse(rawAnswer())
    expect(trimSeries(series, t0)).toBe(series)
  })

  it('empties the series when every point is older than the window', () => {
    expect(trimSeries(seriesFromResponse(rawAnswer()), t0 + 3 * HOUR).points).toEqual([])
  })
})

describe('levelExtent', () => {
  it('uses bucket lows and highs, not only averages', () => {
    expect(levelExtent(seriesFromResponse(hourlyAnswer()).points)).toEqual({ minCm: 140, maxCm: 175 })
  })

  it('is null without points', () => {
    expect(levelExtent([])).toBeNull()
  })
})

describe('hasRainfall', () => {
  it('is true when any point carries rainfall', () => {
    expect(hasRainfall(seriesFromResponse(rawAnswer()).points)).toBe(true)
  })

  it('is false for level-only readings', () => {
    expect(hasRainfall([{ ts: t0, levelCm: 1 }])).toBe(false)
  })
})
