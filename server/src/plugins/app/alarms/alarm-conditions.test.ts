import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DEFAULT_ALARM_SETTINGS, type StationAlarmSettings } from '@ioc/shared'
import {
  CAMERA_CLEAR_HOLD_MS,
  nextCameraCondition,
  nextFloodState,
  nextLowBattery,
  nextRising,
  nextSuspectRun,
  NO_FLOOD,
  NO_SUSPECT_RUN,
  SUSPECT_RUN,
  riseRate,
  riseRateOf,
  addRisePoint,
  emptyRiseWindow,
  thinRiseWindow,
  RISE_WINDOW_POINTS,
  type RisePoint,
  type RiseWindow,
  type CameraConditionState,
  type FloodState,
  type SuspectRunState,
} from './alarm-conditions.ts'

const MINUTE = 60_000
const T0 = Date.parse('2025-10-30T00:00:00Z')
const at = (minutes: number) => T0 + minutes * MINUTE

/** The Tam Kỳ river at Tam Kỳ: BĐ1/2/3 = 170/220/270 cm; hysteresis 10 cm, hold 15 min. */
const settings: StationAlarmSettings = { ...DEFAULT_ALARM_SETTINGS, levels: { bd1: 170, bd2: 220, bd3: 270 } }
const HOLD = settings.holdMinutes * MINUTE

/** Feeds `[minute, cm]` readings from `state` and returns the state after each. */
function run(state: FloodState, readings: readonly (readonly [number, number])[]): FloodState[] {
  const states: FloodState[] = []
  for (const [minute, cm] of readings) {
    state = nextFloodState(state, at(minute), cm, settings)
    states.push(state)
  }
  return states
}
const levelsOf = (states: readonly FloodState[]) => states.map((s) => s.level)
const atLevel = (level: number): FloodState => ({ level, belowSince: null })

describe('nextFloodState', () => {
  it('raises at exactly the threshold, not a millimetre below', () => {
    expect(nextFloodState(NO_FLOOD, at(0), 169.9, settings).level).toBe(0)
    expect(nextFloodState(NO_FLOOD, at(0), 170, settings).level).toBe(1)
    expect(nextFloodState(atLevel(1), at(0), 220, settings).level).toBe(2)
    expect(nextFloodState(atLevel(2), at(0), 270, settings).level).toBe(3)
  })

  it('escalates straight from no alarm to BĐ3 on one reading', () => {
    expect(nextFloodState(NO_FLOOD, at(0), 275, settings)).toEqual({ level: 3, belowSince: null })
  })

  it('stays at its level while the value is within the hysteresis band below the threshold, however long', () => {
    const states = run(atLevel(2), [
      [0, 219],
      [30, 210],
      [60, 215],
      [240, 210],
    ])
    expect(levelsOf(states)).toEqual([2, 2, 2, 2])
  })

  it('does not de-escalate before the value has stayed below the band for the hold time', () => {
    const states = run(atLevel(2), [
      [0, 200],
      [5, 195],
      [10, 195],
    ])
    expect(levelsOf(states)).toEqual([2, 2, 2])
    expect(nextFloodState(states.at(-1)!, at(0) + HOLD - 1, 195, settings).level).toBe(2)
  })

  it('de-escalates once the hold has passed, to the level the value supports', () => {
    const states = run(atLevel(2), [
      [0, 200],
      [15, 195],
    ])
    expect(levelsOf(states)).toEqual([2, 1])
  })

  it('may drop several levels at once: BĐ3 to BĐ1 when the value is below BĐ2’s band', () => {
    const states = run(atLevel(3), [
      [0, 200],
      [15, 200],
    ])
    expect(levelsOf(states)).toEqual([3, 1])
  })

  it('settles within the band of the lower level: BĐ3 to BĐ2 at 215 cm (BĐ2 − 5)', () => {
    const states = run(atLevel(3), [
      [0, 215],
      [15, 215],
    ])
    expect(levelsOf(states)).toEqual([3, 2])
  })

  it('clears once the value has stayed below BĐ1’s band for the hold', () => {
    const states = run(atLevel(1), [
      [0, 150],
      [15, 150],
    ])
    expect(states.at(-1)).toEqual(NO_FLOOD)
  })

  it('restarts the hold when the value comes back into the band', () => {
    const states = run(atLevel(2), [
      [0, 200],
      [10, 212], // back in the band: the hold starts again at the next reading below it
      [14, 200],
      [20, 200], // 20 min after the first reading below, only 6 after the hold restarted
      [28, 200],
      [29, 200], // 15 min after 14
    ])
    expect(levelsOf(states)).toEqual([2, 2, 2, 2, 2, 1])
  })

  it('restarts the hold when the value reaches the threshold again', () => {
    const states = run(atLevel(2), [
      [0, 200],
      [10, 225],
      [11, 200],
      [16, 200],
      [26, 200],
    ])
    expect(levelsOf(states)).toEqual([2, 2, 2, 2, 1])
  })
})

describe('riseRate', () => {
  const WINDOW = 60 * MINUTE
  const points = (...pairs: (readonly [number, number])[]) => pairs.map(([minute, cm]) => ({ ts: at(minute), cm }))
  /** A reading every 5 min from `fromMinute` to `toMinute`, on a straight line of `cmPerHour`. */
  const line = (fromMinute: number, toMinute: number, cmPerHour: number) =>
    Array.from({ length: (toMinute - fromMinute) / 5 + 1 }, (_, i) => ({ ts: at(fromMinute + 5 * i), cm: 150 + (cmPerHour * (fromMinute + 5 * i)) / 60 }))

  it('is null without readings', () => {
    expect(riseRate([], WINDOW)).toBeNull()
  })

  it('is null until the readings cover a quarter of the window', () => {
    expect(riseRate(points([0, 100], [14, 130]), WINDOW)).toBeNull()
    expect(riseRate(points([0, 100], [15, 130]), WINDOW)).toBeCloseTo(120, 9)
  })

  it('gives the rise of readings on a straight line in cm per hour', () => {
    expect(riseRate(line(0, 40, 45), WINDOW)).toBeCloseTo(45, 9)
  })

  it('is negative for a falling level and 0 for a steady one', () => {
    expect(riseRate(line(0, 60, -20), WINDOW)).toBeCloseTo(-20, 9)
    expect(riseRate(line(0, 60, 0), WINDOW)).toBe(0)
  })

  it('fits a slope through all readings: ±0.5 cm between neighbours a second apart does not read as a rise', () => {
    // A neighbour-to-neighbour difference would give 1 cm a second, 3600 cm/h; the true rise is 30 cm/h.
    const noisy = Array.from({ length: 15 * 60 + 1 }, (_, s) => ({ ts: T0 + s * 1000, cm: 200 + s / 120 + (s % 2 === 1 ? 0.5 : -0.5) }))
    expect(riseRate(noisy, WINDOW)).toBeCloseTo(30, 6)
  })

  it('ignores readings older than the window', () => {
    expect(riseRate([{ ts: at(0), cm: 500 }, ...line(30, 90, 20)], WINDOW)).toBeCloseTo(20, 9)
  })
})

describe('the rise window', () => {
  const HOUR = 3_600_000
  /** The window's points, oldest first. */
  const pointsOf = (window: RiseWindow): RisePoint[] => window.ts.map((ts, i) => ({ ts, cm: window.cm[i]! }))

  it('keeps every reading of a station reporting once a minute', () => {
    const window = emptyRiseWindow()
    for (let minute = 0; minute <= 60; minute++) addRisePoint(window, { ts: minute * 60_000, cm: 100 + minute }, HOUR)
    expect(pointsOf(window)).toEqual(Array.from({ length: 61 }, (_, minute) => ({ ts: minute * 60_000, cm: 100 + minute })))
  })

  it('drops readings older than the window', () => {
    const window = emptyRiseWindow()
    for (let minute = 0; minute <= 90; minute++) addRisePoint(window, { ts: minute * 60_000, cm: 100 + minute }, HOUR)
    expect(pointsOf(window)[0]).toEqual({ ts: 30 * 60_000, cm: 130 })
    expect(pointsOf(window).at(-1)).toEqual({ ts: 90 * 60_000, cm: 190 })
    expect(window.cm).toHaveLength(window.ts.length)
  })

  it('holds at most about RISE_WINDOW_POINTS points at ten readings a second, the newest always in, and the same slope', () => {
    const window = emptyRiseWindow()
    const all: RisePoint[] = []
    // A steady 30 cm/h rise with ±1 cm of alternating noise, ten readings a second for an hour and a half.
    for (let i = 0; i <= 54_000; i++) {
      const point = { ts: i * 100, cm: 100 + (i * 100 * 30) / HOUR + (i % 2 === 0 ? 1 : -1) }
      addRisePoint(window, point, HOUR)
      all.push(point)
    }
    expect(window.ts.length).toBeLessThanOrEqual(RISE_WINDOW_POINTS + 2)
    expect(window.cm).toHaveLength(window.ts.length)
    expect(pointsOf(window).at(-1)).toEqual(all.at(-1))
    const full = all.filter((p) => p.ts >= all.at(-1)!.ts - HOUR)
    const rate = riseRateOf(window.ts, window.cm, HOUR)
    expect(rate).toBeCloseTo(riseRate(full, HOUR)!, 0)
    expect(rate).toBeCloseTo(30, 0)
    // The same fit as over the window's points as objects.
    expect(rate).toBe(riseRate(pointsOf(window), HOUR))
  })

  it('thins readings loaded at once as it thins them one by one', () => {
    const points = Array.from({ length: 5_000 }, (_, i) => ({ ts: i * 1000, cm: i % 7 }))
    const oneByOne = emptyRiseWindow()
    for (const p of points) addRisePoint(oneByOne, p, HOUR)
    expect(thinRiseWindow(points, HOUR)).toEqual(oneByOne)
  })
})

describe('nextRising', () => {
  it('turns on at the limit, not below it', () => {
    expect(nextRising(false, 29.9, settings)).toBe(false)
    expect(nextRising(false, 30, settings)).toBe(true)
  })

  it('stays on down to half the limit and turns off below it', () => {
    expect(nextRising(true, 15, settings)).toBe(true)
    expect(nextRising(true, 14.9, settings)).toBe(false)
  })

  it('keeps its state while there is no rate yet', () => {
    expect(nextRising(true, null, settings)).toBe(true)
    expect(nextRising(false, null, settings)).toBe(false)
  })
})

describe('nextLowBattery', () => {
  it('turns on below the limit, not at it', () => {
    expect(nextLowBattery(false, 20, settings)).toBe(false)
    expect(nextLowBattery(false, 19.5, settings)).toBe(true)
  })

  it('stays on until the battery is 5 points above the limit', () => {
    expect(nextLowBattery(true, 24.9, settings)).toBe(true)
    expect(nextLowBattery(true, 25, settings)).toBe(false)
  })

  it('keeps its state when a reading has no battery value', () => {
    expect(nextLowBattery(true, undefined, settings)).toBe(true)
    expect(nextLowBattery(false, undefined, settings)).toBe(false)
  })
})

describe('nextSuspectRun', () => {
  /** Readings every 5 minutes; `glitches` are the minutes of suspect readings each next reading dropped. */
  function run(glitches: readonly number[], untilMinute: number): boolean[] {
    let state: SuspectRunState = NO_SUSPECT_RUN
    const on: boolean[] = []
    for (let minute = 5; minute <= untilMinute; minute += 5) {
      state = nextSuspectRun(state, at(minute), glitches.includes(minute - 5) ? at(minute - 5) : null)
      on.push(state.on)
    }
    return on
  }

  it('turns on at the third glitch within the window, not the second', () => {
    expect(SUSPECT_RUN).toEqual({ count: 3, windowMs: 60 * MINUTE })
    expect(run([10, 20], 60).some(Boolean)).toBe(false)
    // Known a glitch at the reading after it: on at minute 35.
    expect(run([10, 20, 30], 35).at(-1)).toBe(true)
    expect(run([10, 20, 30], 30).at(-1)).toBe(false)
  })

  it('does not count glitches that fell out of the window', () => {
    expect(run([0, 30, 60], 65).some(Boolean)).toBe(false)
    expect(run([10, 30, 60], 65).at(-1)).toBe(true)
  })

  it('stays on while a glitch is left in the window, and turns off once the last is a whole window old', () => {
    const on = run([10, 20, 30], 95)
    // Index k is minute 5(k + 1): on from 35 to 85, off at 90.
    expect(on.indexOf(true)).toBe(6)
    expect(on.lastIndexOf(true)).toBe(16)
    expect(on.slice(17)).toEqual([false, false])
  })

  it('keeps the times of the glitches in the window, oldest first: its value is how many', () => {
    let state = NO_SUSPECT_RUN
    for (const [minute, glitch] of [[15, 10], [25, 20], [35, 30]] as const) state = nextSuspectRun(state, at(minute), at(glitch))
    expect(state).toEqual({ on: true, times: [at(10), at(20), at(30)] })
  })
})

describe('nextCameraCondition', () => {
  const OFF: CameraConditionState = { on: false, goneSince: null }
  const reports = (state: CameraConditionState, seq: readonly (readonly [number, boolean])[]) =>
    seq.map(([ms, shown]) => (state = nextCameraCondition(state, shown, T0 + ms))).map((s) => s.on)

  it('turns on at the first report that shows the condition', () => {
    expect(nextCameraCondition(OFF, true, T0).on).toBe(true)
  })

  it('stays on until reports have not shown it for the clear hold', () => {
    expect(
      reports(OFF, [
        [0, true],
        [MINUTE, false],
        [MINUTE + CAMERA_CLEAR_HOLD_MS - 1, false],
        [MINUTE + CAMERA_CLEAR_HOLD_MS, false],
      ]),
    ).toEqual([true, true, true, false])
  })

  it('stays on while the camera flaps, the hold restarting at each report that shows it', () => {
    const flapping = Array.from({ length: 30 }, (_, i) => [i * MINUTE, i % 3 === 0] as const)
    expect(reports(OFF, flapping).every((on) => on)).toBe(true)
  })

  it('stays off while reports do not show it', () => {
    expect(nextCameraCondition(OFF, false, T0)).toEqual(OFF)
  })
})

/**
 * Property tests: noise within the hysteresis never makes the flood level flap.
 *
 * The model: the Tam Kỳ river, sampled every expected interval (5 min), follows a "true" level made of
 * spells alternating below and above BĐ2, each held for 1–12 samples, and every reading adds noise
 * with |noise| ≤ 9.9 cm < the 10 cm hysteresis.
 * - A spell *below* has its true level at ≤ 200 cm, so each of its readings is < 210 cm = BĐ2 − hysteresis.
 * - A spell *above* has its true level in [220, 260] cm: its readings straddle BĐ2 (down to 210.1 cm,
 *   inside the band) and stay under BĐ3. A real upward crossing is the start of such a spell.
 */
describe('nextFloodState under noise (fast-check)', () => {
  const PROPERTY_RUNS = { seed: 20241106, numRuns: 500 } as const
  const INTERVAL = 5 * MINUTE
  const NOISE = 9.9
  /** Noise in mm steps, spread evenly over ±NOISE (a double would mostly be a hair from 0). */
  const noise = fc.integer({ min: -Math.round(NOISE * 10), max: Math.round(NOISE * 10) }).map((mm) => mm / 10)
  const spell = (lo: number, hi: number) =>
    fc.record({ level: fc.integer({ min: lo, max: hi }), noise: fc.array(noise, { minLength: 1, maxLength: 12, size: 'max' }) })
  /** [below, above] pairs: the path starts below and crosses upward once per pair. */
  const path = fc.array(fc.tuple(spell(100, settings.levels.bd2 - settings.hysteresisCm - 10), spell(settings.levels.bd2, settings.levels.bd3 - 10)), {
    minLength: 1,
    maxLength: 10,
    size: 'max',
  })

  it('raises or escalates to BĐ2 once per real crossing that followed a spell below lasting at least the hold', () => {
    fc.assert(
      fc.property(path, (pairs) => {
        // Expected: a spell above raises BĐ2 when (a) the sensor sees it — some reading reaches 220 cm
        // (noise can hide a short spell hovering just above the line: nothing could raise on it) — and
        // (b) the alarm is below BĐ2: no spell seen yet, or since the last seen one a spell below whose
        // readings span the hold (first to last reading ≥ 15 min: then every reading of it is below the
        // band, so the hold runs out inside it). A shorter spell below leaves BĐ2 standing, so the next
        // crossing raises nothing.
        let expected = 0
        let armed = true
        let state = NO_FLOOD
        let raises = 0
        let ts = T0
        for (const [below, above] of pairs) {
          if ((below.noise.length - 1) * INTERVAL >= HOLD) armed = true
          for (const [levelCm, noises] of [
            [below.level, below.noise],
            [above.level, above.noise],
          ] as const) {
            for (const n of noises) {
              const next = nextFloodState(state, ts, levelCm + n, settings)
              if (state.level < 2 && next.level === 2) raises++
              state = next
              ts += INTERVAL
            }
          }
          if (armed && above.noise.some((n) => above.level + n >= settings.levels.bd2)) {
            expected++
            armed = false
          }
        }
        expect(raises).toBe(expected)
      }),
      PROPERTY_RUNS,
    )
  })

  it('never changes level again after the first raise while noise within the band plays around a level just above a threshold', () => {
    const thresholds = [settings.levels.bd1, settings.levels.bd2, settings.levels.bd3] as const
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 50 }).map((mm) => mm / 10),
        fc.array(noise, { minLength: 1, maxLength: 300, size: 'max' }),
        (index, above, noises) => {
          const level = thresholds[index]! + above
          // The first reading is the level itself: it raises.
          let state = nextFloodState(NO_FLOOD, T0, level, settings)
          expect(state.level).toBe(index + 1)
          let changes = 0
          noises.forEach((n, i) => {
            const next = nextFloodState(state, T0 + (i + 1) * INTERVAL, level + n, settings)
            if (next.level !== state.level) changes++
            state = next
          })
          expect(changes).toBe(0)
        },
      ),
      PROPERTY_RUNS,
    )
  })
})
