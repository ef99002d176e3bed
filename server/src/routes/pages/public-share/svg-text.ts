import { metrics, type FontMetrics } from './font.ts'

/**
 * Text made safe for SVG/XML/HTML text and attribute values: the five markup characters escaped, and
 * the control characters XML 1.0 forbids dropped (a stray one in a city pack would make the whole
 * document unreadable to resvg).
 */
export function escapeXml(text: string): string {
  return text
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

export interface FitOptions {
  maxWidth: number
  /** Largest font size tried first, then down in steps of 2 px to `minSize`. */
  maxSize: number
  minSize: number
  maxLines: number
  /** Keep to one line down to this size before wrapping: a lone last word on a line of its own reads badly. */
  oneLineMinSize?: number
  bold?: boolean
}
export interface Fitted {
  size: number
  lines: string[]
}

function wrap(words: string[], font: FontMetrics, size: number, maxWidth: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of words) {
    const candidate = line ? `${line} ${word}` : word
    if (line && font.width(candidate, size) > maxWidth) {
      lines.push(line)
      line = word
    } else line = candidate
  }
  if (line) lines.push(line)
  return lines
}

function ellipsize(text: string, font: FontMetrics, size: number, maxWidth: number): string {
  if (font.width(text, size) <= maxWidth) return text
  const chars = [...text]
  while (chars.length > 1 && font.width(`${chars.join('').trimEnd()}…`, size) > maxWidth) chars.pop()
  return `${chars.join('').trimEnd()}…`
}

/**
 * The largest size at which `text` fits `maxWidth` in at most `maxLines` lines (wrapped at spaces);
 * past the smallest size, the last line is cut with "…". Widths come from the font's own metrics, so
 * a long Vietnamese name never runs off the image.
 */
export function fitText(text: string, options: FitOptions): Fitted {
  const font = options.bold ? metrics().bold : metrics().regular
  const words = text.normalize('NFC').trim().split(/\s+/).filter(Boolean)
  for (let size = options.maxSize; options.oneLineMinSize !== undefined && size >= options.oneLineMinSize; size -= 2) {
    if (font.width(words.join(' '), size) <= options.maxWidth) return { size, lines: [words.join(' ')] }
  }
  for (let size = options.maxSize; size >= options.minSize; size -= 2) {
    const lines = options.maxLines === 1 ? [words.join(' ')] : wrap(words, font, size, options.maxWidth)
    if (lines.length <= options.maxLines && lines.every((l) => font.width(l, size) <= options.maxWidth)) return { size, lines }
  }
  const size = options.minSize
  const lines = wrap(words, font, size, options.maxWidth)
  const kept = lines.slice(0, options.maxLines)
  kept[kept.length - 1] = ellipsize(lines.slice(options.maxLines - 1).join(' '), font, size, options.maxWidth)
  return { size, lines: kept.map((l, i) => (i < kept.length - 1 ? ellipsize(l, font, size, options.maxWidth) : l)) }
}

/** Width of `text` in the share images' font. */
export const textWidth = (text: string, size: number, bold = false) => (bold ? metrics().bold : metrics().regular).width(text, size)

/** `<text>` elements for fitted lines, first baseline at `y`, each next one `lineHeight` × size lower. */
export function textLines(fitted: Fitted, x: number, y: number, attributes: string, lineHeight = 1.18): string {
  return fitted.lines
    .map((line, i) => `<text x="${x}" y="${Math.round(y + i * fitted.size * lineHeight)}" font-size="${fitted.size}" ${attributes}>${escapeXml(line)}</text>`)
    .join('')
}
