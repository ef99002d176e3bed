import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { FORECAST, floodForecast, forecastDuration, riseRate, type RisePoint } from './rise-forecast.ts'

const MINUTE = 60_000
const T0 = Date.parse('2025-10-30T07:00:00Z') // 14:00 in Tam Kỳ
/** The Tam Kỳ river at Tam Kỳ: BĐ1/2/3 = 170/220/270 cm. */
const LEVELS = { bd1: 170, bd2: 220, bd3: 270 }

/** One reading a minute for the hour ending at T0, on a straight line through `cmAtT0` rising `cmPerHour`, plus `noise(i)`. */
function hour(cmAtT0: number, cmPerHour: number, noise: (i: number) => number = () => 0, everyMinutes = 1): RisePoint[] {
  const points: RisePoint[] = []
  for (let m = -60; m <= 0; m += everyMinutes) points.push({ ts: T0 + m * MINUTE, cm: cmAtT0 + (cmPerHour * m) / 60 + noise(points.length) })
  return points
}

describe('floodForecast', () => {
  it('says when a steady rise reaches the next level, rounded to 5 minutes', () => {
    // 200 cm rising 30 cm/h: BĐ2 (220) in 40 minutes, at 14:40.
    expect(floodForecast(hour(200, 30), LEVELS)).toEqual({ level: 2, at: '2025-10-30T07:40:00.000Z', minutes: 40, ratePerHour: 30 })
    // 180 cm at 37 cm/h: BĐ2 in 64.9 min → "about 1 h 5 min", at 15:05.
    expect(floodForecast(hour(180, 37), LEVELS)).toMatchObject({ level: 2, at: '2025-10-30T08:05:00.000Z', minutes: 65 })
  })

  it('aims at the level above the one the newest reading stands at', () => {
    expect(floodForecast(hour(150, 30), LEVELS)?.level).toBe(1)
    expect(floodForecast(hour(171, 30), LEVELS)?.level).toBe(2)
    expect(floodForecast(hour(250, 30), LEVELS)?.level).toBe(3)
  })

  it('takes the rate through the noise, and extends the line, not the newest reading', () => {
    // ±1.5 cm of noise alternating, the newest reading 1.5 cm high: still 40 minutes from the line's 200 cm.
    const noisy = hour(200, 30, (i) => (i % 2 === 0 ? 1.5 : -1.5))
    expect(floodForecast(noisy, LEVELS)).toMatchObject({ level: 2, minutes: 40 })
  })

  it('never says less than 5 minutes: the line may stand at the level before a reading does', () => {
    expect(floodForecast(hour(219.5, 30), LEVELS)).toMatchObject({ level: 2, minutes: 5, at: '2025-10-30T07:05:00.000Z' })
  })

  it('is withheld when falling, steady, too slow, at or above BĐ3, or beyond 3 hours', () => {
    expect(floodForecast(hour(200, -20), LEVELS)).toBeNull()
    expect(floodForecast(hour(200, 0), LEVELS)).toBeNull()
    expect(floodForecast(hour(200, FORECAST.minCmPerHour - 0.5), LEVELS)).toBeNull()
    expect(floodForecast(hour(275, 30), LEVELS)).toBeNull()
    expect(floodForecast(hour(270, 30), LEVELS)).toBeNull()
    // 100 cm below BĐ1 at 30 cm/h: 3 h 20 min away; 89 cm below, 2 h 58 min.
    expect(floodForecast(hour(70, 30), LEVELS)).toBeNull()
    expect(floodForecast(hour(81, 30), LEVELS)).toMatchObject({ level: 1, minutes: 180 })
  })

  it('is withheld when the rise is not clear of the noise', () => {
    // 10 cm/h under ±15 cm of noise: the slope's standard error is about as large as the slope.
    const noise = (i: number) => 15 * Math.sin(i * 2.4)
    expect(floodForecast(hour(200, 10, noise), LEVELS)).toBeNull()
  })

  it('is withheld with too few readings or too short a span', () => {
    expect(floodForecast(hour(200, 30, undefined, 15), LEVELS)).toBeNull() // 5 readings
    expect(floodForecast(hour(200, 30, undefined, 12), LEVELS)).not.toBeNull() // 6 readings
    const lastQuarter = hour(200, 30).filter((p) => p.ts > T0 - 25 * MINUTE)
    expect(floodForecast(lastQuarter, LEVELS)).toBeNull()
    expect(floodForecast([], LEVELS)).toBeNull()
  })

  it('is withdrawn as soon as the last quarter hour clearly falls, before the hour\'s line turns', () => {
    // An hour rising 24 cm/h, then 4 cm down every 2 minutes: the hour's line still rises after three of them.
    const rise = hour(196, 24).filter((_, i) => i % 5 === 0)
    const fall = [192, 188, 184].map((cm, i) => ({ ts: T0 + (i + 1) * 2 * MINUTE, cm }))
    expect(floodForecast(rise, LEVELS)).not.toBeNull()
    expect(floodForecast([...rise, ...fall], LEVELS)).toBeNull()
  })

  it('looks at the last hour only: an older fall does not hide a rise', () => {
    const older = Array.from({ length: 60 }, (_, i) => ({ ts: T0 - (120 - i) * MINUTE, cm: 260 - i }))
    expect(floodForecast([...older, ...hour(200, 30)], LEVELS)).toMatchObject({ level: 2, minutes: 40 })
  })

  it('property: never shown on a falling series, whatever ±5 cm of noise does', () => {
    // Noise of ±5 cm tilts a one-hour least-squares line by at most 15 cm/h (5 × Σ|t − t̄| / Σ(t − t̄)²):
    // a fall of 15 cm/h or more stays a fall, however the noise is arranged.
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 269, noNaN: true }),
        fc.double({ min: -200, max: -15, noNaN: true }),
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 61, maxLength: 61 }),
        (cm, rate, noise) => floodForecast(hour(cm, rate, (i) => noise[i]!), LEVELS) === null,
      ),
    )
    fc.assert(fc.property(fc.double({ min: 0, max: 300, noNaN: true }), fc.double({ min: -100, max: 2.9, noNaN: true }), (cm, rate) => floodForecast(hour(cm, rate), LEVELS) === null))
  })

  it('is not shown on a flat river under sensor noise: none in 2,000 noisy hours', () => {
    // Gaussian noise (σ 2 cm, five times the simulators' sensor), from a fixed seed.
    let state = 12345
    const uniform = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) + 0.5) / 2 ** 31
    const gaussian = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform())
    let shown = 0
    for (let run = 0; run < 2_000; run++) if (floodForecast(hour(200, 0, () => 2 * gaussian()), LEVELS)) shown++
    expect(shown).toBe(0)
  })

  it('property: a forecast is rounded to 5 minutes, within 3 hours, in the future, at the next level', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 269, noNaN: true }), fc.double({ min: 3.5, max: 300, noNaN: true }), (cm, rate) => {
        const forecast = floodForecast(hour(cm, rate), LEVELS)
        if (!forecast) return true
        const atMs = Date.parse(forecast.at)
        return (
          forecast.minutes % 5 === 0 &&
          forecast.minutes >= 5 &&
          forecast.minutes <= 180 &&
          atMs % (5 * MINUTE) === 0 &&
          atMs > T0 &&
          forecast.level === (cm < 170 ? 1 : cm < 220 ? 2 : 3)
        )
      }),
    )
  })
})

describe('riseRate', () => {
  it('is the least-squares slope, null before a quarter of the window', () => {
    expect(riseRate(hour(200, 30), 60 * MINUTE)).toBeCloseTo(30, 9)
    expect(riseRate(hour(200, 30).slice(-10), 60 * MINUTE)).toBeNull()
  })
})

describe('forecastDuration', () => {
  it('says minutes, hours and minutes, never seconds', () => {
    expect(forecastDuration(40, 'vi')).toBe('khoảng 40 phút')
    expect(forecastDuration(80, 'vi')).toBe('khoảng 1 giờ 20 phút')
    expect(forecastDuration(120, 'vi')).toBe('khoảng 2 giờ')
    expect(forecastDuration(40, 'en')).toBe('about 40 min')
    expect(forecastDuration(80, 'en')).toBe('about 1 h 20 min')
    expect(forecastDuration(180, 'en')).toBe('about 3 h')
  })
})
