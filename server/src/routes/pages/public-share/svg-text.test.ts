import { describe, expect, it } from 'vitest'
import { metrics } from './font.ts'
import { escapeXml, fitText, textWidth } from './svg-text.ts'

/** Every letter of the Vietnamese alphabet with every tone mark, both cases, and "đ". */
const VIETNAMESE = 'aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ'
const ALL = [...VIETNAMESE, ...VIETNAMESE.toUpperCase()]

describe('the share images font', () => {
  it('draws every Vietnamese letter itself, in both weights (no fallback boxes)', () => {
    for (const weight of ['regular', 'bold'] as const) {
      const missing = ALL.filter((c) => !metrics()[weight].hasGlyph(c))
      expect(missing, weight).toEqual([])
    }
    expect(metrics().regular.hasGlyph('\u{1F30A}')).toBe(false)
  })

  it('measures text from the font: wider in bold, proportional to the size, the same composed or decomposed', () => {
    const name = 'Điểm cảnh báo lũ Cầu Xuân Quý'
    expect(textWidth(name, 40)).toBeGreaterThan(500)
    expect(textWidth(name, 40, true)).toBeGreaterThan(textWidth(name, 40))
    expect(textWidth(name, 80)).toBeCloseTo(2 * textWidth(name, 40), 6)
    expect(textWidth(name.normalize('NFD'), 40)).toBeCloseTo(textWidth(name, 40), 6)
    expect(textWidth('iiii', 40)).toBeLessThan(textWidth('MMMM', 40))
  })
})

describe('escapeXml', () => {
  it('escapes the markup characters and drops the control characters XML forbids', () => {
    expect(escapeXml(`<script>alert("x") & 'y'</script>`)).toBe('&#60;script&#62;alert(&#34;x&#34;) &#38; &#39;y&#39;&#60;/script&#62;')
    expect(escapeXml('a\u0000b\u0007c\u001fd\ttab\nline')).toBe('abcd\ttab\nline')
    expect(escapeXml('Thăng'.normalize('NFD'))).toBe('Thăng')
  })
})

describe('fitText', () => {
  const options = { maxWidth: 600, maxSize: 60, minSize: 30, maxLines: 2, bold: true }
  const fits = (lines: string[], size: number) => lines.every((l) => textWidth(l, size, true) <= options.maxWidth)

  it('keeps the largest size when the text fits on one line', () => {
    expect(fitText('Tam Kỳ', options)).toEqual({ size: 60, lines: ['Tam Kỳ'] })
  })

  it('wraps a long name on two lines before making it small, unless it fits on one line at oneLineMinSize', () => {
    const name = 'Điểm cảnh báo lũ Cầu Xuân Quý phía đông'
    const wrapped = fitText(name, options)
    expect(wrapped.lines).toHaveLength(2)
    expect(wrapped.lines.join(' ')).toBe(name)
    expect(fits(wrapped.lines, wrapped.size)).toBe(true)
    const oneLine = fitText('Điểm cảnh báo lũ Cầu Xuân', { ...options, oneLineMinSize: 36 })
    expect(oneLine.lines).toHaveLength(1)
    expect(fits(oneLine.lines, oneLine.size)).toBe(true)
  })

  it('cuts what cannot fit even at the smallest size with an ellipsis, never running past the width', () => {
    const long = Array.from({ length: 40 }, () => 'Trường Giang').join(' ')
    const fitted = fitText(long, options)
    expect(fitted.size).toBe(30)
    expect(fitted.lines).toHaveLength(2)
    expect(fitted.lines[1]).toMatch(/…$/)
    expect(fits(fitted.lines, 30)).toBe(true)
    const word = fitText('A'.repeat(200), { ...options, maxLines: 1 })
    expect(word.lines[0]).toMatch(/^A+…$/)
    expect(fits(word.lines, word.size)).toBe(true)
  })
})
