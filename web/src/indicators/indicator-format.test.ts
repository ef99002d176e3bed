import { describe, expect, it } from 'vitest'
import { formatIndicatorChange, formatIndicatorValue, formatPeriod, formatPeriodShort, parseIndicatorInput } from './indicator-format.ts'

describe('formatIndicatorValue', () => {
  it('writes rates with a decimal comma in Vietnamese and a point in English', () => {
    expect(formatIndicatorValue(72.54, 'percent', 'vi')).toBe('72,5%')
    expect(formatIndicatorValue(72.54, 'percent', 'en')).toBe('72.5%')
  })

  it('groups counts the Vietnamese way', () => {
    expect(formatIndicatorValue(12345, 'count', 'vi')).toBe('12.345')
    expect(formatIndicatorValue(12345, 'count', 'en')).toBe('12,345')
  })

  it('writes money in đồng', () => {
    expect(formatIndicatorValue(1500000, 'vnd', 'vi').replace(/\s/g, ' ')).toBe('1.500.000 ₫')
  })
})

describe('formatIndicatorChange', () => {
  it('gives a rate change in percentage points, signed', () => {
    expect(formatIndicatorChange(2.5, 'percent', 'vi')).toBe('+2,5 điểm %')
    expect(formatIndicatorChange(-1, 'percent', 'en')).toBe('−1 pts')
  })

  it('signs counts and marks no change', () => {
    expect(formatIndicatorChange(-1200, 'count', 'vi')).toBe('−1.200')
    expect(formatIndicatorChange(0, 'count', 'vi')).toBe('±0')
  })
})

describe('formatPeriod', () => {
  it('names months and quarters in words', () => {
    expect(formatPeriod('2025-03', 'vi')).toBe('Tháng 3/2025')
    expect(formatPeriod('2025-Q1', 'vi')).toBe('Quý 1/2025')
    expect(formatPeriod('2025-03', 'en')).toBe('March 2025')
    expect(formatPeriod('2025-Q1', 'en')).toBe('Q1 2025')
    expect(formatPeriodShort('2025-Q4')).toBe('Q4/2025')
    expect(formatPeriodShort('2025-10')).toBe('10/2025')
  })
})

describe('parseIndicatorInput', () => {
  it('reads a decimal comma or point', () => {
    expect(parseIndicatorInput('72,5', false)).toBe(72.5)
    expect(parseIndicatorInput(' 72.5 ', false)).toBe(72.5)
  })

  it('reads grouped thousands in whole numbers', () => {
    expect(parseIndicatorInput('12.345', true)).toBe(12345)
    expect(parseIndicatorInput('12 345', true)).toBe(12345)
  })

  it('refuses what is not a number', () => {
    expect(parseIndicatorInput('', false)).toBeNaN()
    expect(parseIndicatorInput('7x', false)).toBeNaN()
  })
})
