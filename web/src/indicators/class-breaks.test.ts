import { describe, expect, it } from 'vitest'
import { contrastRatio, NO_DATA_FILL } from '../palette.ts'
import { classBreaks, classOf, fillOf } from './class-breaks.ts'

const rate = { better: 'higher', integer: false } as const

describe('classBreaks', () => {
  it('makes up to five classes on round numbers around the values', () => {
    expect(classBreaks([41, 55, 63, 78], rate).bounds).toEqual([40, 50, 60, 70, 80])
  })

  it('never makes more than five classes', () => {
    const { bounds } = classBreaks([0, 13, 27, 51, 99], rate)
    expect(bounds.length - 1).toBeLessThanOrEqual(5)
    expect(bounds[0]).toBeLessThanOrEqual(0)
    expect(bounds.at(-1)).toBeGreaterThanOrEqual(99)
  })

  it('steps whole numbers for counts', () => {
    const { bounds } = classBreaks([3, 4, 5], { better: 'neutral', integer: true })
    for (const bound of bounds) expect(Number.isInteger(bound)).toBe(true)
  })

  it('makes one class when every area has the same value', () => {
    expect(classBreaks([55, 55], rate)).toMatchObject({ bounds: [55, 55] })
  })

  it('has no classes without values', () => {
    expect(classBreaks([], rate)).toEqual({ bounds: [], colours: [] })
  })

  it('darkens towards what is better', () => {
    const higher = classBreaks([41, 78], rate).colours
    const lower = classBreaks([41, 78], { ...rate, better: 'lower' }).colours
    expect(lower).toEqual([...higher].reverse())
    // The best class is the darkest: the most contrast against white.
    expect(contrastRatio(higher.at(-1)!, '#ffffff')).toBeGreaterThan(contrastRatio(higher[0]!, '#ffffff'))
  })

  it('orders the classes by lightness, so they read apart without colour', () => {
    const { colours } = classBreaks([41, 55, 63, 78], { ...rate, better: 'neutral' })
    const contrasts = colours.map((c) => contrastRatio(c, '#ffffff'))
    expect([...contrasts].sort((a, b) => a - b)).toEqual(contrasts)
  })
})

describe('classOf and fillOf', () => {
  const breaks = classBreaks([41, 55, 63, 78], rate)

  it('puts a value on a bound in the class above it, the top bound in the last class', () => {
    expect(classOf(40, breaks)).toBe(0)
    expect(classOf(50, breaks)).toBe(1)
    expect(classOf(80, breaks)).toBe(3)
    expect(classOf(81, breaks)).toBe(-1)
  })

  it('fills an area without a value in the no-data grey', () => {
    expect(fillOf(null, breaks)).toBe(NO_DATA_FILL)
    expect(fillOf(63, breaks)).toBe(breaks.colours[2])
  })
})
