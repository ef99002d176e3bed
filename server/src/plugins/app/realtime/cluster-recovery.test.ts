import { describe, expect, it } from 'vitest'
import { isAfter } from './cluster-recovery.ts'

describe('isAfter (Redis stream ids)', () => {
  it('orders by time, then by sequence — as numbers, not as text', () => {
    expect(isAfter('1796072283001-0', '1796072283000-5')).toBe(true)
    expect(isAfter('1796072283000-10', '1796072283000-9')).toBe(true)
    expect(isAfter('1796072283000-9', '1796072283000-10')).toBe(false)
    expect(isAfter('1796072283000-0', '1796072283000-0')).toBe(false)
    expect(isAfter('999-0', '1000-0')).toBe(false)
  })
})
