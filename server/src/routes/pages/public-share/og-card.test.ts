import { describe, expect, it } from 'vitest'
import { PNG } from 'pngjs'
import { Resvg } from '@resvg/resvg-js'
import { FONT_FAMILY, FONT_FILES } from './font.ts'
import { cityCardSvg, OG_HEIGHT, OG_WIDTH, stationCardSvg, type StationCardData } from './og-card.ts'
import { renderPng } from './renderer.ts'

const point: StationCardData = {
  name: 'Điểm cảnh báo lũ Cầu Xuân Quý',
  place: 'Cầu Xuân Quý, xã Tam Thăng',
  level: 2,
  cm: 212.4,
  readingMs: Date.parse('2026-12-07T07:05:30Z'),
  levels: { bd1: 150, bd2: 200, bd3: 250 },
  cityName: 'Thành phố Tam Kỳ',
  timeZone: 'Asia/Ho_Chi_Minh',
  link: 'ioc.tamky.gov.vn/muc-nuoc/cau-xuan-quy',
}
const at = (png: Buffer, x: number, y: number) => {
  const image = PNG.sync.read(png)
  const i = (y * image.width + x) * 4
  return `#${[...image.data.subarray(i, i + 3)].map((v) => v.toString(16).padStart(2, '0')).join('')}`
}
/** Pixels of `png` that differ from the background (white) inside a box: how much was drawn there. */
function inked(png: Buffer, box: { x: number; y: number; width: number; height: number }): number {
  const image = PNG.sync.read(png)
  let count = 0
  for (let y = box.y; y < box.y + box.height; y++) {
    for (let x = box.x; x < box.x + box.width; x++) {
      const i = (y * image.width + x) * 4
      if (image.data[i]! < 200 || image.data[i + 1]! < 200 || image.data[i + 2]! < 200) count++
    }
  }
  return count
}

describe('the station card', () => {
  it('says the level, the reading and its time on the city clock, and the point', () => {
    const svg = stationCardSvg(point)
    for (const text of ['Báo động II', 'Điểm cảnh báo lũ Cầu Xuân Quý', 'Cầu Xuân Quý, xã Tam Thăng', '212 cm', 'lúc 14:05 07/12', 'BĐ2 · 200', 'Thành phố Tam Kỳ']) {
      expect(svg).toContain(text)
    }
    expect(stationCardSvg({ ...point, level: -1, cm: null, readingMs: null })).toContain('Chưa có số liệu')
  })

  it('escapes what it is given: a name with markup stays text and the SVG still renders', async () => {
    const svg = stationCardSvg({ ...point, name: '<script>alert(1)</script> & "Cầu"', place: "Xã 'Tam' <b>Thăng</b>" })
    expect(svg).not.toContain('<script>')
    expect(svg).not.toContain('<b>')
    const png = await renderPng(svg)
    expect(PNG.sync.read(png).width).toBe(OG_WIDTH)
  })

  it('renders with the shipped font only: the name is drawn, and "Đ" is not "D"', () => {
    const render = (svg: string) => new Resvg(svg, { font: { loadSystemFonts: false, fontFiles: [FONT_FILES.regular, FONT_FILES.bold], defaultFontFamily: FONT_FAMILY } }).render().asPng()
    const word = (text: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="80"><rect width="200" height="80" fill="#fff"/><text x="10" y="60" font-family="${FONT_FAMILY}" font-size="48">${text}</text></svg>`
    const withMarks = render(word('Đễ'))
    expect(inked(withMarks, { x: 0, y: 0, width: 200, height: 80 })).toBeGreaterThan(300)
    expect(withMarks.equals(render(word('De')))).toBe(false)
    // The circumflex and tilde of "ễ" are drawn: ink above the x-height, where a bare "e" has none.
    const aboveE = { x: 40, y: 0, width: 60, height: 30 }
    expect(inked(withMarks, aboveE)).toBeGreaterThan(40)
    expect(inked(render(word('Đe')), aboveE)).toBe(0)
  })

  it('is a 1200×630 PNG under 60 kB, the band in the level colour', async () => {
    for (const [level, colour] of [[-1, '#6b7280'], [0, '#1f62a8'], [1, '#f2c230'], [2, '#ee7b1c'], [3, '#a8071a']] as const) {
      const png = await renderPng(stationCardSvg({ ...point, level, cm: level === -1 ? null : point.cm }))
      expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a')
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([OG_WIDTH, OG_HEIGHT])
      expect(png.length).toBeLessThan(60_000)
      expect(at(png, 8, 8)).toBe(colour)
    }
  })
})

describe('the city card', () => {
  it('counts the points at each level, and colours its top band by the highest', async () => {
    const card = { cityName: 'Thành phố Tam Kỳ', counts: [5, 0, 1, 0] as const, noData: 2, atMs: Date.parse('2026-12-07T07:05:00Z'), timeZone: 'Asia/Ho_Chi_Minh', link: 'ioc.tamky.gov.vn/muc-nuoc' }
    const svg = cityCardSvg(card)
    expect(svg).toContain('Mực nước lũ — Thành phố Tam Kỳ')
    expect(svg).toContain('8 điểm đo · cập nhật lúc 14:05 07/12')
    expect(svg).toContain('2 điểm chưa có số liệu')
    for (const words of ['Dưới mức', 'Báo động I<', 'Báo động II<', 'Báo động III<']) expect(svg).toContain(words)
    const png = await renderPng(svg)
    expect(png.length).toBeLessThan(60_000)
    expect(at(png, 8, 8)).toBe('#ee7b1c')
    expect(at(await renderPng(cityCardSvg({ ...card, counts: [8, 0, 0, 0], noData: 0 })), 8, 8)).toBe('#1f62a8')
  })
})
