import { describe, expect, it } from 'vitest'
import { formatRelative, JUST_NOW_MS } from './relative-time.ts'

const now = Date.UTC(2025, 9, 30, 7, 0, 0)

describe('formatRelative', () => {
  it('says "vừa xong" for a reading under the just-now threshold', () => {
    expect(formatRelative(now - JUST_NOW_MS + 1, now, 'vi')).toBe('vừa xong')
  })

  it('says "just now" in English', () => {
    expect(formatRelative(now - 5_000, now, 'en')).toBe('just now')
  })

  it('counts minutes in Vietnamese', () => {
    expect(formatRelative(now - 3 * 60_000, now, 'vi')).toBe('3 phút trước')
  })

  it('counts minutes in English', () => {
    expect(formatRelative(now - 3 * 60_000 - 20_000, now, 'en')).toBe('3 minutes ago')
  })

  it('switches to hours past sixty minutes', () => {
    expect(formatRelative(now - 2 * 3_600_000, now, 'vi')).toBe('2 giờ trước')
  })

  it('switches to days past twenty-four hours', () => {
    expect(formatRelative(now - 3 * 86_400_000, now, 'en')).toBe('3 days ago')
  })

  it('treats a device clock slightly ahead as just now', () => {
    expect(formatRelative(now + 10_000, now, 'vi')).toBe('vừa xong')
  })
})
