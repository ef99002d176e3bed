import { describe, expect, it } from 'vitest'
import type { PublicFloodResponse } from '@ioc/shared'
import { camerasHtml, renderPublicLevels, snapshotJson } from './public-levels-html.ts'
import { clockAndDate } from './public-share/levels.ts'

type Point = PublicFloodResponse['points'][number]

function point(id: string, name: string, floodLevel: number, latest: Point['latest']): Point {
  return {
    id,
    name: { vi: name, en: name },
    place: { vi: `Nơi ${name}`, en: `Place ${name}` },
    areaId: 'a',
    areaName: { vi: 'Phường A', en: 'Ward A' },
    lon: 108.5,
    lat: 15.5,
    levels: { bd1: 150, bd2: 200, bd3: 250 },
    latest,
    floodLevel,
    forecast: null,
    spark: [],
    expectedIntervalS: 300,
  } as Point
}

const data = (points: Point[]): PublicFloodResponse =>
  ({
    city: { name: { vi: 'Thành phố Tam Kỳ', en: 'Tam Ky City' }, timezone: 'Asia/Ho_Chi_Minh' },
    generatedAt: '2026-12-07T07:05:00.000Z',
    points,
    alarms: [],
    advice: null,
  }) as PublicFloodResponse

describe('the levels the server writes into the public page', () => {
  it('gives each point its level in words and centimetres, alarm levels first, with the time of the figures in the city', () => {
    const html = renderPublicLevels(
      data([point('a', 'Điểm A', 0, { ts: '2026-12-07T07:00:00.000Z', waterLevelCm: 80 }), point('b', 'Cầu Xuân Quý', 2, { ts: '2026-12-07T07:01:00.000Z', waterLevelCm: 212.5 }), point('c', 'Điểm C', 0, null)]),
      { pageUrl: '/muc-nuoc' },
    )
    // 07:05 UTC is 14:05 in Tam Kỳ.
    expect(html).toContain('Số liệu lúc 14:05 07/12 · <a href="/muc-nuoc">Tải lại</a>')
    expect(html).toContain('1 điểm đang ở mức báo động.')
    expect(html.indexOf('data-point-id="b"')).toBeLessThan(html.indexOf('data-point-id="a"'))
    expect(html.indexOf('data-point-id="a"')).toBeLessThan(html.indexOf('data-point-id="c"'))
    expect(html).toContain('<p class="level-badge lvl-2">Báo động II</p>')
    expect(html).toContain('<span class="value">212,5 cm</span>')
    expect(html).toContain('<p class="measured">Đo lúc 14:01 07/12</p>')
    expect(html).toContain('<p class="level-badge lvl-0">Dưới mức báo động</p>')
    expect(html).toContain('<p class="level-badge lvl-none">Chưa có số liệu</p>')
    expect(html).toContain('Báo động I: 150 cm · Báo động II: 200 cm · Báo động III: 250 cm')
    // No jargon alone: "BĐ" never appears without its words.
    expect(html).not.toMatch(/BĐ/)
  })

  it('says when no point is at an alarm level, and marks the point a shared link is about', () => {
    const html = renderPublicLevels(data([point('a', 'Điểm A', 0, { ts: '2026-12-07T07:00:00.000Z', waterLevelCm: 80 })]), { pageUrl: '/muc-nuoc/a', focusId: 'a' })
    expect(html).toContain('Hiện không có điểm nào ở mức báo động.')
    expect(html).toContain('class="point lvl-0 highlighted"')
    expect(html).toContain('<a href="/muc-nuoc/a">Tải lại</a>')
  })

  it('escapes what the city pack or the store may contain', () => {
    const html = renderPublicLevels(data([point('x"y', '<script>alert(1)</script> $& $1', 1, { ts: '2026-12-07T07:00:00.000Z', waterLevelCm: 160 })]), { pageUrl: '/muc-nuoc' })
    expect(html).not.toContain('<script>')
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62; $&amp; $1'.replace('&amp;', '&#38;'))
    expect(html).toContain('data-point-id="x&#34;y"')
    expect(html).toContain('href="/muc-nuoc/x%22y"')
  })

  it('hands the script the same data in a form no text can break out of', () => {
    const snapshot = data([point('a', '</script><script>alert(1)</script>', 0, null)])
    const json = snapshotJson(snapshot)
    expect(json).not.toContain('</script>')
    expect(JSON.parse(json)).toEqual(snapshot)
  })

  it('writes the time in the city, whatever the server zone', () => {
    expect(clockAndDate(Date.parse('2026-12-31T17:30:00Z'), 'Asia/Ho_Chi_Minh')).toBe('00:30 01/01')
  })

  it('says the forecast in plain words, the level named in full, only where there is one', () => {
    const rising = { ...point('a', 'Sông A', 1, { ts: '2026-12-07T07:00:00.000Z', waterLevelCm: 196 }), forecast: { level: 2 as const, at: '2026-12-07T07:30:00.000Z', minutes: 30, ratePerHour: 24 } }
    const html = renderPublicLevels(data([rising, point('b', 'Sông B', 0, null)]), { pageUrl: '/muc-nuoc' })
    expect(html).toContain('<p class="forecast" data-testid="forecast">Có thể lên Báo động II lúc khoảng 14:30 (khoảng 30 phút nữa) nếu nước tiếp tục lên như 1 giờ qua</p>')
    expect(html.match(/class="forecast"/g)).toHaveLength(1)
  })
})

describe('camerasHtml', () => {
  const bridge = { id: 'cam-cau-tam-ky', name: { vi: 'Cầu <Tam> Kỳ', en: 'Bridge' }, lat: 15.5, lon: 108.5 }

  it('shows each public camera\'s latest picture, downscaled, with its time, sized so the page does not jump', () => {
    const html = camerasHtml([{ ...bridge, latest: { ts: '2026-12-07T07:05:00.000Z', width: 1920, height: 1080 } }], 'Asia/Ho_Chi_Minh')
    const ms = Date.parse('2026-12-07T07:05:00.000Z')
    expect(html).toContain(`<img src="/api/public/cameras/cam-cau-tam-ky/latest.jpg?t=${ms}" loading="lazy" width="640" height="360" alt="Ảnh từ camera Cầu &#60;Tam&#62; Kỳ lúc 14:05 07/12">`)
    expect(html).toContain('Ảnh lúc 14:05 07/12')
  })

  it('says when a camera has sent no picture, and writes nothing without public cameras', () => {
    expect(camerasHtml([{ ...bridge, latest: null }], 'Asia/Ho_Chi_Minh')).toContain('Camera chưa gửi ảnh')
    expect(camerasHtml([], 'Asia/Ho_Chi_Minh')).toBe('')
    expect(renderPublicLevels(data([]), { pageUrl: '/muc-nuoc' })).not.toContain('cameras-title')
  })
})
