import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { clockAndDate, formatCm, LEVEL_SWATCH } from './levels.ts'

const citizensCss = readFileSync(new URL('../../../../../web/src/citizens/citizens.css', import.meta.url), 'utf8')
const palette = readFileSync(new URL('../../../../../web/src/palette.ts', import.meta.url), 'utf8')

describe('share image levels', () => {
  it('use the colours of the citizens page and the dashboard, so a level looks the same everywhere', () => {
    for (const [level, swatch] of Object.entries(LEVEL_SWATCH)) {
      const slug = level === '-1' ? 'none' : level
      expect(citizensCss, `--lvl-${slug}-fill`).toContain(`--lvl-${slug}-fill: ${swatch.fill};`)
      expect(citizensCss, `--lvl-${slug}-text`).toContain(`--lvl-${slug}-text: ${swatch.text};`)
      expect(palette, `LEVEL_SWATCH ${level}`).toContain(`${level === '-1' ? '[-1]' : level}: { fill: '${swatch.fill}', text: '${swatch.text}' }`)
    }
  })

  it('write a reading time on the city wall clock, "14:05 07/12"', () => {
    expect(clockAndDate(Date.parse('2026-12-07T07:05:59Z'), 'Asia/Ho_Chi_Minh')).toBe('14:05 07/12')
    // Past midnight in Tam Kỳ while it is still the evening before in UTC.
    expect(clockAndDate(Date.parse('2026-12-31T17:30:00Z'), 'Asia/Ho_Chi_Minh')).toBe('00:30 01/01')
    expect(clockAndDate(Date.parse('2026-12-31T17:30:00Z'), 'UTC')).toBe('17:30 31/12')
  })

  it('round a reading to the centimetre', () => {
    expect(formatCm(182.4)).toBe('182 cm')
    expect(formatCm(182.5)).toBe('183 cm')
  })
})
