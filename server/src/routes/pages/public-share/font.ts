import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

/**
 * The one typeface of the share images and icons: DejaVu Sans (Bitstream Vera licence, free to
 * redistribute; package `dejavu-fonts-ttf`), TrueType as resvg wants, with every Vietnamese letter
 * precomposed. Shipped through npm: a fresh machine has no system fonts to rely on, and resvg is told
 * not to look for any, so an image looks the same on every machine.
 */
const require = createRequire(import.meta.url)
export const FONT_FAMILY = 'DejaVu Sans'
export const FONT_FILES = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
} as const

/** Advance widths of one TrueType font, read from its `cmap` (format 4) and `hmtx` tables. */
export interface FontMetrics {
  /** Width of `text` at `size` px, kerning aside (a few per cent at most for these texts). */
  width(text: string, size: number): number
  /** Whether the font draws this character itself (rather than its "missing glyph" box). */
  hasGlyph(char: string): boolean
}

export function readMetrics(file: string): FontMetrics {
  const font = readFileSync(file)
  const tables = new Map<string, number>()
  const numTables = font.readUInt16BE(4)
  for (let i = 0; i < numTables; i++) {
    const at = 12 + i * 16
    tables.set(font.toString('latin1', at, at + 4), font.readUInt32BE(at + 8))
  }
  const table = (tag: string) => {
    const at = tables.get(tag)
    if (at === undefined) throw new Error(`${file}: no ${tag} table`)
    return at
  }
  const unitsPerEm = font.readUInt16BE(table('head') + 18)
  const numberOfHMetrics = font.readUInt16BE(table('hhea') + 34)
  const hmtx = table('hmtx')
  const advanceOfGlyph = (glyph: number) => font.readUInt16BE(hmtx + 4 * Math.min(glyph, numberOfHMetrics - 1))

  // The Unicode BMP subtable (platform 3, encoding 1, format 4): Vietnamese is all in the BMP.
  const cmap = table('cmap')
  let sub = -1
  for (let i = 0; i < font.readUInt16BE(cmap + 2); i++) {
    const at = cmap + 4 + i * 8
    const offset = cmap + font.readUInt32BE(at + 4)
    if (font.readUInt16BE(at) === 3 && font.readUInt16BE(at + 2) === 1 && font.readUInt16BE(offset) === 4) sub = offset
  }
  if (sub < 0) throw new Error(`${file}: no Unicode BMP cmap`)
  const segCount = font.readUInt16BE(sub + 6) / 2
  const ends = sub + 14
  const starts = ends + segCount * 2 + 2
  const deltas = starts + segCount * 2
  const rangeOffsets = deltas + segCount * 2
  function glyphOf(code: number): number {
    for (let s = 0; s < segCount; s++) {
      if (code > font.readUInt16BE(ends + s * 2)) continue
      const start = font.readUInt16BE(starts + s * 2)
      if (code < start) return 0
      const delta = font.readUInt16BE(deltas + s * 2)
      const rangeAt = rangeOffsets + s * 2
      const rangeOffset = font.readUInt16BE(rangeAt)
      if (rangeOffset === 0) return (code + delta) & 0xffff
      const glyph = font.readUInt16BE(rangeAt + rangeOffset + (code - start) * 2)
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff
    }
    return 0
  }

  const cache = new Map<number, number>()
  const advance = (code: number) => {
    let units = cache.get(code)
    if (units === undefined) {
      units = code > 0xffff ? unitsPerEm : advanceOfGlyph(glyphOf(code))
      cache.set(code, units)
    }
    return units
  }
  return {
    hasGlyph: (char) => glyphOf(char.codePointAt(0)!) !== 0,
    width(text, size) {
      let units = 0
      for (const char of text.normalize('NFC')) units += advance(char.codePointAt(0)!)
      return (units / unitsPerEm) * size
    },
  }
}

let loaded: { regular: FontMetrics; bold: FontMetrics } | undefined
/** Both weights' metrics, read once. */
export function metrics() {
  loaded ??= { regular: readMetrics(FONT_FILES.regular), bold: readMetrics(FONT_FILES.bold) }
  return loaded
}
