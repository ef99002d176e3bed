/**
 * Phone: the public flood page (`/muc-nuoc`, no login) on a cheap phone over a 2G link. How long a
 * citizen waits until every flood point's level is readable, with and without JavaScript; how much JS
 * the page loads (gzip -9) against its 35 kB budget; how many bytes a cold load transfers. Measured on
 * behaviour only — "a visible `.point .value` with text for every station that has a reading" — so it
 * holds for a client-rendered page and for a server-rendered one alike.
 */
import { existsSync, readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { gzipSync } from 'node:zlib'
import type { Browser, Page } from 'playwright-core'
import type { CityPack, PublicFloodResponse } from '@ioc/shared'
import { resolveCityPack } from '@ioc/shared/city-packs/node'
import { startSimulation } from '@ioc/simulators'
import { launchChromium } from '../../helpers/browser.ts'
import { REPO_ROOT, startServerProcess, type ServerProcess } from '../../helpers/processes.ts'
import type { Figure, Suite } from '../lib/report.ts'
import { median } from '../lib/stats.ts'

const WEB_DIST = `${REPO_ROOT}web/dist`
const PAGE_PATH = '/muc-nuoc'
/** The city the page normally shows (8 stations). */
const CITY = 'tam-ky'
/** A cheap phone (as tests/e2e/public.test.ts). */
const PHONE = { width: 360, height: 740 }
/** Cold loads per variant (2G / unthrottled × JavaScript on / off), interleaved round by round. */
const ROUNDS = { full: 5, quick: 3 }
/** The 2G profile: 250 kbit/s down, 100 kbit/s up, 300 ms added to every request (Chromium's network emulation). */
const SLOW_2G = { offline: false, latency: 300, downloadThroughput: (250 * 1024) / 8, uploadThroughput: (100 * 1024) / 8 }
const TARGET = { readableMs: 3000, jsKB: 35 }
/** How often the page is looked at while it loads: the resolution of the times measured. */
const POLL_MS = 20
const TIMEOUT = { publishMs: 30_000, apiMs: 30_000, requestMs: 10_000, loadMs: { throttled: 120_000, fast: 30_000 }, paintEntryMs: 10_000 }

interface Readable {
  readableMs: number | null
  texts: string[]
  body?: string
}

/** What the page shows at one look (LEVELS_SCRIPT). */
interface Look {
  /** Navigation-relative time of the look. */
  nowMs: number
  /** Every stylesheet the document links has arrived (or failed): nothing holds its rendering back. */
  styled: boolean
  /** The visible, non-empty `.point .value` texts. */
  texts: string[]
  readyState: string
  body: string
}

/**
 * One look at the page, evaluated from Node (a DevTools evaluation: it works with the page's
 * JavaScript disabled, where no timer or animation frame of ours would run, and under the page's
 * CSP). The levels are readable when the page may render (its stylesheets are in: before, Chromium
 * holds rendering back, though layout already answers) and at least `count` `.point .value` elements
 * have text and are rendered and visible (a box, CSS visibility, opacity).
 */
const LEVELS_SCRIPT = `(() => {
  const loaded = new Set(performance.getEntriesByType('resource').map((e) => e.name))
  const styled = [...document.querySelectorAll('link[rel~="stylesheet"]')].every((link) => link.sheet !== null || link.disabled || loaded.has(link.href) || (link.media !== '' && !matchMedia(link.media).matches))
  const texts = [...document.querySelectorAll('.point .value')]
    .filter((el) => {
      if (el.textContent.trim() === '') return false
      const box = el.getBoundingClientRect()
      return box.width > 0 && box.height > 0 && el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })
    })
    .map((el) => el.textContent.trim())
  return { nowMs: performance.now(), styled, texts, readyState: document.readyState, body: (document.body?.innerText ?? '').trim().replace(/\\s+/g, ' ').slice(0, 160) }
})()`

/**
 * Looks at the page every POLL_MS from the navigation's commit until the levels are readable.
 * JavaScript off: a page loaded (and styled) without them never will be, so that is the answer then.
 */
async function whenReadable(page: Page, count: number, giveUpAtLoad: boolean, deadline: number): Promise<Readable> {
  for (;;) {
    const look = (await page.evaluate(LEVELS_SCRIPT).catch((error: Error) => {
      // A document replaced while we looked (a reload by the page itself): look at the new one.
      if (/context was destroyed|navigat/i.test(error.message)) return null
      throw error
    })) as Look | null
    if (look) {
      if (look.styled && look.texts.length >= count) return { readableMs: look.nowMs, texts: look.texts }
      if (giveUpAtLoad && look.styled && look.readyState === 'complete') return { readableMs: null, texts: look.texts, body: look.body }
      if (performance.now() > deadline) {
        throw new Error(`${look.texts.length} of ${count} levels visible${look.styled ? '' : ', stylesheets still loading'}, document ${look.readyState}; the page shows: "${look.body}"`)
      }
    } else if (performance.now() > deadline) throw new Error('the document kept being replaced')
    await sleep(POLL_MS)
  }
}

/** Runs in the page: whether the first contentful paint has been recorded. */
function firstPaintRecorded(): boolean {
  const { performance } = globalThis as unknown as { performance: { getEntriesByName(name: string): unknown[] } }
  return performance.getEntriesByName('first-contentful-paint').length > 0
}

/** What the page's own clock says about the load: paints, load event, every resource (Resource Timing). */
const LOAD_FACTS_SCRIPT = `(() => {
  const nav = performance.getEntriesByType('navigation')[0]
  const entry = (e) => ({ url: e.name, type: e.initiatorType, startMs: e.startTime, responseStartMs: e.responseStart, endMs: e.responseEnd, transfer: e.transferSize, encoded: e.encodedBodySize, decoded: e.decodedBodySize, blocking: e.renderBlockingStatus ?? null })
  return {
    fcpMs: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
    loadMs: nav && nav.loadEventEnd > 0 ? nav.loadEventEnd : null,
    resources: [entry(nav), ...performance.getEntriesByType('resource').map(entry)],
  }
})()`

interface Resource {
  url: string
  type: string
  startMs: number
  responseStartMs: number
  endMs: number
  /** Bytes over the wire, headers included (0 when served from a cache). */
  transfer: number
  encoded: number
  decoded: number
  /** Chromium's `renderBlockingStatus`: 'blocking' for what holds back the first paint. */
  blocking: string | null
}

interface Load {
  /** Navigation start → levels readable; null when the page finished loading without them (JavaScript off). */
  readableMs: number | null
  fcpMs: number | null
  loadMs: number | null
  resources: Resource[]
  /** The visible `.point .value` texts at that moment. */
  texts: string[]
  /** What the page said instead, when not readable. */
  body?: string
}

interface Variant {
  throttled: boolean
  javaScript: boolean
}

const kB = (bytes: number) => Math.round(bytes / 100) / 10
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`
const gzip9 = (data: Buffer | string) => gzipSync(data, { level: 9 }).length
const describeVariant = ({ throttled, javaScript }: Variant) => `${throttled ? '2G' : 'unthrottled'}, JavaScript ${javaScript ? 'on' : 'off'}`

/** Rejects with `message` if `promise` has not settled within `ms`. */
async function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} (after ${ms / 1000} s)`)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * 2. The scripts web/dist/public.html loads before anything is on screen: module and classic
 * `<script src>`, `modulepreload` links, and inline scripts (data blocks excepted), gzip -9 each as a
 * server would send them. What the page imports later on demand (the map) is not counted.
 */
function publicScripts(): { files: string[]; inline: number; bytes: number } {
  const html = readFileSync(`${WEB_DIST}/public.html`, 'utf8')
  const local = (ref: string) => !/^(?:[a-z]+:)?\/\//i.test(ref)
  const files = [
    ...[...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/gi)].map((m) => m[1]!),
    ...[...html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/gi)].map((m) => m[1]!),
    ...[...html.matchAll(/<link\b[^>]*\bhref="([^"]+)"[^>]*\brel="modulepreload"/gi)].map((m) => m[1]!),
  ]
    .filter(local)
    .map((ref) => ref.replace(/^\.?\//, '').replace(/[?#].*$/, ''))
  const unique = [...new Set(files)]
  const inlineScripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)].filter(([, attributes, body]) => {
    if (/\bsrc=/i.test(attributes!) || body!.trim() === '') return false
    const type = /\btype="([^"]*)"/i.exec(attributes!)?.[1]?.toLowerCase()
    return type === undefined || type === 'module' || type === 'text/javascript' || type === 'application/javascript'
  })
  const bytes = unique.reduce((sum, file) => sum + gzip9(readFileSync(`${WEB_DIST}/${file}`)), 0) + inlineScripts.reduce((sum, m) => sum + gzip9(m[2]!), 0)
  return { files: unique, inline: inlineScripts.length, bytes }
}

/** One reading per station, then waits until the public API (what the page shows) serves every one of them. */
async function publishOneReadingEach(server: ServerProcess, pack: CityPack): Promise<PublicFloodResponse> {
  const count = pack.stations.length
  const simulation = await startSimulation({ url: server.mqttUrl, scenario: 'load', pack, count })
  try {
    await within(simulation.done, TIMEOUT.publishMs, `publishing ${count} readings did not finish`)
  } finally {
    await simulation.stop()
  }
  // The answer is cached for up to 5 s: poll until it has caught up (well under the 300/min limit).
  const deadline = Date.now() + TIMEOUT.apiMs
  for (;;) {
    const response = await fetch(`${server.baseUrl}/api/public/flood`, { signal: AbortSignal.timeout(TIMEOUT.requestMs) })
    if (response.ok) {
      const flood = (await response.json()) as PublicFloodResponse
      const withReading = flood.points.filter((p) => p.latest !== null).length
      if (withReading === count) return flood
      if (Date.now() > deadline) throw new Error(`${PAGE_PATH}'s API shows a reading for ${withReading} of ${count} stations ${TIMEOUT.apiMs / 1000} s after publishing`)
    } else if (Date.now() > deadline) throw new Error(`GET /api/public/flood answered ${response.status}`)
    await sleep(250)
  }
}

/** One cold load of the page: a fresh context (empty cache, no service worker), optionally on 2G, optionally without JavaScript. */
async function loadPage(browser: Browser, url: string, count: number, variant: Variant): Promise<Load> {
  const timeoutMs = variant.throttled ? TIMEOUT.loadMs.throttled : TIMEOUT.loadMs.fast
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, javaScriptEnabled: variant.javaScript })
  try {
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    const cdp = await context.newCDPSession(page)
    await cdp.send('Network.enable')
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: false })
    if (variant.throttled) await cdp.send('Network.emulateNetworkConditions', SLOW_2G)

    const started = performance.now()
    await page.goto(url, { waitUntil: 'commit', timeout: timeoutMs })
    const readable = await whenReadable(page, count, !variant.javaScript, started + timeoutMs).catch((error: Error) => {
      throw new Error(`${describeVariant(variant)}: the levels of ${count} points were not readable within ${timeoutMs / 1000} s of opening ${url}: ${error.message}${errors.length > 0 ? `; page errors: ${errors.join(' | ')}` : ''}`, { cause: error })
    })
    // The whole load: its load event, whatever came first; then the first paint's entry, which Chromium
    // adds once the frame has been presented (on this machine's software raster, often well after layout).
    await page.waitForLoadState('load', { timeout: Math.max(1000, timeoutMs - (performance.now() - started)) })
    await page.waitForFunction(firstPaintRecorded, undefined, { polling: 50, timeout: TIMEOUT.paintEntryMs }).catch(() => undefined)
    const facts = (await page.evaluate(LOAD_FACTS_SCRIPT)) as Omit<Load, 'readableMs' | 'texts'>
    return { ...facts, ...readable }
  } finally {
    await context.close()
  }
}

/** The cm values of `texts` ("182 cm", "182,5 cm") against the readings the API serves: every reading must be among them. */
function missingLevels(texts: string[], flood: PublicFloodResponse): number[] {
  const shown = texts.map((text) => Number(text.replace(/[^\d,.-]/g, '').replace(',', '.')))
  return flood.points
    .filter((p) => p.latest !== null)
    .map((p) => p.latest!.waterLevelCm)
    .filter((cm) => {
      const at = shown.findIndex((value) => Math.abs(value - cm) <= 0.5)
      if (at < 0) return true
      shown.splice(at, 1)
      return false
    })
}

/** Resources whose bodies the "gzipped" baseline recompresses: what a GET fetches again (not socket.io's polls). */
const recompressible = (r: Resource) => r.transfer > 0 && r.encoded > 0 && !new URL(r.url).pathname.startsWith('/socket.io/')

/**
 * gzip -9 size of each response body the loads fetched, fetched again one at a time from Node (the
 * server sends them uncompressed to it as to Chromium). Null for a URL that does not answer 200.
 */
async function gzippedBodies(resources: Resource[]): Promise<Map<string, number | null>> {
  const sizes = new Map<string, number | null>()
  for (const url of new Set(resources.filter(recompressible).map((r) => r.url))) {
    const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT.requestMs) })
    const body = Buffer.from(await response.arrayBuffer())
    sizes.set(url, response.status === 200 ? gzip9(body) : null)
  }
  return sizes
}

/** The bytes of a load, and the same load with every response body gzip -9 (headers as sent; a body that could not be fetched again counts as sent). */
function transferredBytes(resources: Resource[], gzipped: Map<string, number | null>): { bytes: number; gzipped: number } {
  let bytes = 0
  let smaller = 0
  for (const r of resources) {
    bytes += r.transfer
    const size = recompressible(r) ? gzipped.get(r.url) : null
    smaller += size == null ? r.transfer : r.transfer - r.encoded + Math.min(r.encoded, size)
  }
  return { bytes, gzipped: smaller }
}

/** One line per resource of a load: when it started and finished (navigation-relative), its bytes, and whether it blocked the first paint. */
function breakdown(load: Load): string[] {
  return load.resources
    .toSorted((a, b) => a.startMs - b.startMs)
    .map((r) => {
      const { pathname } = new URL(r.url)
      const name = pathname.startsWith('/socket.io/') ? '/socket.io/ (poll)' : pathname
      const what = `  ${name} [${r.type}${r.blocking === 'blocking' ? ', render-blocking' : ''}]`
      if (r.transfer === 0 && r.decoded === 0) return `${what} not fetched`
      const encoding = r.encoded < r.decoded ? `, ${kB(r.decoded)} kB decoded` : ', not compressed'
      return `${what} ${r.startMs.toFixed(0)}–${r.endMs.toFixed(0)} ms, ${kB(r.transfer)} kB transferred${encoding}`
    })
}

export const publicPhoneSuite: Suite = async ({ quick, log }) => {
  if (!existsSync(`${WEB_DIST}/public.html`)) throw new Error('web/dist/public.html is missing: run `pnpm build` first (`pnpm bench` does)')
  const scripts = publicScripts()
  if (scripts.files.length + scripts.inline === 0) log('web/dist/public.html references no script at all')
  log(`public page JS: ${kB(scripts.bytes)} kB gz in ${scripts.files.join(', ') || 'no file'}${scripts.inline > 0 ? ` + ${scripts.inline} inline script(s)` : ''}`)

  const rounds = quick ? ROUNDS.quick : ROUNDS.full
  const pack = resolveCityPack(CITY)
  let browser: Browser | undefined
  let server: ServerProcess | undefined
  try {
    // Started together (nothing is measured yet); both are stopped below whatever happens.
    const [launched, started] = await Promise.allSettled([launchChromium(), startServerProcess({ city: CITY })])
    if (launched.status === 'fulfilled') browser = launched.value
    if (started.status === 'fulfilled') server = started.value
    if (launched.status === 'rejected') throw launched.reason
    if (started.status === 'rejected') throw started.reason
    if (!browser || !server) throw new Error('unreachable')

    const flood = await publishOneReadingEach(server, pack)
    const count = flood.points.filter((p) => p.latest !== null).length
    const url = `${server.baseUrl}${PAGE_PATH}`

    const variants = {
      slow: { throttled: true, javaScript: true },
      fast: { throttled: false, javaScript: true },
      slowNoJs: { throttled: true, javaScript: false },
      fastNoJs: { throttled: false, javaScript: false },
    } satisfies Record<string, Variant>
    const loads: Record<keyof typeof variants, Load[]> = { slow: [], fast: [], slowNoJs: [], fastNoJs: [] }
    // Round by round, so the machine's ups and downs fall on every variant alike.
    for (let round = 0; round < rounds; round++) {
      for (const [key, variant] of Object.entries(variants) as Array<[keyof typeof variants, Variant]>) {
        const load = await loadPage(browser, url, count, variant)
        loads[key].push(load)
        if (round === 0) {
          log(`${describeVariant(variant)}: ${load.readableMs === null ? `levels NOT readable (the page shows: "${load.body ?? ''}")` : `levels readable at ${seconds(load.readableMs)}`}; first paint ${load.fcpMs === null ? '—' : seconds(load.fcpMs)}, load event ${load.loadMs === null ? '—' : seconds(load.loadMs)}`)
          if (variant.throttled) for (const line of breakdown(load)) log(line)
          if (load.texts.length > 0) log(`  levels shown: ${load.texts.join(' · ')}`)
        }
      }
    }

    const readable = (list: Load[]) => list.map((l) => l.readableMs).filter((ms): ms is number => ms !== null)
    const slow = readable(loads.slow)
    const fast = readable(loads.fast)
    const slowNoJs = readable(loads.slowNoJs)
    const fastNoJs = readable(loads.fastNoJs)
    const fcp = loads.slow.map((l) => l.fcpMs).filter((ms): ms is number => ms !== null)
    const fcpNoJs = loads.slowNoJs.map((l) => l.fcpMs).filter((ms): ms is number => ms !== null)
    const wrong = missingLevels(loads.slow[0]!.texts, flood)
    for (const [key, variant] of Object.entries(variants) as Array<[keyof typeof variants, Variant]>) {
      const list = loads[key]
      const paints = list.map((l) => l.fcpMs).filter((ms): ms is number => ms !== null)
      log(
        `${describeVariant(variant)}: levels readable at ${list.map((l) => (l.readableMs === null ? 'never' : l.readableMs.toFixed(0))).join(', ')} ms; ` +
          `first paint ${paints.length > 0 ? `median ${median(paints).toFixed(0)} ms` : 'not recorded'}`,
      )
    }
    if (wrong.length > 0) log(`the page's visible values (${loads.slow[0]!.texts.join(', ')}) lack the API's ${wrong.join(', ')} cm`)

    const bodies = await gzippedBodies(loads.slow.flatMap((l) => l.resources))
    const unfetched = [...bodies].filter(([, size]) => size === null).map(([url]) => new URL(url).pathname)
    if (unfetched.length > 0) log(`could not fetch again for the gzip baseline (counted as sent): ${unfetched.join(', ')}`)
    const transfers = loads.slow.map((l) => transferredBytes(l.resources, bodies))
    log(`2G loads transferred ${transfers.map((t) => kB(t.bytes)).join(', ')} kB; with gzip -9 bodies ${transfers.map((t) => kB(t.gzipped)).join(', ')} kB`)
    const bytes = median(transfers.map((t) => t.bytes))
    const gzipped = median(transfers.map((t) => t.gzipped))
    const first = loads.slow[0]!
    const biggest = first.resources
      .filter((r) => r.transfer > 0)
      .toSorted((a, b) => b.transfer - a.transfer)
      .slice(0, 3)
      .map((r) => `${new URL(r.url).pathname.replace(/^\/assets\//, '')} ${kB(r.transfer)} kB`)
      .join(', ')

    const goal = `goal: levels readable ≤ ${TARGET.readableMs / 1000} s on 2G (250 kbit/s down, 100 up, 300 ms latency), JS ≤ ${TARGET.jsKB} kB gz`
    const sameLoads = `${rounds} cold loads each (fresh context, 360×740), 2G and unthrottled interleaved`
    const figures: Figure[] = [
      {
        name: `phone · 2G → levels readable (${count} points), median`,
        value: median(slow),
        unit: 'ms',
        baseline: median(fast),
        ratio: median(slow) / median(fast),
        target: `≤ ${TARGET.readableMs} ms`,
        note:
          `navigation start → the first look (every ${POLL_MS} ms) with the stylesheets in and a visible, non-empty .point .value for each of the ${count} points with a reading; ${sameLoads}; baseline: the same without throttling. ` +
          `First contentful paint (presentation, after software raster here) ${fcp.length > 0 ? `${median(fcp).toFixed(0)} ms` : 'not recorded'} (median, 2G)${wrong.length > 0 ? `; WARNING: values shown do not match the API's (${wrong.join(', ')} cm missing)` : ''}. ${goal}`,
      },
      {
        name: `phone · 2G → levels readable (${count} points), max`,
        value: Math.max(...slow),
        unit: 'ms',
        baseline: Math.max(...fast),
        ratio: Math.max(...slow) / Math.max(...fast),
        target: `≤ ${TARGET.readableMs} ms`,
        note: `the slowest of the ${rounds} 2G loads; baseline: the slowest unthrottled one`,
      },
    ]
    const noJsReadable = slowNoJs.length === rounds
    figures.push(
      noJsReadable
        ? {
            name: `phone · 2G, JavaScript off → levels readable (${count} points), median`,
            value: median(slowNoJs),
            unit: 'ms',
            baseline: fastNoJs.length === rounds ? median(fastNoJs) : undefined,
            ratio: fastNoJs.length === rounds ? median(slowNoJs) / median(fastNoJs) : undefined,
            target: `≤ ${TARGET.readableMs} ms`,
            note: `the same loads in a context with JavaScript disabled (max ${Math.max(...slowNoJs).toFixed(0)} ms; first contentful paint ${fcpNoJs.length > 0 ? `${median(fcpNoJs).toFixed(0)} ms` : 'not recorded'}); baseline: the same without throttling; with JavaScript the 2G median is ${median(slow).toFixed(0)} ms`,
          }
        : {
            // A Figure's value is a number: NaN prints as "NaN" in the table and as null in latest.json.
            name: `phone · 2G, JavaScript off → levels readable (${count} points), median`,
            value: Number.NaN,
            unit: 'ms',
            target: `≤ ${TARGET.readableMs} ms`,
            note: `NOT READABLE: with JavaScript disabled the page finished loading without the levels in ${rounds - slowNoJs.length} of ${rounds} loads (it shows: "${loads.slowNoJs.find((l) => l.readableMs === null)?.body ?? ''}"); value NaN (null in latest.json)`,
          },
      {
        name: 'phone · public page JS, gzip -9',
        value: kB(scripts.bytes),
        unit: 'kB',
        baseline: TARGET.jsKB,
        ratio: kB(scripts.bytes) / TARGET.jsKB,
        target: `≤ ${TARGET.jsKB} kB`,
        note: `${scripts.files.length} file(s) web/dist/public.html loads (module scripts and modulepreloads${scripts.inline > 0 ? `, + ${scripts.inline} inline script(s)` : ''}), not the map loaded on demand; baseline: the ${TARGET.jsKB} kB budget`,
      },
      {
        name: 'phone · bytes transferred, cold 2G load',
        value: kB(bytes),
        unit: 'kB',
        baseline: kB(gzipped),
        ratio: bytes / gzipped,
        note: `median over the 2G loads of Resource Timing transferSize (document + every resource, headers included) until the levels were readable and the load event fired; biggest: ${biggest}; baseline: the same responses with bodies gzip -9, as a compressing server would send them`,
      },
    )
    return figures
  } finally {
    await browser?.close().catch((error: unknown) => log(`closing Chromium failed: ${String(error)}`))
    await server?.stop().catch((error: unknown) => log(`stopping the server failed: ${String(error)}`))
  }
}
