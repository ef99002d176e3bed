import { describe, expect, it } from 'vitest'
import { cityTickLabel, cityTicks } from './city-time-axis.ts'

const HOUR = 3_600_000
const DAY = 86_400_000
const VN = 'Asia/Ho_Chi_Minh'

describe('cityTicks', () => {
  // 14:20 on 30 Oct in Tam Kỳ (07:20 UTC).
  const now = Date.UTC(2025, 9, 30, 7, 20)

  it('puts 24-hour ticks on round hours of the city clock', () => {
    const { values, stepMs } = cityTicks(now - DAY, now, VN, 5)
    expect(stepMs).toBe(6 * HOUR)
    // 18:00, 00:00, 06:00, 12:00 in Tam Kỳ = 11:00, 17:00, 23:00, 05:00 UTC.
    expect(values).toEqual([Date.UTC(2025, 9, 29, 11), Date.UTC(2025, 9, 29, 17), Date.UTC(2025, 9, 29, 23), Date.UTC(2025, 9, 30, 5)])
  })

  it("puts day ticks on the city's midnights", () => {
    const { values, stepMs } = cityTicks(now - 7 * DAY, now, VN, 8)
    expect(stepMs).toBe(DAY)
    expect(values).toHaveLength(7)
    for (const ms of values) expect((ms + 7 * HOUR) % DAY).toBe(0)
  })

  it('spaces ticks wider when fewer fit', () => {
    expect(cityTicks(now - 30 * DAY, now, VN, 5).stepMs).toBe(7 * DAY)
  })

  it('keeps local midnights across a summer-time change', () => {
    const { values } = cityTicks(Date.UTC(2025, 2, 28), Date.UTC(2025, 3, 2), 'Europe/London', 10)
    expect(values).toContain(Date.UTC(2025, 2, 29, 0)) // 00:00 GMT
    expect(values).toContain(Date.UTC(2025, 2, 30, 23)) // 00:00 BST on 31 Mar
  })

  it('gives no ticks for an empty window between round hours', () => {
    expect(cityTicks(now, now + 60_000, VN, 5).values).toEqual([])
  })
})

describe('cityTickLabel', () => {
  it('writes the time on the city clock for hour ticks', () => {
    expect(cityTickLabel(Date.UTC(2025, 9, 30, 5), 6 * HOUR, 'vi', VN)).toBe('12:00')
  })

  it('writes the date at the city midnight', () => {
    expect(cityTickLabel(Date.UTC(2025, 9, 29, 17), 6 * HOUR, 'vi', VN)).toBe('30/10')
  })

  it('writes dates on a day-spaced axis, day first in English too', () => {
    expect(cityTickLabel(Date.UTC(2025, 9, 29, 17), DAY, 'en', VN)).toBe('30/10')
  })
})
