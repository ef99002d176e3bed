import { forecastDuration, type PublicCamerasResponse, type PublicFloodResponse } from '@ioc/shared'
import { clockAndDate, LEVEL_WORDS } from './public-share/levels.ts'

/**
 * The public page's levels as plain HTML, written into the page by the server: a phone on a weak
 * signal reads them before any script has arrived, and one with JavaScript off reads them at all.
 * The script then takes the page over (web/src/citizens), with the same classes, so nothing moves.
 * Vietnamese only, like the page's first paint; the reader's switch to English is the script's.
 */

type Point = PublicFloodResponse['points'][number]

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** "182 cm", "12,5 cm": no digit grouping (1234 cm must not read as 1,234), a decimal comma. */
const cm = (value: number) => `${new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1, useGrouping: false }).format(value)} cm`

/** Points at an alarm level first, highest first; otherwise the city pack's order (as the script sorts them). */
function sorted(points: readonly Point[]): Point[] {
  return points
    .map((point, index) => ({ point, index }))
    .sort((a, b) => b.point.floodLevel - a.point.floodLevel || a.index - b.index)
    .map(({ point }) => point)
}

const ROMAN = { 1: 'I', 2: 'II', 3: 'III' } as const
const clocks = new Map<string, Intl.DateTimeFormat>()
/** "14:30" on the city's wall clock. */
function clock(ms: number, timeZone: string): string {
  let format = clocks.get(timeZone)
  if (!format) clocks.set(timeZone, (format = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit' })))
  return format.format(ms)
}

/** The forecast in plain words, as the script says it (web/src/citizens/point-card.tsx). */
export function forecastHtml(forecast: Point['forecast'], timeZone: string): string {
  if (!forecast) return ''
  return `<p class="forecast" data-testid="forecast">Có thể lên Báo động ${ROMAN[forecast.level]} lúc khoảng ${clock(Date.parse(forecast.at), timeZone)} (${forecastDuration(forecast.minutes, 'vi')} nữa) nếu nước tiếp tục lên như 1 giờ qua</p>`
}

function pointHtml(point: Point, timeZone: string, focusId: string | undefined): string {
  const level = point.latest ? `lvl-${point.floodLevel}` : 'lvl-none'
  const id = `diem-${escapeHtml(point.id)}`
  // Plain words: what "BĐ" stands for is never left for the reader to know.
  const words = LEVEL_WORDS[point.latest ? (point.floodLevel as 0 | 1 | 2 | 3) : -1].vi
  return [
    `<li><article id="${id}" class="point ${level}${point.id === focusId ? ' highlighted' : ''}" aria-labelledby="${id}-name" data-point-id="${escapeHtml(point.id)}">`,
    `<h3 id="${id}-name">${escapeHtml(point.name.vi)}</h3>`,
    `<p class="place muted">${escapeHtml(point.place.vi)}</p>`,
    `<p class="level-badge ${level}">${words}</p>`,
    point.latest ? `<p class="current"><span class="visually-hidden">Mực nước: </span><span class="value">${cm(point.latest.waterLevelCm)}</span></p>` : '',
    forecastHtml(point.forecast, timeZone),
    point.latest ? `<p class="measured">Đo lúc ${clockAndDate(Date.parse(point.latest.ts), timeZone)}</p>` : '',
    `<p class="levels muted">Báo động I: ${cm(point.levels.bd1)} · Báo động II: ${cm(point.levels.bd2)} · Báo động III: ${cm(point.levels.bd3)}</p>`,
    `<p class="share"><a href="/muc-nuoc/${encodeURIComponent(point.id)}">Liên kết tới điểm này</a> · <a href="/muc-nuoc/${encodeURIComponent(point.id)}/ma-qr">Mã QR để in</a></p>`,
    '</article></li>',
  ].join('')
}

/** A camera the city marks public, with its latest picture's time and size (null before its first). */
export type PublicCameraPicture = PublicCamerasResponse['cameras'][number]

/**
 * The public cameras' latest pictures, as the script shows them (web/src/citizens/public-cameras.tsx):
 * downscaled by `/api/public/cameras/{id}/latest.jpg`, the picture's time in the address so a newer
 * one is never hidden by a cached older one, width and height set so the page does not jump.
 */
export function camerasHtml(cameras: readonly PublicCameraPicture[], timeZone: string): string {
  if (cameras.length === 0) return ''
  const items = cameras.map((camera) => {
    const id = escapeHtml(camera.id)
    const name = escapeHtml(camera.name.vi)
    if (!camera.latest) return `<li data-camera-id="${id}"><p class="pub-camera-name">${name}</p><p class="muted">Camera chưa gửi ảnh</p></li>`
    const ms = Date.parse(camera.latest.ts)
    const time = clockAndDate(ms, timeZone)
    const width = Math.min(PUBLIC_PICTURE_WIDTH, camera.latest.width)
    const height = Math.round((width * camera.latest.height) / camera.latest.width)
    return [
      `<li data-camera-id="${id}"><figure>`,
      `<img src="/api/public/cameras/${encodeURIComponent(camera.id)}/latest.jpg?t=${ms}" loading="lazy" width="${width}" height="${height}" alt="Ảnh từ camera ${name} lúc ${time}">`,
      `<figcaption><span class="pub-camera-name">${name}</span><span>Ảnh lúc ${time}</span></figcaption>`,
      '</figure></li>',
    ].join('')
  })
  return [
    '<section aria-labelledby="cameras-title" data-testid="public-cameras"><h2 id="cameras-title">Camera</h2>',
    '<p class="muted">Ảnh gần nhất từ các camera thành phố công khai.</p>',
    `<ul class="pub-cameras">${items.join('')}</ul></section>`,
  ].join('\n')
}

/** The widest public picture the server sends (routes/api/public/cameras.ts). */
const PUBLIC_PICTURE_WIDTH = 640

/**
 * The page's body before the script: the city, when the numbers were taken, a link that loads them
 * again, how many points are at an alarm level, every point's level in words and centimetres, and the
 * public cameras' latest pictures. `pageUrl` is the path the reader asked for (the "load again" link
 * keeps them on their point).
 */
export function renderPublicLevels(data: PublicFloodResponse, options: { pageUrl: string; focusId?: string; cameras?: readonly PublicCameraPicture[] }): string {
  const timeZone = data.city.timezone
  const alarmed = data.points.filter((p) => p.latest !== null && p.floodLevel > 0).length
  const summary = alarmed === 0 ? 'Hiện không có điểm nào ở mức báo động.' : `${alarmed} điểm đang ở mức báo động.`
  return [
    '<a class="skip-link" href="#points-title">Các điểm đo</a>',
    '<header class="pub-header"><div>',
    `<p class="city">${escapeHtml(data.city.name.vi)}</p><h1>Mực nước lũ</h1></div>`,
    `<p class="connection conn-static" data-testid="connection" data-state="static">Số liệu lúc ${clockAndDate(Date.parse(data.generatedAt), timeZone)} · <a href="${escapeHtml(options.pageUrl)}">Tải lại</a></p>`,
    '</header>',
    '<main id="main">',
    '<p class="intro">Mực nước tại các điểm cảnh báo lũ, đo tự động bằng cảm biến.</p>',
    `<section class="warnings" aria-labelledby="warnings-title"><h2 id="warnings-title">Cảnh báo lũ</h2><p class="summary">${summary}</p></section>`,
    '<section aria-labelledby="points-title"><h2 id="points-title" tabindex="-1">Các điểm đo</h2><ul class="points">',
    ...sorted(data.points).map((point) => pointHtml(point, timeZone, options.focusId)),
    '</ul></section>',
    camerasHtml(options.cameras ?? [], timeZone),
    '</main>',
    '<footer class="pub-footer muted">Số liệu đo tự động, chỉ để tham khảo. Hãy làm theo hướng dẫn của chính quyền địa phương.</footer>',
  ].join('\n')
}

/**
 * The same data for the script, in the page: it starts from these numbers instead of asking again
 * before it can show anything. `<` is escaped so no text in it can close the script element.
 */
export function snapshotJson(data: PublicFloodResponse): string {
  return JSON.stringify(data).replace(/</g, '\\u003c')
}
