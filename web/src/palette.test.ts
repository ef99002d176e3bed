import { describe, expect, it } from 'vitest'
import { CAMERA_SWATCH, contrastRatio, LEVEL_SWATCH, luminance, paletteVariables } from './palette.ts'

describe('contrastRatio', () => {
  it('is 21 for black on white', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5)
  })

  it('is symmetric', () => {
    expect(contrastRatio('#1f62a8', '#ffffff')).toBe(contrastRatio('#ffffff', '#1f62a8'))
  })
})

describe('swatches', () => {
  it.each(Object.entries(LEVEL_SWATCH))('level %s text reads on its fill (WCAG AA, 4.5:1)', (_level, swatch) => {
    expect(contrastRatio(swatch.fill, swatch.text)).toBeGreaterThanOrEqual(4.5)
  })

  it.each(Object.entries(CAMERA_SWATCH))('camera %s text reads on its fill (WCAG AA, 4.5:1)', (_state, swatch) => {
    expect(contrastRatio(swatch.fill, swatch.text)).toBeGreaterThanOrEqual(4.5)
  })

  it('alarm levels 1 to 3 step down in lightness, so they stay ordered without hue', () => {
    const [l1, l2, l3] = [1, 2, 3].map((level) => luminance(LEVEL_SWATCH[level as 1 | 2 | 3].fill))
    expect(l1).toBeGreaterThan(l2 as number)
    expect(l2).toBeGreaterThan(l3 as number)
  })
})

describe('paletteVariables', () => {
  it('exposes each level and camera colour as a CSS variable', () => {
    const vars = paletteVariables()
    expect(vars['--level-nodata-fill']).toBe(LEVEL_SWATCH[-1].fill)
    expect(vars['--level-3-text']).toBe(LEVEL_SWATCH[3].text)
    expect(vars['--camera-offline-fill']).toBe(CAMERA_SWATCH.offline.fill)
  })
})
