import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { judgeReading, NO_READING, plausibleChangeCm, type LevelPoint, type PlausibilityState } from './plausibility.ts'

const MINUTE = 60_000
const T0 = Date.parse('2025-10-30T00:00:00Z')
/** The Tam Kỳ river: 5 cm a minute, a reading every 5 minutes — 25 cm between two readings on time. */
const RIVER = { maxChangeCmPerMinute: 5, expectedIntervalS: 300 }
const limit = (from: LevelPoint, to: LevelPoint) => plausibleChangeCm(RIVER.maxChangeCmPerMinute, RIVER.expectedIntervalS, from.ts, to.ts)
const at = (minute: number, cm: number): LevelPoint => ({ ts: T0 + minute * MINUTE, cm })

/** Judges `readings` in turn from `state`; returns every reading taken, in the order taken, and the verdicts. */
function judgeAll(readings: readonly LevelPoint[], state: PlausibilityState = NO_READING) {
  const taken: LevelPoint[] = []
  const suspect: boolean[] = []
  for (const reading of readings) {
    const judged = judgeReading(state, reading, limit)
    state = judged.state
    taken.push(...judged.take)
    suspect.push(judged.suspect)
  }
  return { taken, suspect, state }
}

describe('plausibleChangeCm', () => {
  it('scales the per-minute limit by the time between the readings', () => {
    expect(plausibleChangeCm(5, 300, T0, T0 + 10 * MINUTE)).toBe(50)
    expect(plausibleChangeCm(5, 300, T0, T0 + 60 * MINUTE)).toBe(300)
  })

  it('counts at least one expected interval: readings closer together may still differ by one interval’s worth', () => {
    expect(plausibleChangeCm(5, 300, T0, T0 + 5 * MINUTE)).toBe(25)
    expect(plausibleChangeCm(5, 300, T0, T0 + MINUTE)).toBe(25)
    expect(plausibleChangeCm(5, 300, T0, T0 + 1000)).toBe(25)
  })
})

describe('judgeReading', () => {
  it('takes a station’s first reading, having nothing to judge it by', () => {
    expect(judgeAll([at(0, 400)])).toMatchObject({ taken: [at(0, 400)], suspect: [false] })
  })

  it('takes readings that move no further than the water can', () => {
    const readings = [at(0, 100), at(5, 125), at(10, 100), at(70, 400)]
    expect(judgeAll(readings)).toMatchObject({ taken: readings, suspect: [false, false, false, false] })
  })

  it('holds a jump beyond the limit as suspect, then drops it when the next reading is back where the water was', () => {
    const { taken, suspect, state } = judgeAll([at(0, 100), at(5, 250), at(10, 102)])
    expect(suspect).toEqual([false, true, false])
    expect(taken).toEqual([at(0, 100), at(10, 102)])
    expect(state).toEqual({ accepted: at(10, 102), pending: null })
  })

  it('says which reading it dropped and which it confirmed', () => {
    const spike = judgeReading({ accepted: at(0, 100), pending: null }, at(5, 250), limit)
    expect(spike).toEqual({ state: { accepted: at(0, 100), pending: at(5, 250) }, suspect: true, take: [], confirmed: null, dropped: null })
    expect(judgeReading(spike.state, at(10, 100), limit)).toMatchObject({ dropped: at(5, 250), confirmed: null, take: [at(10, 100)] })
    expect(judgeReading(spike.state, at(10, 260), limit)).toMatchObject({ dropped: null, confirmed: at(5, 250), take: [at(5, 250), at(10, 260)] })
  })

  it('takes a real jump, and the reading that confirms it, together on the confirming reading', () => {
    const { taken, suspect } = judgeAll([at(0, 100), at(5, 250), at(10, 255), at(15, 260)])
    expect(suspect).toEqual([false, true, false, false])
    expect(taken).toEqual([at(0, 100), at(5, 250), at(10, 255), at(15, 260)])
  })

  it('drops a small spike even when the reading after it is within reach of both', () => {
    // 100 → 126 (26 cm: suspect) → 104: 4 cm from 100 and 22 cm from 126. Back where the water was wins.
    const { taken, suspect } = judgeAll([at(0, 100), at(5, 126), at(10, 104)])
    expect(suspect).toEqual([false, true, false])
    expect(taken).toEqual([at(0, 100), at(10, 104)])
  })

  it('keeps only the newest of two disagreeing jumps waiting, and judges the next reading against it', () => {
    const { taken, suspect, state } = judgeAll([at(0, 100), at(5, 300), at(10, 500)])
    expect(suspect).toEqual([false, true, true])
    expect(taken).toEqual([at(0, 100)])
    expect(state).toEqual({ accepted: at(0, 100), pending: at(10, 500) })
    expect(judgeAll([at(15, 510)], state).taken).toEqual([at(10, 500), at(15, 510)])
  })

  it('allows more after a gap: an hour without readings may hold an hour’s worth of rise', () => {
    expect(judgeAll([at(0, 100), at(60, 390)]).suspect).toEqual([false, false])
    expect(judgeAll([at(0, 100), at(60, 410)]).suspect).toEqual([false, true])
  })
})

/**
 * Property tests. The model: the river reported every 5 minutes, each reading within 24.9 cm of the one
 * before (less than the 25 cm the limit allows), from anywhere in the gauge's range.
 */
describe('judgeReading (fast-check)', () => {
  const RUNS = { seed: 20251030, numRuns: 1000 } as const
  const STEP = 5 * MINUTE
  const series = fc
    .record({
      start: fc.integer({ min: -500, max: 4500 }),
      steps: fc.array(fc.integer({ min: -249, max: 249 }), { minLength: 2, maxLength: 40 }),
    })
    .map(({ start, steps }) => {
      let cm = start
      return [at(0, cm), ...steps.map((mm, i) => at(((i + 1) * STEP) / MINUTE, (cm = Math.round((cm + mm / 10) * 10) / 10)))]
    })
  /** How far beyond the limit a spike goes, cm: from a millimetre to the whole range a reading may have. */
  const beyond = fc.integer({ min: 1, max: 60_000 }).map((mm) => mm / 10)

  it('never takes a lone spike, of any size either way: what is taken is the series without it', () => {
    fc.assert(
      fc.property(series, fc.nat(), beyond, fc.boolean(), (readings, where, extra, up) => {
        // A spike between two readings of the series: not the last, so the next reading follows it.
        const after = where % (readings.length - 1)
        const before = readings[after]!
        const ts = before.ts + STEP / 2
        const cm = before.cm + (up ? 1 : -1) * (limit(before, { ts, cm: 0 }) + extra)
        const spiked = [...readings.slice(0, after + 1), { ts, cm }, ...readings.slice(after + 1)]
        const { taken, suspect } = judgeAll(spiked)
        expect(taken).toEqual(readings)
        expect(suspect.filter(Boolean)).toHaveLength(1)
      }),
      RUNS,
    )
  })

  it('takes the same jump, confirmed by the next reading, at once on the confirming reading', () => {
    fc.assert(
      fc.property(series, beyond, fc.boolean(), fc.integer({ min: -249, max: 249 }), (readings, extra, up, mm) => {
        const last = readings.at(-1)!
        const jump = { ts: last.ts + STEP, cm: last.cm + (up ? 1 : -1) * (limit(last, { ts: last.ts + STEP, cm: 0 }) + extra) }
        const confirming = { ts: jump.ts + STEP, cm: jump.cm + mm / 10 }
        const before = judgeAll([...readings, jump])
        expect(before.taken).toEqual(readings)
        expect(before.suspect.at(-1)).toBe(true)
        const judged = judgeReading(before.state, confirming, limit)
        // Taken now, whatever happens; with the jump before it, unless it is itself within reach of
        // the last reading taken (a jump just over the limit, and the water 10 minutes on within two
        // intervals' reach): then it needs no confirming and the jump, not needed to explain it, is dropped.
        const reachable = Math.abs(confirming.cm - last.cm) <= limit(last, confirming)
        expect(judged.suspect).toBe(false)
        expect(judged.take).toEqual(reachable ? [confirming] : [jump, confirming])
        expect(judged.confirmed).toEqual(reachable ? null : jump)
      }),
      RUNS,
    )
  })
})
