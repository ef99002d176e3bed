import { zoneOffsetMs } from '@ioc/shared'
import { encode } from 'jpeg-js'
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphRows } from './bitmap-font.ts'

/** What a simulated camera's picture shows: a staff gauge on a bridge pier, the water at `levelCm`. */
export interface GaugeScene {
  cameraId: string
  /** Stage the water stands at on the gauge, cm above the gauge's zero (the station's datum). */
  levelCm: number
  /** The gauge's top mark, cm: the board shows 0..topCm. */
  topCm: number
  /** The station's BĐ1–BĐ3 stages, painted beside the board as on real bridge piers. */
  alarmCm?: readonly [number, number, number]
  /** When the picture is taken: burnt in at the top left, in `timeZone`'s wall-clock time. */
  atMs: number
  timeZone: string
}

export interface RgbaImage {
  width: number
  height: number
  data: Uint8Array
}

/** A road camera's usual sub-stream size: small enough to send every minute over a 3G link. */
export const PICTURE_WIDTH = 640
export const PICTURE_HEIGHT = 360
/** The board's painted face, pixels: where 0 cm and the top mark fall. */
export const BOARD = { left: 300, right: 352, top: 36, bottom: 340 } as const
const PIER = { left: 270, right: 382 } as const
const HORIZON_Y = 150
/** JPEG quality: the marks stay readable and a picture is ~25 kB, far below the 512 KB limit. */
const QUALITY = 70

type Rgb = readonly [number, number, number]
const WHITE: Rgb = [246, 246, 240]
const RED: Rgb = [200, 30, 30]
const BLACK: Rgb = [20, 20, 20]
const CONCRETE: Rgb = [150, 148, 140]
const BANK: Rgb = [62, 96, 58]
const FLOOD_WATER: Rgb = [112, 96, 70]
/** BĐ1, BĐ2, BĐ3 marks: the alarm-level colours of the dashboard's legend. */
const ALARM_COLOURS: readonly Rgb[] = [
  [240, 200, 40],
  [240, 130, 30],
  [210, 40, 40],
]

/** The pixel row the water line of `levelCm` falls on (higher water, smaller row). */
export function waterLineY(levelCm: number, topCm: number): number {
  const share = Math.min(1, Math.max(0, levelCm / topCm))
  return Math.round(BOARD.bottom - share * (BOARD.bottom - BOARD.top))
}

function fillRect(image: RgbaImage, x0: number, y0: number, x1: number, y1: number, [r, g, b]: Rgb): void {
  const left = Math.max(0, Math.floor(x0))
  const right = Math.min(image.width, Math.ceil(x1))
  for (let y = Math.max(0, Math.floor(y0)); y < Math.min(image.height, Math.ceil(y1)); y++) {
    let i = (y * image.width + left) * 4
    for (let x = left; x < right; x++, i += 4) {
      image.data[i] = r
      image.data[i + 1] = g
      image.data[i + 2] = b
      image.data[i + 3] = 255
    }
  }
}

/** `text` in the 5×7 font at `scale`, on a dark band so it reads over sky and water alike. */
function drawText(image: RgbaImage, text: string, x: number, y: number, scale: number, colour: Rgb): void {
  const advance = (GLYPH_WIDTH + 1) * scale
  fillRect(image, x - scale * 2, y - scale * 2, x + text.length * advance + scale, y + (GLYPH_HEIGHT + 2) * scale, [0, 0, 0])
  for (let c = 0; c < text.length; c++) {
    const rows = glyphRows(text[c]!)
    for (let row = 0; row < GLYPH_HEIGHT; row++) {
      for (let col = 0; col < GLYPH_WIDTH; col++) {
        if ((rows[row]! >> (GLYPH_WIDTH - 1 - col)) & 1) {
          const px = x + c * advance + col * scale
          fillRect(image, px, y + row * scale, px + scale, y + (row + 1) * scale, colour)
        }
      }
    }
  }
}

/** `atMs` as the camera's clock shows it: `2025-10-30 08:15:00 +07`. */
export function burntInTime(atMs: number, timeZone: string): string {
  const offsetMs = zoneOffsetMs(atMs, timeZone)
  const wall = new Date(atMs + offsetMs).toISOString()
  const hours = offsetMs / 3_600_000
  const sign = hours < 0 ? '-' : '+'
  return `${wall.slice(0, 10)} ${wall.slice(11, 19)} ${sign}${String(Math.floor(Math.abs(hours))).padStart(2, '0')}`
}

/**
 * Draws the scene as RGBA, {@link PICTURE_WIDTH}×{@link PICTURE_HEIGHT}: sky and far bank, the pier with
 * its white staff gauge (a mark every 10 cm, black and red by alternate metre, a longer mark and its number
 * every 50 cm), the alarm levels beside it, and the water over everything below the level.
 * Pure: the same scene gives the same pixels.
 */
export function drawGaugeScene(scene: GaugeScene): RgbaImage {
  const width = PICTURE_WIDTH
  const height = PICTURE_HEIGHT
  const image: RgbaImage = { width, height, data: new Uint8Array(width * height * 4) }
  // Overcast sky, lighter toward the horizon.
  for (let y = 0; y < HORIZON_Y; y++) {
    const t = y / HORIZON_Y
    fillRect(image, 0, y, width, y + 1, [Math.round(120 + 70 * t), Math.round(140 + 60 * t), Math.round(165 + 50 * t)])
  }
  fillRect(image, 0, HORIZON_Y, width, HORIZON_Y + 24, BANK)
  fillRect(image, 0, HORIZON_Y + 24, width, height, [96, 110, 104])

  fillRect(image, PIER.left, 0, PIER.right, height, CONCRETE)
  fillRect(image, PIER.right - 8, 0, PIER.right, height, [120, 118, 110])
  fillRect(image, BOARD.left - 3, BOARD.top - 6, BOARD.right + 3, BOARD.bottom + 3, [60, 60, 60])
  fillRect(image, BOARD.left, BOARD.top - 3, BOARD.right, BOARD.bottom, WHITE)

  const pxPerCm = (BOARD.bottom - BOARD.top) / scene.topCm
  for (let cm = 0; cm <= scene.topCm; cm += 10) {
    const y = BOARD.bottom - cm * pxPerCm
    const colour = Math.floor(cm / 100) % 2 === 0 ? BLACK : RED
    const long = cm % 50 === 0
    fillRect(image, BOARD.left, y - 1, BOARD.left + (long ? 30 : 16), y + 1, colour)
    if (long && cm > 0) drawLabel(image, String(cm), BOARD.left + 33, y - 3, colour)
  }
  scene.alarmCm?.forEach((cm, index) => {
    if (cm > scene.topCm) return
    const y = BOARD.bottom - cm * pxPerCm
    fillRect(image, BOARD.right + 4, y - 2, PIER.right - 10, y + 2, ALARM_COLOURS[index]!)
  })

  // The water: everything below the line, with a few lighter ripples so the surface reads as water.
  const line = waterLineY(scene.levelCm, scene.topCm)
  fillRect(image, 0, line, width, height, FLOOD_WATER)
  for (let y = line + 6; y < height; y += 14) {
    for (let x = ((y * 37) % 60) - 60; x < width; x += 90) fillRect(image, x, y, x + 36, y + 2, [140, 124, 96])
  }
  fillRect(image, 0, line, width, line + 2, [170, 156, 124])

  drawText(image, scene.cameraId, 12, 12, 2, WHITE)
  drawText(image, burntInTime(scene.atMs, scene.timeZone), 12, height - 26, 2, WHITE)
  return image
}

/** A gauge number, right-aligned in three glyph widths from `x`, without a band: the board's own paint. */
function drawLabel(image: RgbaImage, text: string, x: number, y: number, colour: Rgb): void {
  const start = x + (3 - text.length) * (GLYPH_WIDTH + 1)
  for (let c = 0; c < text.length; c++) {
    const rows = glyphRows(text[c]!)
    for (let row = 0; row < GLYPH_HEIGHT; row++) {
      for (let col = 0; col < GLYPH_WIDTH; col++) {
        const px = start + c * (GLYPH_WIDTH + 1) + col
        if ((rows[row]! >> (GLYPH_WIDTH - 1 - col)) & 1) fillRect(image, px, y + row, px + 1, y + row + 1, colour)
      }
    }
  }
}

/** The scene as a baseline JPEG, as a camera would upload it. */
export function gaugePictureJpeg(scene: GaugeScene): Buffer {
  return encode(drawGaugeScene(scene), QUALITY).data
}
