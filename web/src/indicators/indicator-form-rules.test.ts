import { describe, expect, it } from 'vitest'
import type { IndicatorDef } from '@ioc/shared'
import { tamKy } from '../test-support/fixtures.ts'
import { checkInput, conflictValue, refusalText, serverRefusal } from './indicator-form-rules.ts'

const rate = tamKy.indicators.find((d) => d.key === 'digital-signing') as IndicatorDef
const households = tamKy.indicators.find((d) => d.key === 'households') as IndicatorDef

describe('checkInput', () => {
  it('reads a Vietnamese decimal and passes it', () => {
    expect(checkInput(rate, '2025-09', '72,5', '2025-10')).toEqual({ value: 72.5 })
  })

  it('refuses empty text, text that is no number, and values out of range', () => {
    expect(checkInput(rate, '2025-09', ' ', '2025-10')).toEqual({ refusal: 'required' })
    expect(checkInput(rate, '2025-09', 'abc', '2025-10')).toEqual({ refusal: 'not_a_number' })
    expect(checkInput(rate, '2025-09', '120', '2025-10')).toEqual({ refusal: 'above_max' })
    expect(checkInput(rate, '2025-09', '-1', '2025-10')).toEqual({ refusal: 'below_min' })
  })

  it('wants whole numbers for counts, grouped thousands allowed', () => {
    expect(checkInput(households, '2025-09', '12,5', '2025-10')).toEqual({ refusal: 'not_integer' })
    expect(checkInput(households, '2025-09', '4.215', '2025-10')).toEqual({ value: 4215 })
  })

  it('refuses a period that has not come yet', () => {
    expect(checkInput(rate, '2025-11', '50', '2025-10')).toEqual({ refusal: 'future_period' })
  })
})

describe('refusalText', () => {
  it('says the range in the unit and the language', () => {
    expect(refusalText('above_max', rate, '2025-09', 'vi')).toBe('Giá trị phải từ 0% đến 100%.')
    expect(refusalText('not_integer', households, '2025-09', 'vi')).toBe('Nhập số nguyên từ 0 đến 100.000.')
    expect(refusalText('future_period', rate, '2025-11', 'en')).toBe('November 2025 has not come yet: its figure cannot be entered.')
  })
})

describe('server answers', () => {
  it("reads the refusal's reason from a 400", () => {
    const failure = { kind: 'http', path: '/x', status: 400, message: 'm', body: { reason: 'above_max', min: 0, max: 100 } } as const
    expect(serverRefusal(failure)).toBe('above_max')
    expect(serverRefusal({ ...failure, body: { reason: 'other' } })).toBeNull()
  })

  it('reads the current value from a 409', () => {
    const current = { areaId: '20362', key: 'digital-signing', period: '2025-09', value: 61, version: 3 }
    expect(conflictValue({ kind: 'http', path: '/x', status: 409, message: 'm', body: { current } })).toEqual(current)
    expect(conflictValue({ kind: 'network', path: '/x' })).toBeNull()
  })
})
