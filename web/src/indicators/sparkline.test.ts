import { describe, expect, it } from 'vitest'
import { sparklinePath } from './sparkline.ts'

describe('sparklinePath', () => {
  it('draws a rising series from bottom left to top right', () => {
    expect(sparklinePath([0, 5, 10], 100, 20)).toBe('M2 18 L50 10 L98 2')
  })

  it('breaks the line where a period has no value, and draws a lone value as a dot', () => {
    expect(sparklinePath([1, 2, null, 3], 62, 20, 1)).toBe('M1 19 L21 10 M61 1h0')
  })

  it('draws a flat series across the middle', () => {
    expect(sparklinePath([4, 4], 10, 20, 0)).toBe('M0 10 L10 10')
  })

  it('is empty without values', () => {
    expect(sparklinePath([null, null], 10, 10)).toBe('')
  })
})
