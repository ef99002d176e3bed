import { renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js'
import { FONT_FAMILY, FONT_FILES } from './font.ts'
import { encodeIndexedPng } from './indexed-png.ts'

const OPTIONS: ResvgRenderOptions = {
  // Only the shipped font: what is drawn does not depend on what the machine has installed.
  font: { loadSystemFonts: false, fontFiles: [FONT_FILES.regular, FONT_FILES.bold], defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
  fitTo: { mode: 'original' },
  logLevel: 'off',
}

/**
 * Renders an SVG to PNG with resvg, on libuv's thread pool rather than the event loop; written as a
 * palette PNG when it has at most 256 colours (see indexed-png.ts), as resvg's RGBA PNG otherwise.
 */
export async function renderPng(svg: string): Promise<Buffer> {
  const image = await renderAsync(svg, OPTIONS)
  return (await encodeIndexedPng(image.pixels, image.width, image.height, { premultiplied: true })) ?? image.asPng()
}

/**
 * PNGs memoised by the SVG they are drawn from. The SVG holds exactly what the image shows — the
 * point, its level, the reading rounded to the centimetre, the reading's minute — so a burst of chat
 * crawlers asking for the same preview costs one render, concurrent asks share it, and no query
 * string can make a new one. At most `max` kept; the oldest goes first.
 */
export function createPngCache(max: number, render: (svg: string) => Promise<Buffer> = renderPng) {
  const kept = new Map<string, Promise<Buffer>>()
  let renders = 0
  return {
    get(svg: string): Promise<Buffer> {
      const hit = kept.get(svg)
      if (hit) {
        // Most recently used last: what is asked for keeps its place.
        kept.delete(svg)
        kept.set(svg, hit)
        return hit
      }
      renders++
      const png = render(svg)
      kept.set(svg, png)
      png.catch(() => {
        if (kept.get(svg) === png) kept.delete(svg)
      })
      while (kept.size > max) kept.delete(kept.keys().next().value!)
      return png
    },
    /** How many renders were started: what tests and the bench read. */
    get renders() {
      return renders
    },
    get size() {
      return kept.size
    },
  }
}
export type PngCache = ReturnType<typeof createPngCache>
