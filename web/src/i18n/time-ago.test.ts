import { describe, expect, it } from 'vitest'
import { clockTime, timeAgo } from './time-ago.ts'

const ZONE = 'Asia/Ho_Chi_Minh'
const MIN = 60_000
const HOUR = 3_600_000
/** 14:30 in Tam Kỳ (UTC+7). */
const NOW = Date.parse('2025-10-30T14:30:00+07:00')

describe('timeAgo', () => {
  it('says "vừa xong" / "just now" under 45 seconds', () => {
    expect(timeAgo(NOW - 44_000, NOW, 'vi', ZONE)).toBe('vừa xong')
    expect(timeAgo(NOW, NOW, 'en', ZONE)).toBe('just now')
  })

  it('says "vừa xong" for a time ahead of now (a device clock running fast)', () => {
    expect(timeAgo(NOW + 5 * MIN, NOW, 'vi', ZONE)).toBe('vừa xong')
  })

  it('counts whole minutes under an hour', () => {
    expect(timeAgo(NOW - 45_000, NOW, 'vi', ZONE)).toBe('1 phút trước')
    expect(timeAgo(NOW - 3 * MIN - 59_000, NOW, 'vi', ZONE)).toBe('3 phút trước')
    expect(timeAgo(NOW - 3 * MIN, NOW, 'en', ZONE)).toBe('3 min ago')
    expect(timeAgo(NOW - 59 * MIN, NOW, 'vi', ZONE)).toBe('59 phút trước')
  })

  it('counts whole hours under a day', () => {
    expect(timeAgo(NOW - HOUR, NOW, 'vi', ZONE)).toBe('1 giờ trước')
    expect(timeAgo(NOW - 2 * HOUR - 59 * MIN, NOW, 'vi', ZONE)).toBe('2 giờ trước')
    expect(timeAgo(NOW - 23 * HOUR, NOW, 'en', ZONE)).toBe('23 h ago')
  })

  it('says "hôm qua" / "yesterday" for the day before on the city calendar, then counts days', () => {
    expect(timeAgo(NOW - 25 * HOUR, NOW, 'vi', ZONE)).toBe('hôm qua')
    expect(timeAgo(NOW - 25 * HOUR, NOW, 'en', ZONE)).toBe('yesterday')
    expect(timeAgo(NOW - 3 * 24 * HOUR, NOW, 'vi', ZONE)).toBe('3 ngày trước')
    expect(timeAgo(NOW - 3 * 24 * HOUR, NOW, 'en', ZONE)).toBe('3 days ago')
  })

  it('counts calendar days in the city, not 24-hour blocks: 00:30 to 23:30 two days later is 2 days', () => {
    const now = Date.parse('2025-10-30T00:30:00+07:00')
    expect(timeAgo(Date.parse('2025-10-28T23:30:00+07:00'), now, 'vi', ZONE)).toBe('2 ngày trước')
    expect(timeAgo(Date.parse('2025-10-28T23:30:00+07:00'), now, 'vi', 'UTC')).toBe('hôm qua')
  })
})

describe('clockTime', () => {
  it('writes the time on the city clock, 24-hour', () => {
    expect(clockTime(NOW, 'vi', ZONE)).toBe('14:30')
    expect(clockTime(Date.parse('2025-10-30T02:05:00Z'), 'en', ZONE)).toBe('09:05')
  })
})
