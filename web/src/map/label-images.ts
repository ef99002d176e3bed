import { CAMERA_SWATCH, LEVEL_SWATCH } from '../palette.ts'
import type { StationLevel } from '../levels.ts'
import type { CameraMark, ImageSpec, LabelVariant } from './image-id.ts'

/**
 * Draws map labels and marks on a canvas with the browser's own fonts, which render Vietnamese
 * diacritics; MapLibre's `text-field` would need glyph files the offline map does not have.
 */

const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", "DejaVu Sans", Arial, sans-serif'
const FONT_PX = 12

let scratch: CanvasRenderingContext2D | null = null

function context(width: number, height: number): CanvasRenderingContext2D {
  const canvas = document.createElement('canvas')
  canvas.width = width
  canvas.height = height
  const ctx = canvas.getContext('2d', { willReadFrequently: true })
  if (!ctx) throw new Error('2D canvas is not available')
  return ctx
}

function measure(text: string, font: string): number {
  scratch ??= context(1, 1)
  scratch.font = font
  return scratch.measureText(text).width
}

function roundedRect(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, r: number): void {
  ctx.beginPath()
  ctx.moveTo(x + r, y)
  ctx.arcTo(x + w, y, x + w, y + h, r)
  ctx.arcTo(x + w, y + h, x, y + h, r)
  ctx.arcTo(x, y + h, x, y, r)
  ctx.arcTo(x, y, x + w, y, r)
  ctx.closePath()
}

/** A pill in the level's colour with the badge text ("BĐ2 · 235 cm"). */
function drawBadge(level: StationLevel, text: string, ratio: number): ImageData {
  const swatch = LEVEL_SWATCH[level]
  const font = `700 ${FONT_PX}px ${FONT_FAMILY}`
  const padX = 6
  const height = 20
  const width = Math.ceil(measure(text, font)) + padX * 2
  const ctx = context(Math.ceil(width * ratio), Math.ceil(height * ratio))
  ctx.scale(ratio, ratio)
  roundedRect(ctx, 1, 1, width - 2, height - 2, 6)
  ctx.fillStyle = swatch.fill
  ctx.fill()
  ctx.lineWidth = 1.5
  ctx.strokeStyle = '#ffffff'
  ctx.stroke()
  ctx.font = font
  ctx.fillStyle = swatch.text
  ctx.textAlign = 'center'
  ctx.textBaseline = 'middle'
  ctx.fillText(text, width / 2, height / 2 + 0.5)
  return ctx.getImageData(0, 0, ctx.canvas.width, ctx.canvas.height)
}

/** Dark text with a white halo, readable on any fill or basemap. */
function drawHaloText(text: string, ratio: number, options: { weight: number; colour: string; italic?: boolean }): ImageData {
  const font = `${options.italic ? 'italic ' : ''}${options.weight} ${FONT_PX}px ${FONT_FAMILY}`
  const halo = 3
  const height = FONT_PX + 8 + halo
  const width = Math.ceil(measure(text, font)) + halo * 2 + 2
  const ctx = context(Math.ceil(width * ratio), Math.ceil(height * ratio))
  ctx.scale(ratio, ratio)
  ctx.font = font
  ctx.textAlign = 'center'
  ctx.textBaseline = 'middle'
  ctx.lineJoin = 'round'
  ctx.lineWidth = halo
  ctx.strokeStyle = 'rgba(255, 255, 255, 0.92)'
  ctx.strokeText(text, width / 2, height / 2)
  ctx.fillStyle = options.colour
  ctx.fillText(text, width / 2, height / 2)
  return ctx.getImageData(0, 0, ctx.canvas.width, ctx.canvas.height)
}

/**
 * A rounded square (a camera is never a circle, which means a station) in the state's colour, with a
 * mark that tells the state apart without colour: ✓ online, ! degraded, × offline, ? unknown.
 */
function drawCamera(state: CameraMark, ratio: number): ImageData {
  const size = 20
  const swatch = CAMERA_SWATCH[state]
  const ctx = context(Math.ceil(size * ratio), Math.ceil(size * ratio))
  ctx.scale(ratio, ratio)
  roundedRect(ctx, 1.5, 1.5, size - 3, size - 3, 4)
  ctx.fillStyle = swatch.fill
  ctx.fill()
  ctx.lineWidth = 2
  ctx.strokeStyle = '#ffffff'
  ctx.stroke()

  ctx.strokeStyle = swatch.text
  ctx.fillStyle = swatch.text
  ctx.lineWidth = 2.2
  ctx.lineCap = 'round'
  ctx.lineJoin = 'round'
  const c = size / 2
  ctx.beginPath()
  switch (state) {
    case 'online':
      ctx.moveTo(c - 4.5, c + 0.5)
      ctx.lineTo(c - 1.2, c + 3.8)
      ctx.lineTo(c + 4.8, c - 3.5)
      ctx.stroke()
      break
    case 'degraded':
      ctx.moveTo(c, c - 5)
      ctx.lineTo(c, c + 1.5)
      ctx.stroke()
      ctx.beginPath()
      ctx.arc(c, c + 5, 1.4, 0, Math.PI * 2)
      ctx.fill()
      break
    case 'offline':
      ctx.moveTo(c - 4, c - 4)
      ctx.lineTo(c + 4, c + 4)
      ctx.moveTo(c + 4, c - 4)
      ctx.lineTo(c - 4, c + 4)
      ctx.stroke()
      break
    case 'unknown':
      ctx.font = `700 13px ${FONT_FAMILY}`
      ctx.textAlign = 'center'
      ctx.textBaseline = 'middle'
      ctx.fillText('?', c, c + 1)
      break
  }
  return ctx.getImageData(0, 0, ctx.canvas.width, ctx.canvas.height)
}

/** A value on the indicator map: bold dark text on a white pill, readable on the darkest class. */
function drawValue(text: string, ratio: number): ImageData {
  const font = `700 ${FONT_PX + 1}px ${FONT_FAMILY}`
  const padX = 5
  const height = 20
  const width = Math.ceil(measure(text, font)) + padX * 2
  const ctx = context(Math.ceil(width * ratio), Math.ceil(height * ratio))
  ctx.scale(ratio, ratio)
  roundedRect(ctx, 1, 1, width - 2, height - 2, 5)
  ctx.fillStyle = 'rgba(255, 255, 255, 0.94)'
  ctx.fill()
  ctx.lineWidth = 1
  ctx.strokeStyle = '#4b5563'
  ctx.stroke()
  ctx.font = font
  ctx.fillStyle = '#111827'
  ctx.textAlign = 'center'
  ctx.textBaseline = 'middle'
  ctx.fillText(text, width / 2, height / 2 + 0.5)
  return ctx.getImageData(0, 0, ctx.canvas.width, ctx.canvas.height)
}

/** Diagonal grey lines on a transparent tile: "no data", told apart from every class without colour. */
function drawHatch(ratio: number): ImageData {
  const size = 8
  const ctx = context(Math.ceil(size * ratio), Math.ceil(size * ratio))
  ctx.scale(ratio, ratio)
  ctx.fillStyle = '#eef0f3'
  ctx.fillRect(0, 0, size, size)
  ctx.strokeStyle = '#6b7280'
  ctx.lineWidth = 1.2
  ctx.beginPath()
  // Three strokes so the lines join across tile edges.
  for (const offset of [-size, 0, size]) {
    ctx.moveTo(offset, size)
    ctx.lineTo(offset + size, 0)
  }
  ctx.stroke()
  return ctx.getImageData(0, 0, ctx.canvas.width, ctx.canvas.height)
}

/**
 * How many stations a cluster holds, written on its circle (the map draws the circle in the level's
 * colour): bold, in the text colour that reads on that fill. Transparent around the digits.
 */
function drawClusterCount(level: StationLevel, text: string, ratio: number): ImageData {
  const font = `700 ${FONT_PX}px ${FONT_FAMILY}`
  const height = FONT_PX + 4
  const width = Math.ceil(measure(text, font)) + 2
  const ctx = context(Math.ceil(width * ratio), Math.ceil(height * ratio))
  ctx.scale(ratio, ratio)
  ctx.font = font
  ctx.fillStyle = LEVEL_SWATCH[level].text
  ctx.textAlign = 'center'
  ctx.textBaseline = 'middle'
  ctx.fillText(text, width / 2, height / 2 + 0.5)
  return ctx.getImageData(0, 0, ctx.canvas.width, ctx.canvas.height)
}

const LEVEL_OF_VARIANT: Partial<Record<LabelVariant, StationLevel>> = {
  'level-1': -1,
  level0: 0,
  level1: 1,
  level2: 2,
  level3: 3,
}

const LEVEL_OF_CLUSTER: Partial<Record<LabelVariant, StationLevel>> = {
  'cluster-1': -1,
  cluster0: 0,
  cluster1: 1,
  cluster2: 2,
  cluster3: 3,
}

/**
 * Draws one small label of each weight the map uses, and throws them away. A page's first text drawn
 * on a canvas costs far more than any later one (Chromium sets up its glyph rendering and loads the
 * faces: 100–250 ms here, against about 1 ms a label after); done while the page waits for its data,
 * that cost is off the way to the first stations drawn.
 */
export function warmUpLabelImages(ratio: number): void {
  drawMapImage({ kind: 'label', variant: 'level0', text: '0 cm' }, ratio)
  drawMapImage({ kind: 'label', variant: 'area', text: 'Phường' }, ratio)
  drawMapImage({ kind: 'label', variant: 'name', text: 'Trạm' }, ratio)
}

/** The image for a spec, drawn at `ratio` device pixels per CSS pixel. */
export function drawMapImage(spec: ImageSpec, ratio: number): ImageData {
  if (spec.kind === 'camera') return drawCamera(spec.state, ratio)
  if (spec.kind === 'hatch') return drawHatch(ratio)
  if (spec.variant === 'value') return drawValue(spec.text, ratio)
  if (spec.variant === 'novalue') return drawHaloText(spec.text, ratio, { weight: 500, colour: '#374151', italic: true })
  const level = LEVEL_OF_VARIANT[spec.variant]
  if (level !== undefined) return drawBadge(level, spec.text, ratio)
  const clusterLevel = LEVEL_OF_CLUSTER[spec.variant]
  if (clusterLevel !== undefined) return drawClusterCount(clusterLevel, spec.text, ratio)
  if (spec.variant === 'name') return drawHaloText(spec.text, ratio, { weight: 600, colour: '#111827' })
  return drawHaloText(spec.text, ratio, { weight: 500, colour: '#4b5563', italic: true })
}
