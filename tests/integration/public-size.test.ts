import { existsSync, readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

/**
 * The public flood page's budget (issues #9 and #20): what a cheap phone downloads before the page
 * works — the JavaScript `public.html` loads at start (its module script and the chunks it preloads) —
 * is at most 35 KB gzipped, and none of it is MapLibre, which loads only when the reader asks for the
 * map. Measured on the build output (`pnpm test` builds first), not timed; `pnpm bench --only phone`
 * measures what that costs on 2G.
 */
const BUDGET_BYTES = 35 * 1024
/** Class names only MapLibre's code carries. */
const MAPLIBRE_MARKERS = ['maplibregl-canvas', 'maplibregl-map']

const dist = fileURLToPath(new URL('../../web/dist/', import.meta.url))

function startupScripts(html: string): string[] {
  const scripts = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!)
  const preloads = [...html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)].map((m) => m[1]!)
  return [...new Set([...scripts, ...preloads])]
}

describe('public flood page size budget', () => {
  const htmlPath = `${dist}public.html`
  if (!existsSync(htmlPath)) throw new Error(`${htmlPath} is missing: run \`pnpm build\` first (\`pnpm test\` does)`)
  const html = readFileSync(htmlPath, 'utf8')
  const files = startupScripts(html).map((src) => {
    const path = `${dist}${src.replace(/^\//, '')}`
    if (!existsSync(path)) throw new Error(`public.html loads ${src}, which is not in web/dist`)
    const code = readFileSync(path)
    return { src, code: code.toString('utf8'), gzipBytes: gzipSync(code, { level: 9 }).length }
  })
  const report = files.map((f) => `  ${f.src}: ${(f.gzipBytes / 1024).toFixed(1)} KB gzipped`).join('\n')
  const total = files.reduce((sum, f) => sum + f.gzipBytes, 0)

  it(`loads at most ${BUDGET_BYTES / 1024} KB of gzipped JavaScript at start`, () => {
    expect(files.length, 'public.html loads no script').toBeGreaterThan(0)
    console.info(`public page JavaScript at start: ${(total / 1024).toFixed(1)} KB gzipped\n${report}`)
    expect(total, `over budget:\n${report}`).toBeLessThanOrEqual(BUDGET_BYTES)
  })

  it('loads no MapLibre code at start (the map is fetched when asked for)', () => {
    for (const file of files) {
      for (const marker of MAPLIBRE_MARKERS) expect(file.code.includes(marker), `${file.src} contains MapLibre ("${marker}")`).toBe(false)
    }
  })

  it('has no inline script (the CSP allows scripts from the origin only) and keeps the placeholders the server fills', () => {
    // The one script element without a source is data (the levels' snapshot), which a browser never runs.
    const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>/g)].map((m) => m[0])
    expect(inline).toEqual(['<script type="application/json" id="flood-snapshot">'])
    for (const placeholder of ['%OG_TITLE%', '%OG_DESCRIPTION%', '%OG_URL%', '%OG_IMAGE%', '%PUBLIC_LEVELS%', '%FLOOD_SNAPSHOT%']) expect(html).toContain(placeholder)
  })
})
