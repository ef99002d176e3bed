import { describe, expect, it } from 'vitest'
import { formatCm, formatDateTime, formatQuantity } from './format.ts'

describe('formatCm', () => {
  it('writes whole centimetres with the unit', () => {
    expect(formatCm(235, 'vi')).toBe('235 cm')
  })

  it('uses the Vietnamese decimal comma', () => {
    expect(formatCm(12.5, 'vi')).toBe('12,5 cm')
  })

  it('uses the English decimal point', () => {
    expect(formatCm(12.5, 'en')).toBe('12.5 cm')
  })

  it('never groups digits, so 1234 cm cannot read as 1.234', () => {
    expect(formatCm(1234, 'vi')).toBe('1234 cm')
  })

  it('rounds to one decimal', () => {
    expect(formatCm(170.04, 'en')).toBe('170 cm')
  })
})

describe('formatQuantity', () => {
  it('writes a percentage without a space', () => {
    expect(formatQuantity(87, '%', 'vi')).toBe('87%')
  })

  it('writes other units after a space', () => {
    expect(formatQuantity(12.5, 'fps', 'vi')).toBe('12,5 fps')
  })
})

describe('formatDateTime', () => {
  it('shows the time in the city zone (UTC+7) with the zone named', () => {
    expect(formatDateTime('2025-10-30T07:05:09Z', 'vi')).toBe('14:05:09 30/10/2025 (GMT+7)')
  })

  it('uses day/month/year in English too', () => {
    expect(formatDateTime('2025-10-30T07:05:09Z', 'en')).toBe('30/10/2025, 14:05:09 (GMT+7)')
  })

  it('rolls the date over at the city midnight, not UTC midnight', () => {
    expect(formatDateTime('2025-10-30T17:30:00Z', 'vi')).toBe('00:30:00 31/10/2025 (GMT+7)')
  })

  it('returns an unreadable timestamp unchanged rather than "Invalid Date"', () => {
    expect(formatDateTime('not a time', 'vi')).toBe('not a time')
  })
})
