import type { FloodLevels } from '@ioc/shared'
import { FONT_FAMILY } from './font.ts'
import { BRAND, clockAndDate, formatCm, INK, LEVEL_SWATCH, LEVEL_WORDS, LINE, MUTED, type ShownLevel } from './levels.ts'
import { escapeXml, fitText, textLines, textWidth } from './svg-text.ts'

/** The Open Graph image size chat apps and social sites expect for a large preview (1.91:1). */
export const OG_WIDTH = 1200
export const OG_HEIGHT = 630
const MARGIN = 64

export interface StationCardData {
  name: string
  place: string
  /** -1: no reading yet. */
  level: ShownLevel
  cm: number | null
  readingMs: number | null
  levels: FloodLevels
  cityName: string
  timeZone: string
  /** The page's address as printed on the card, without the scheme ("ioc.tamky.gov.vn/muc-nuoc/…"). */
  link: string
}

export interface CityCardData {
  cityName: string
  /** Points with a reading at each level, 0 (below BĐ1) to 3. */
  counts: readonly [number, number, number, number]
  noData: number
  atMs: number
  timeZone: string
  link: string
}

const open = (background: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${OG_WIDTH}" height="${OG_HEIGHT}" viewBox="0 0 ${OG_WIDTH} ${OG_HEIGHT}"><rect width="${OG_WIDTH}" height="${OG_HEIGHT}" fill="${background}"/><g font-family="${FONT_FAMILY}">`
const close = '</g></svg>'

/** The footer line: the city's page name on the left, the link on the right (dropped if they would meet). */
function footer(cityName: string, link: string, y: number): string {
  const left = fitText(`Mực nước lũ — ${cityName}`, { maxWidth: 620, maxSize: 24, minSize: 20, maxLines: 1 })
  const linkText = fitText(link, { maxWidth: OG_WIDTH - 2 * MARGIN - 660, maxSize: 24, minSize: 18, maxLines: 1 })
  return (
    `<rect x="${MARGIN}" y="${y - 44}" width="${OG_WIDTH - 2 * MARGIN}" height="2" fill="${LINE}"/>` +
    textLines(left, MARGIN, y, `fill="${MUTED}"`) +
    textLines(linkText, OG_WIDTH - MARGIN, y, `fill="${MUTED}" text-anchor="end"`)
  )
}

/**
 * A gauge at the right: the four level bands, equal in height, each threshold written beside it, and
 * a pointer at the reading (placed within its band by how far it is through it).
 */
function gauge(levels: FloodLevels, level: ShownLevel, cm: number | null): string {
  const x = 1070
  const width = 56
  const top = 176
  const bottom = 540
  const band = (bottom - top) / 4
  let out = ''
  for (const k of [0, 1, 2, 3] as const) {
    out += `<rect x="${x}" y="${bottom - (k + 1) * band}" width="${width}" height="${band}" fill="${LEVEL_SWATCH[k].fill}"/>`
  }
  out += `<rect x="${x}" y="${top}" width="${width}" height="${bottom - top}" fill="none" stroke="${INK}" stroke-width="2"/>`
  const thresholds = [levels.bd1, levels.bd2, levels.bd3] as const
  thresholds.forEach((value, i) => {
    const y = bottom - (i + 1) * band
    out += `<rect x="${x - 10}" y="${y - 1}" width="10" height="2" fill="${INK}"/>`
    out += `<text x="${x - 16}" y="${y + 8}" font-size="22" fill="${INK}" text-anchor="end">BĐ${i + 1} · ${escapeXml(String(value))}</text>`
  })
  if (cm !== null && level >= 0) {
    const step = Math.max(1, levels.bd2 - levels.bd1, levels.bd3 - levels.bd2)
    const from = [levels.bd1 - step, levels.bd1, levels.bd2, levels.bd3][level]!
    const to = [levels.bd1, levels.bd2, levels.bd3, levels.bd3 + step][level]!
    const through = Math.min(0.92, Math.max(0.08, (cm - from) / Math.max(1, to - from)))
    const y = Math.round(bottom - (level + through) * band)
    out += `<rect x="${x - 4}" y="${y - 4}" width="${width + 8}" height="8" fill="${INK}" stroke="#ffffff" stroke-width="2"/>`
    out += `<polygon points="${x + width + 6},${y} ${x + width + 28},${y - 16} ${x + width + 28},${y + 16}" fill="${INK}"/>`
  }
  return out
}

/** One flood point: its level in words on a band of the level's colour, its name, place, reading and time. */
export function stationCardSvg(card: StationCardData): string {
  const swatch = LEVEL_SWATCH[card.level]
  const words = LEVEL_WORDS[card.level]
  const bandHeight = 140
  const levelText = fitText(words.vi, { maxWidth: OG_WIDTH - 2 * MARGIN, maxSize: 76, minSize: 48, maxLines: 1, bold: true })
  const english = fitText(words.en, { maxWidth: 400, maxSize: 30, minSize: 24, maxLines: 1 })
  const showEnglish = textWidth(levelText.lines[0]!, levelText.size, true) + 40 + textWidth(english.lines[0]!, english.size) <= OG_WIDTH - 2 * MARGIN
  const bandBaseline = Math.round(bandHeight / 2 + levelText.size * 0.36)

  const textWidthMax = 900
  const name = fitText(card.name, { maxWidth: textWidthMax, maxSize: 58, minSize: 40, oneLineMinSize: 44, maxLines: 2, bold: true })
  const nameTop = bandHeight + 36 + name.size
  const placeY = Math.round(nameTop + (name.lines.length - 1) * name.size * 1.18 + 50)
  const place = fitText(card.place, { maxWidth: textWidthMax, maxSize: 32, minSize: 24, maxLines: 1 })

  const value = card.cm === null ? '—' : formatCm(card.cm)
  const valueFit = fitText(value, { maxWidth: textWidthMax, maxSize: 128, minSize: 48, maxLines: 1, bold: true })
  const time = card.readingMs === null ? 'Điểm đo chưa gửi số liệu' : `lúc ${clockAndDate(card.readingMs, card.timeZone)}`

  return (
    open('#ffffff') +
    `<rect width="${OG_WIDTH}" height="${bandHeight}" fill="${swatch.fill}"/>` +
    textLines(levelText, MARGIN, bandBaseline, `font-weight="bold" fill="${swatch.text}"`) +
    (showEnglish ? textLines(english, OG_WIDTH - MARGIN, bandBaseline, `fill="${swatch.text}" text-anchor="end"`) : '') +
    textLines(name, MARGIN, nameTop, `font-weight="bold" fill="${INK}"`) +
    textLines(place, MARGIN, placeY, `fill="${MUTED}"`) +
    textLines(valueFit, MARGIN, 460, `font-weight="bold" fill="${INK}"`) +
    `<text x="${MARGIN}" y="520" font-size="34" fill="${INK}">${escapeXml(time)}</text>` +
    gauge(card.levels, card.level, card.cm) +
    footer(card.cityName, card.link, 600) +
    close
  )
}

/** The whole city: how many points stand at each level, one tile per level in its colour. */
export function cityCardSvg(card: CityCardData): string {
  const highest = ([3, 2, 1, 0] as const).find((k) => card.counts[k] > 0) ?? -1
  // One line: the tiles below need the height.
  const title = fitText(`Mực nước lũ — ${card.cityName}`, { maxWidth: OG_WIDTH - 2 * MARGIN, maxSize: 64, minSize: 36, maxLines: 1, bold: true })
  const titleTop = 128
  const total = card.counts.reduce((a, b) => a + b, 0) + card.noData
  const subtitleY = 186
  const subtitle = `${total} điểm đo · cập nhật lúc ${clockAndDate(card.atMs, card.timeZone)}`

  const gap = 24
  const tileWidth = (OG_WIDTH - 2 * MARGIN - 3 * gap) / 4
  const tileTop = 226
  const tileHeight = 260
  let tiles = ''
  for (const k of [0, 1, 2, 3] as const) {
    const x = MARGIN + k * (tileWidth + gap)
    const centre = Math.round(x + tileWidth / 2)
    const swatch = LEVEL_SWATCH[k]
    const words = fitText(LEVEL_WORDS[k].vi, { maxWidth: tileWidth - 28, maxSize: 30, minSize: 22, maxLines: 2, bold: true })
    tiles +=
      `<rect x="${x}" y="${tileTop}" width="${tileWidth}" height="${tileHeight}" rx="16" fill="${swatch.fill}"/>` +
      `<text x="${centre}" y="${tileTop + 140}" font-size="116" font-weight="bold" fill="${swatch.text}" text-anchor="middle">${card.counts[k]}</text>` +
      textLines(words, centre, tileTop + 196, `font-weight="bold" fill="${swatch.text}" text-anchor="middle"`)
  }
  const noData = card.noData > 0 ? `<text x="${MARGIN}" y="532" font-size="26" fill="${MUTED}">${card.noData} điểm chưa có số liệu</text>` : ''

  return (
    open('#ffffff') +
    `<rect width="${OG_WIDTH}" height="20" fill="${highest === -1 ? BRAND : LEVEL_SWATCH[highest].fill}"/>` +
    textLines(title, MARGIN, titleTop, `font-weight="bold" fill="${INK}"`) +
    `<text x="${MARGIN}" y="${subtitleY}" font-size="32" fill="${MUTED}">${escapeXml(subtitle)}</text>` +
    tiles +
    noData +
    footer(card.cityName, card.link, 604) +
    close
  )
}
