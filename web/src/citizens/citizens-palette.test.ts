import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { LEVEL_SWATCH } from '../palette.ts'

const css = readFileSync(new URL('./citizens.css', import.meta.url), 'utf8')

describe('citizens page colours', () => {
  it('are the dashboard level colours, so a level looks the same to staff and to citizens', () => {
    for (const [level, swatch] of Object.entries(LEVEL_SWATCH)) {
      const slug = level === '-1' ? 'none' : level
      expect(css, `--lvl-${slug}-fill`).toContain(`--lvl-${slug}-fill: ${swatch.fill};`)
      expect(css, `--lvl-${slug}-text`).toContain(`--lvl-${slug}-text: ${swatch.text};`)
    }
  })
})
