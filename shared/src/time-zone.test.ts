import { describe, expect, it } from 'vitest'
import { zoneOffsetMs } from './time-zone.ts'

const HOUR = 3_600_000
const VN = 'Asia/Ho_Chi_Minh'

describe('zoneOffsetMs', () => {
  it('is seven hours for Tam Kỳ', () => {
    expect(zoneOffsetMs(Date.UTC(2025, 9, 30, 12, 34, 56, 789), VN)).toBe(7 * HOUR)
  })

  it('follows summer time where a zone has it', () => {
    expect(zoneOffsetMs(Date.UTC(2025, 0, 15), 'Europe/London')).toBe(0)
    expect(zoneOffsetMs(Date.UTC(2025, 6, 15), 'Europe/London')).toBe(HOUR)
  })
})
