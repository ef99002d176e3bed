import { describe, expect, it } from 'vitest'
import { median, peakOf, readingCounts, timeAtLevels, type LevelDurations, type LevelPoint } from './reading-window.ts'

const MIN = 60_000
const LEVELS = { bd1: 170, bd2: 220, bd3: 270 }
/** Silent after 5 one-minute intervals, as the defaults judge a river gauge. */
const SILENT = 5 * MIN
const at = (minute: number, cm: number): LevelPoint => ({ ts: minute * MIN, cm })
const total = (d: LevelDurations) => d.below + d.bd1 + d.bd2 + d.bd3 + d.noData

describe('timeAtLevels', () => {
  it('weights each level by the time until the next reading', () => {
    const points = [at(0, 100), at(4, 160), at(8, 180), at(10, 230), at(13, 280), at(14, 150)]
    const d = timeAtLevels(points, null, 0, 16 * MIN, LEVELS, SILENT)
    expect(d).toEqual({ below: 8 * MIN + 2 * MIN, bd1: 2 * MIN, bd2: 3 * MIN, bd3: 1 * MIN, noData: 0 })
  })

  it('cuts the interval that straddles the window start, using the reading before the window', () => {
    const d = timeAtLevels([at(12, 100)], at(8, 230), 10 * MIN, 14 * MIN, LEVELS, SILENT)
    // 10→12 still at the 230 cm of minute 8 (BĐ2), 12→14 below BĐ1.
    expect(d).toMatchObject({ bd2: 2 * MIN, below: 2 * MIN, noData: 0 })
  })

  it('cuts the interval that straddles the window end', () => {
    const d = timeAtLevels([at(0, 180), at(3, 100), at(9, 300)], null, 0, 5 * MIN, LEVELS, SILENT)
    expect(d).toEqual({ below: 2 * MIN, bd1: 3 * MIN, bd2: 0, bd3: 0, noData: 0 })
  })

  it('counts a gap longer than the silence threshold as no data, wholly', () => {
    const d = timeAtLevels([at(0, 250), at(30, 250)], null, 0, 31 * MIN, LEVELS, SILENT)
    expect(d).toMatchObject({ bd2: 1 * MIN, noData: 30 * MIN })
  })

  it('keeps a gap of exactly the silence threshold at its level', () => {
    const d = timeAtLevels([at(0, 250), at(5, 250)], null, 0, 6 * MIN, LEVELS, SILENT)
    expect(d).toMatchObject({ bd2: 6 * MIN, noData: 0 })
  })

  it('holds the last reading for the silence threshold, then no data', () => {
    const d = timeAtLevels([at(0, 200)], null, 0, 60 * MIN, LEVELS, SILENT)
    expect(d).toMatchObject({ bd1: 5 * MIN, noData: 55 * MIN })
  })

  it('is no data before the first reading when nothing came before the window', () => {
    const d = timeAtLevels([at(10, 100)], null, 0, 12 * MIN, LEVELS, SILENT)
    expect(d).toMatchObject({ noData: 10 * MIN, below: 2 * MIN })
  })

  it('is all no data without readings, and nothing for an empty window', () => {
    expect(timeAtLevels([], null, 0, 60 * MIN, LEVELS, SILENT)).toEqual({ below: 0, bd1: 0, bd2: 0, bd3: 0, noData: 60 * MIN })
    expect(total(timeAtLevels([at(0, 300)], null, 5 * MIN, 5 * MIN, LEVELS, SILENT))).toBe(0)
  })

  it('reads a level at its threshold as that level (220 cm is BĐ2)', () => {
    expect(timeAtLevels([at(0, 220), at(1, 220)], null, 0, 2 * MIN, LEVELS, SILENT).bd2).toBe(2 * MIN)
  })

  it('always adds up to the window, whatever the readings', () => {
    const points = [at(3, 160), at(4, 230), at(20, 280), at(21, 100), at(40, 171)]
    for (const [from, to] of [[0, 50], [3.5, 20.5], [10, 11], [41, 90]] as const) {
      expect(total(timeAtLevels(points, at(1, 150), from * MIN, to * MIN, LEVELS, SILENT))).toBe((to - from) * MIN)
    }
  })
})

describe('readingCounts', () => {
  it('expects one reading per whole interval and counts the missing ones', () => {
    const ts = [0, 1, 2, 5, 6, 7, 8, 9].map((m) => m * MIN)
    expect(readingCounts(ts, 0, 10 * MIN, MIN)).toEqual({ expected: 10, received: 8, missing: 2, longestGapMs: 3 * MIN, longestGapFrom: 2 * MIN })
  })

  it('bounds gaps by the window: a silence at the start counts from the window’s start, one at the end up to its end', () => {
    expect(readingCounts([7 * MIN], 0, 10 * MIN, MIN)).toMatchObject({ longestGapMs: 7 * MIN, longestGapFrom: 0 })
    expect(readingCounts([1 * MIN], 0, 10 * MIN, MIN)).toMatchObject({ longestGapMs: 9 * MIN, longestGapFrom: 1 * MIN })
  })

  it('ignores readings outside the window, and never counts negative missing readings', () => {
    const fast = Array.from({ length: 40 }, (_, i) => i * 15_000)
    expect(readingCounts([-MIN, ...fast, 11 * MIN], 0, 10 * MIN, MIN)).toMatchObject({ expected: 10, received: 40, missing: 0 })
  })

  it('without readings, everything due is missing and the gap is the whole window', () => {
    expect(readingCounts([], 0, 60 * MIN, 5 * MIN)).toEqual({ expected: 12, received: 0, missing: 12, longestGapMs: 60 * MIN, longestGapFrom: 0 })
  })
})

describe('peakOf and median', () => {
  it('takes the first time the highest level was reached', () => {
    expect(peakOf([at(0, 100), at(1, 250), at(2, 250), at(3, 200)])).toEqual(at(1, 250))
    expect(peakOf([])).toBeNull()
  })

  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([30, 10, 20])).toBe(20)
    expect(median([40, 10, 20, 30])).toBe(25)
    expect(median([])).toBeNull()
  })
})
