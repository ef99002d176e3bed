/**
 * Web (issue 3, item 5): what the dashboard costs a browser. The gzipped JS the page loads against
 * MapLibre's own build; in headless Chromium, navigation → first station drawn against the page
 * shell's first paint; and frames per second while dragging a map of 10,000 stations against the same
 * drag over the real 8-station pack. The same load and drag with a basemap archive in the pack (the
 * tests' small vector archive of Tam Kỳ, served by the IOC) beside the figures without one. All
 * against the real server serving the built web/dist. The first station on screen is also put against
 * MapLibre alone: a bare page drawing the same stations as circles, loaded in turn with the dashboard.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createRequire } from 'node:module'
import { setTimeout as sleep } from 'node:timers/promises'
import { gzipSync } from 'node:zlib'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { CityPack, StationView } from '@ioc/shared'
import { resolveCityPack } from '@ioc/shared/city-packs/node'
import { startSimulation } from '@ioc/simulators'
import { writeCityPack, writeVectorArchive, type ArchiveStats } from '../../helpers/basemap-archive.ts'
import { launchChromium } from '../../helpers/browser.ts'
import { BENCH_ADMIN, REPO_ROOT, startServerProcess, type ServerProcess } from '../../helpers/processes.ts'
import type { Figure, Suite } from '../lib/report.ts'
import { median } from '../lib/stats.ts'
import { syntheticPack } from '../lib/synthetic-pack.ts'

const WEB_DIST = `${REPO_ROOT}web/dist`
const VIEWPORT = { width: 1280, height: 800 }
const MAP = '[data-testid="map"]'
/** Page loads for navigation → first station; the median is reported. */
const LOADS = { full: 5, quick: 1 }
/** Stations on the map whose panning is measured. */
const MANY_STATIONS = { full: 10_000, quick: 500 }
/** How long each drag lasts; frames are counted per second of it (per window of it, if shorter) and the median reported. */
const PAN_MS = { full: 3000, quick: 500 }
/** The drag goes round a circle of this radius (CSS px), once per PAN_PERIOD_MS: continuous motion that stays inside the map's pan limits. */
const PAN_RADIUS_PX = 150
const PAN_PERIOD_MS = 1500
/** Pause between mouse moves: about two per 60 Hz frame, as a real mouse sends. */
const MOVE_EVERY_MS = 8
const TIMEOUT = { publishMs: 30_000, ingestMs: 30_000, requestMs: 10_000, drawnMs: { full: 45_000, quick: 15_000 }, panSlackMs: 30_000 }

/**
 * Installed before the page's own scripts: notes (navigation-relative `performance.now()`) when the
 * map container appears and when it first reports stations drawn (`data-stations-drawn`, set on the
 * map's `idle` once the station source has rendered: labels faded in, the map at rest). When they were
 * first on screen is the map's own mark (`ioc:stations-shown`, see LoadMarks.phases). A string: it runs
 * in the page, not in Node.
 */
const LOAD_MARKS_SCRIPT = `(() => {
  const marks = { mapAt: null, firstStationAt: null }
  window.__iocBench = marks
  const observer = new MutationObserver(() => {
    const map = document.querySelector('${MAP}')
    if (!map) return
    if (marks.mapAt === null) marks.mapAt = performance.now()
    if (Number(map.dataset.stationsDrawn) > 0) {
      marks.firstStationAt = performance.now()
      observer.disconnect()
    }
  })
  observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-stations-drawn'] })
  // A map with a vector basemap says which of its layers drew features, once idle (data-basemap-layers).
  marks.basemapAt = null
  const basemap = new MutationObserver((records) => {
    if (!records.some((r) => r.target.dataset.basemapLayers)) return
    marks.basemapAt = performance.now()
    basemap.disconnect()
  })
  basemap.observe(document, { subtree: true, attributes: true, attributeFilter: ['data-basemap-layers'] })
})()`

/** Starts counting animation frames in the page (every frame the page gets, busy or not). */
const START_FRAMES_SCRIPT = `(() => {
  const frames = { start: performance.now(), times: [], running: true }
  window.__iocFrames = frames
  const tick = (t) => {
    if (!frames.running) return
    frames.times.push(t)
    requestAnimationFrame(tick)
  }
  requestAnimationFrame(tick)
})()`
const STOP_FRAMES_SCRIPT = `(() => {
  const frames = window.__iocFrames
  frames.running = false
  return { start: frames.start, end: performance.now(), times: frames.times }
})()`

interface LoadMarks {
  /** First contentful paint: the page shell (header, panel) on screen. */
  fcp: number
  mapAt: number
  firstStationAt: number
  /**
   * The map's own user-timing marks (`ioc:…` in map-view.tsx), navigation-relative ms: `map-start`,
   * `map-constructed`, `map-load`, and `stations-shown` — the first frame rendered with the station
   * source loaded (circles drawn, labels fading in).
   */
  phases: Record<string, number>
  /** When the basemap's features were first drawn; null without a basemap. */
  basemapAt: number | null
  /** Bytes on the wire until the stations were drawn (Resource Timing transferSize: the page and every resource, headers included). */
  transferred: number
  /** The same responses' bodies decoded. */
  decoded: number
}

const kB = (bytes: number) => Math.round(bytes / 100) / 10
const gzipBytes = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length

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

/** Like Promise.all, but waits for every promise to settle before rejecting with the first failure. */
async function settleAll<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(promises)
  const failed = results.find((r) => r.status === 'rejected')
  if (failed) throw failed.reason
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T
}

/** 1. The JS the dashboard's index.html loads, and the worker it starts, gzipped as a server would send them. */
function bundleFigures(): Figure[] {
  const html = readFileSync(`${WEB_DIST}/index.html`, 'utf8')
  const entries = [
    ...html.matchAll(/<script\b[^>]*\btype="module"[^>]*\bsrc="\/([^"]+)"/g),
    ...html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="\/([^"]+)"/g),
  ].map((m) => m[1]!)
  if (entries.length === 0) throw new Error('web/dist/index.html loads no module script: is it a Vite build?')
  const entryBytes = entries.reduce((sum, file) => sum + gzipBytes(`${WEB_DIST}/${file}`), 0)
  const workerFile = entries.map((file) => /\/?assets\/(maplibre-gl-worker-[\w-]+\.m?js)/.exec(readFileSync(`${WEB_DIST}/${file}`, 'utf8'))?.[1]).find(Boolean)
  if (!workerFile) throw new Error('no maplibre-gl-worker asset referenced by the dashboard entry: did the worker setup in web/src/map/map-view.tsx change?')

  // MapLibre 6 ships ESM only: maplibre-gl.mjs is its main-thread build, exactly what the bundle includes.
  const maplibre = createRequire(`${REPO_ROOT}web/package.json`)
  const maplibreMain = gzipBytes(maplibre.resolve('maplibre-gl/dist/maplibre-gl.mjs'))
  const maplibreWorkerPath = maplibre.resolve('maplibre-gl/dist/maplibre-gl-worker.mjs')
  const workerBytes = gzipBytes(`${WEB_DIST}/assets/${workerFile}`)
  const maplibreWorker = gzipBytes(maplibreWorkerPath)
  const workerUnchanged = readFileSync(`${WEB_DIST}/assets/${workerFile}`).equals(readFileSync(maplibreWorkerPath))
  return [
    {
      name: 'web · dashboard JS (entry), gzip -9',
      value: kB(entryBytes),
      unit: 'kB',
      baseline: kB(maplibreMain),
      ratio: entryBytes / maplibreMain,
      note:
        `${entries.length} file(s) index.html loads; baseline: maplibre-gl.mjs alone, so ours adds ${kB(entryBytes - maplibreMain)} kB gz. ` +
        "The citizens' page has a suite of its own (phone).",
    },
    {
      name: 'web · MapLibre worker, gzip -9',
      value: kB(workerBytes),
      unit: 'kB',
      baseline: kB(maplibreWorker),
      ratio: workerBytes / maplibreWorker,
      note: workerUnchanged ? 'loaded by the map worker, not the page; MapLibre’s own file, copied unchanged' : 'loaded by the map worker; differs from MapLibre’s own file',
    },
  ]
}

/**
 * MapLibre alone, the floor of the first station on screen in this browser: a page of its own (no
 * session, no data to fetch, no app) serving MapLibre's own build, whose map holds a background and
 * the pack's stations as circles, inline in its style. It marks the first frame rendered with the
 * stations' source loaded, as the dashboard's map does (`ioc:stations-shown`). Returns its URL.
 */
async function startBareMapPage(pack: CityPack) {
  const dist = dirname(createRequire(`${REPO_ROOT}web/package.json`).resolve('maplibre-gl/dist/maplibre-gl.mjs'))
  const stations = { type: 'FeatureCollection', features: pack.stations.map((s) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [s.lon, s.lat] } })) }
  const style = {
    version: 8,
    sources: { stations: { type: 'geojson', data: stations } },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#e9eef0' } },
      { id: 'stations', type: 'circle', source: 'stations', paint: { 'circle-radius': 8, 'circle-color': '#2563eb', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 } },
    ],
  }
  const html = `<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="/maplibre/maplibre-gl.css">
<style>html,body,#map{margin:0;width:100%;height:100%}</style></head><body><div id="map"></div><script type="module">
import { Map, setWorkerUrl } from '/maplibre/maplibre-gl.mjs'
setWorkerUrl('/maplibre/maplibre-gl-worker.mjs')
performance.mark('bare:map-start')
const map = new Map({ container: 'map', style: ${JSON.stringify(style)}, bounds: ${JSON.stringify(pack.city.bounds)}, attributionControl: false })
performance.mark('bare:map-constructed')
const shown = () => {
  if (!map.isSourceLoaded('stations')) return
  performance.mark('bare:stations-shown')
  map.off('render', shown)
}
map.on('render', shown)
</script></body></html>`
  const types: Record<string, string> = { mjs: 'text/javascript', css: 'text/css' }
  const server = createServer((request, response) => {
    const file = /^\/maplibre\/(maplibre-gl(?:-worker)?\.mjs|maplibre-gl\.css)$/.exec(request.url ?? '')?.[1]
    if (request.url === '/') response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html)
    else if (file) response.writeHead(200, { 'content-type': types[file.split('.').pop()!]! }).end(readFileSync(join(dist, file)))
    else response.writeHead(404).end()
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve())
      // A browser's idle keep-alive connections would hold the close.
      server.closeAllConnections()
    })
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, stop }
}

/** A cold load of the bare MapLibre page (own context): its marks (navigation-relative ms), `stations-shown` the figure. */
async function loadBareMap(browser: Browser, url: string, timeoutMs: number): Promise<Record<string, number>> {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 })
  try {
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(url, { timeout: timeoutMs })
    await page.waitForFunction(() => performance.getEntriesByName('bare:stations-shown').length > 0, undefined, { timeout: timeoutMs }).catch((error: Error) => {
      throw new Error(`the bare MapLibre page did not draw its stations within ${timeoutMs / 1000} s${pageErrors(errors)}`, { cause: error })
    })
    return await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name.slice('bare:'.length), m.startTime])))
  } finally {
    await context.close()
  }
}

/** One reading per station, and waits until the server serves every station with it (what the page loads). */
async function publishOneReadingEach(server: ServerProcess, pack: CityPack): Promise<void> {
  const count = pack.stations.length
  const simulation = await startSimulation({ url: server.mqttUrl, scenario: 'load', pack, count })
  try {
    await within(simulation.done, TIMEOUT.publishMs, `publishing ${count} readings did not finish`)
  } finally {
    await simulation.stop()
  }
  const deadline = Date.now() + TIMEOUT.ingestMs
  for (;;) {
    const stations = (await (await fetch(`${server.baseUrl}/api/stations`, { signal: AbortSignal.timeout(TIMEOUT.requestMs) })).json()) as StationView[]
    const withReading = stations.filter((s) => s.latest !== null).length
    if (withReading === count) return
    if (Date.now() > deadline) throw new Error(`the server shows a reading for ${withReading} of ${count} stations ${TIMEOUT.ingestMs / 1000} s after publishing`)
    await sleep(200)
  }
}

const pageErrors = (errors: string[]) => (errors.length > 0 ? `; page errors: ${errors.join(' | ')}` : '')

interface Dashboard {
  page: Page
  marks: LoadMarks
  /** Uncaught errors in the page so far, for error messages. */
  errors: string[]
  close(): Promise<void>
}

/** Logs the context in over the API (its cookies are the page's), so the load timed is the dashboard's, not the login form's. */
async function logIn(context: BrowserContext, baseUrl: string): Promise<void> {
  const { csrfToken } = (await (await context.request.get(`${baseUrl}/api/auth/csrf`)).json()) as { csrfToken: string }
  const response = await context.request.post(`${baseUrl}/api/auth/login`, { headers: { 'x-csrf-token': csrfToken }, data: BENCH_ADMIN })
  if (!response.ok()) throw new Error(`bench login answered ${response.status()}: ${await response.text()}`)
}

/** 2. A cold page load (own context, empty cache) until the map reports all `stations` drawn, with its timing marks. */
async function loadDashboard(browser: Browser, baseUrl: string, stations: number, timeoutMs: number): Promise<Dashboard> {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 })
  try {
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.addInitScript({ content: LOAD_MARKS_SCRIPT })
    await logIn(context, baseUrl)
    await page.goto(baseUrl, { timeout: timeoutMs })
    await page
      .locator(`${MAP}[data-stations-drawn="${stations}"]`)
      .waitFor({ timeout: timeoutMs })
      .catch((error: Error) => {
        throw new Error(`the map did not draw ${stations} stations within ${timeoutMs / 1000} s of loading ${baseUrl}${pageErrors(errors)}`, { cause: error })
      })
    const marks = (await page.evaluate(`({
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
      mapAt: window.__iocBench.mapAt,
      phases: Object.fromEntries(performance.getEntriesByType('mark').filter((m) => m.name.startsWith('ioc:')).map((m) => [m.name.slice(4), m.startTime])),
      firstStationAt: window.__iocBench.firstStationAt,
      basemapAt: window.__iocBench.basemapAt,
      ...((loads) => ({
        transferred: loads.reduce((sum, e) => sum + e.transferSize, 0),
        decoded: loads.reduce((sum, e) => sum + e.decodedBodySize, 0),
      }))([...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]),
    })`)) as LoadMarks
    return { page, marks, errors, close: () => context.close() }
  } catch (error) {
    await context.close()
    throw error
  }
}

interface PanResult {
  /** Frames per second, median over the drag's seconds. */
  fps: number
  /** Longest gap between two frames, ms. */
  worstFrameMs: number
}

/** 3. Drags the map round a circle for `durationMs` with real mouse input, counting the page's animation frames. */
async function measurePan({ page, errors }: Dashboard, durationMs: number): Promise<PanResult> {
  const box = await page.locator(`${MAP} canvas`).boundingBox()
  if (!box) throw new Error('the map canvas has no size')
  const cx = box.x + box.width / 2
  const cy = box.y + box.height / 2
  await page.mouse.move(cx, cy)
  await page.mouse.down()
  await page.evaluate(START_FRAMES_SCRIPT)
  const started = performance.now()
  for (let elapsed = 0; elapsed < durationMs; elapsed = performance.now() - started) {
    const angle = (2 * Math.PI * elapsed) / PAN_PERIOD_MS
    await page.mouse.move(cx + PAN_RADIUS_PX * (Math.cos(angle) - 1), cy + PAN_RADIUS_PX * Math.sin(angle))
    await sleep(MOVE_EVERY_MS)
  }
  const { start, end, times } = (await page.evaluate(STOP_FRAMES_SCRIPT)) as { start: number; end: number; times: number[] }
  await page.mouse.up()
  if (times.length < 2) throw new Error(`only ${times.length} frame(s) in a ${durationMs / 1000} s drag${pageErrors(errors)}`)

  const windows = Math.max(1, Math.round((end - start) / 1000))
  const windowMs = (end - start) / windows
  const fpsPerWindow = Array.from({ length: windows }, (_, w) => {
    const from = start + w * windowMs
    return (times.filter((t) => t >= from && t < from + windowMs).length * 1000) / windowMs
  })
  const gaps = [times[0]! - start, ...times.slice(1).map((t, i) => t - times[i]!), end - times.at(-1)!]
  return { fps: median(fpsPerWindow), worstFrameMs: Math.max(...gaps) }
}

export const webSuite: Suite = async ({ quick, log }) => {
  if (!existsSync(`${WEB_DIST}/index.html`)) throw new Error('web/dist/index.html is missing: run `pnpm build` first (`pnpm bench` does)')
  const figures = bundleFigures()

  const many = quick ? MANY_STATIONS.quick : MANY_STATIONS.full
  const loads = quick ? LOADS.quick : LOADS.full
  const panMs = quick ? PAN_MS.quick : PAN_MS.full
  const drawnMs = quick ? TIMEOUT.drawnMs.quick : TIMEOUT.drawnMs.full
  const realPack = resolveCityPack('tam-ky')
  const synthetic = syntheticPack(many)
  // The Tam Kỳ pack again, with the tests' vector archive as its basemap.
  const basemapPack = writeCityPack(mkdtempSync(join(tmpdir(), 'ioc-bench-basemap-')), { archive: 'basemap.mbtiles', attribution: '© OpenStreetMap contributors' })
  const archive: ArchiveStats = writeVectorArchive(join(basemapPack, 'basemap.mbtiles'))
  const stops: Array<() => Promise<void>> = []
  const track = <T>(starting: Promise<T>, stop: (value: T) => Promise<void>) =>
    starting.then((value) => {
      stops.push(() => stop(value))
      return value
    })
  try {
    // Started together (nothing is measured yet); whatever did start is stopped even if another failed.
    const [browser, real, large] = await settleAll([
      track(launchChromium(), (b) => b.close()),
      track(startServerProcess({ city: 'tam-ky' }), (s) => s.stop()),
      track(startServerProcess({ city: synthetic.dir }), (s) => s.stop()),
    ])

    // Every station gets a reading: coloured dots and level badges (label images drawn on demand), as in use.
    await Promise.all([publishOneReadingEach(real, realPack), publishOneReadingEach(large, resolveCityPack(synthetic.dir))])

    // The last load stays open: its page is the 8-station baseline of the pan. Each load follows one of
    // the bare MapLibre page, so the two see the same state of the machine.
    const bare = await track(startBareMapPage(realPack), (b) => b.stop())
    const bareMarks: Record<string, number>[] = []
    const marks: LoadMarks[] = []
    let realPage: Dashboard | undefined
    for (let i = 0; i < loads; i++) {
      bareMarks.push(await loadBareMap(browser, bare.url, drawnMs))
      const dashboard = await loadDashboard(browser, real.baseUrl, realPack.stations.length, drawnMs)
      marks.push(dashboard.marks)
      if (i < loads - 1) await dashboard.close()
      else realPage = dashboard
    }
    stops.push(() => realPage!.close())
    const firstStation = median(marks.map((m) => m.firstStationAt))
    const shell = median(marks.map((m) => m.fcp))
    const mapAt = median(marks.map((m) => m.mapAt))
    const phase = (name: string) => median(marks.map((m) => m.phases[name] ?? Number.NaN))
    const stationShown = phase('stations-shown')
    log(`first station on screen ${stationShown.toFixed(0)} ms, drawn and at rest ${firstStation.toFixed(0)} ms (shell painted ${shell.toFixed(0)} ms, map container ${mapAt.toFixed(0)} ms), median of ${loads}`)
    log(`  the map, medians: started ${phase('map-start').toFixed(0)} ms (basemap answer in), constructed ${phase('map-constructed').toFixed(0)} ms, style loaded ${phase('map-load').toFixed(0)} ms`)
    figures.push({
      name: `web · navigation → first station on screen (${realPack.stations.length} stations)`,
      value: stationShown,
      unit: 'ms',
      baseline: shell,
      ratio: stationShown / shell,
      target: '≤ 1,000 ms',
      note: `median of ${loads} cold page loads, until the first frame MapLibre rendered with the station source loaded (the map's ioc:stations-shown mark: circles drawn, labels beginning their 300 ms fade-in); baseline: first contentful paint of the page shell`,
    })
    const bareMark = (name: string) => median(bareMarks.map((m) => m[name] ?? Number.NaN))
    const bareMap = bareMark('stations-shown')
    log(`  MapLibre alone (a bare page, the same stations as circles): first station on screen ${bareMap.toFixed(0)} ms (map started ${bareMark('map-start').toFixed(0)} ms, constructed ${bareMark('map-constructed').toFixed(0)} ms), median of ${loads}`)
    figures.push({
      name: `web · navigation → first station on screen, against MapLibre alone (${realPack.stations.length} stations)`,
      value: stationShown,
      unit: 'ms',
      baseline: bareMap,
      ratio: stationShown / bareMap,
      note: `the figure above; baseline: a bare page of MapLibre's own build drawing the same stations as circles (no session, no data fetched, no app), loaded before each dashboard load, median of ${loads}: the floor of a MapLibre map in this browser`,
    })
    figures.push({
      name: `web · navigation → first station drawn (${realPack.stations.length} stations)`,
      value: firstStation,
      unit: 'ms',
      baseline: shell,
      ratio: firstStation / shell,
      note:
        `median of ${loads} cold page loads, until the map's first idle with stations (data-stations-drawn; includes MapLibre's symbol fade-in); ` +
        `baseline: first contentful paint of the page shell in the same loads, so map + station data add ${(firstStation - shell).toFixed(0)} ms; map container present at ${mapAt.toFixed(0)} ms`,
    })
    const transferred = median(marks.map((m) => m.transferred))
    const decoded = median(marks.map((m) => m.decoded))
    log(`  bytes until the stations were drawn: ${kB(transferred)} kB on the wire, ${kB(decoded)} kB decoded (median of ${loads})`)
    figures.push({
      name: `web · bytes transferred, cold dashboard load (${realPack.stations.length} stations)`,
      value: kB(transferred),
      unit: 'kB',
      baseline: kB(decoded),
      ratio: transferred / decoded,
      note: `median of ${loads} cold page loads, Resource Timing transferSize (the page and every resource, headers included) until the map drew its stations; baseline: the same bodies decoded, so the ratio is what compression leaves (the build's brotli 11 files, served as they are)`,
    })

    const pan = (dashboard: Dashboard) => within(measurePan(dashboard, panMs), panMs + TIMEOUT.panSlackMs, 'the drag over the map did not finish')
    const basePan = await pan(realPage!)
    await realPage!.close()

    // The same loads and drag over the pack's basemap archive: what drawing the streets costs. Its
    // server starts only now, so the start-up of three servers at once does not slow the others'.
    const withBasemap = await track(startServerProcess({ city: basemapPack }), (s) => s.stop())
    await publishOneReadingEach(withBasemap, realPack)
    const basemapMarks: LoadMarks[] = []
    let basemapPage: Dashboard | undefined
    for (let i = 0; i < loads; i++) {
      const dashboard = await loadDashboard(browser, withBasemap.baseUrl, realPack.stations.length, drawnMs)
      basemapMarks.push(dashboard.marks)
      if (i < loads - 1) await dashboard.close()
      else basemapPage = dashboard
    }
    stops.push(() => basemapPage!.close())
    const basemapFirstStation = median(basemapMarks.map((m) => m.firstStationAt))
    const drawnAt = basemapMarks.map((m) => m.basemapAt).filter((at): at is number => at !== null)
    const basemapDrawn = drawnAt.length > 0 ? median(drawnAt) : null
    const basemapPan = await pan(basemapPage!)
    await basemapPage!.close()
    log(`with basemap: first station ${basemapFirstStation.toFixed(0)} ms, basemap drawn ${basemapDrawn?.toFixed(0) ?? '–'} ms; pan ${basemapPan.fps.toFixed(1)} fps`)
    const archiveNote = `the tests' vector archive of Tam Kỳ (${archive.tiles} tiles, ${kB(archive.bytes)} kB, z${archive.minzoom}–${archive.maxzoom}: a few streets, a river, two names), served by the IOC, drawn with its OpenMapTiles style`
    figures.push(
      {
        name: `web · navigation → first station drawn, with a basemap (${realPack.stations.length} stations)`,
        value: basemapFirstStation,
        unit: 'ms',
        baseline: firstStation,
        ratio: basemapFirstStation / firstStation,
        note: `median of ${loads} cold page loads; ${archiveNote}; basemap features first drawn at ${basemapDrawn?.toFixed(0) ?? '– (never reported)'} ms; baseline: the same without a basemap (above)`,
      },
      {
        name: `web · fps while panning ${realPack.stations.length} stations over a basemap`,
        value: basemapPan.fps,
        unit: 'fps',
        baseline: basePan.fps,
        ratio: basemapPan.fps / basePan.fps,
        note: `the same drag; worst frame ${basemapPan.worstFrameMs.toFixed(0)} ms; baseline: without a basemap. SwiftShader (no GPU)`,
      },
    )
    const manyPage = await loadDashboard(browser, large.baseUrl, many, drawnMs)
    stops.push(() => manyPage.close())
    const manyPan = await pan(manyPage)
    log(`pan: ${manyPan.fps.toFixed(1)} fps with ${many} stations (worst frame ${manyPan.worstFrameMs.toFixed(0)} ms), ${basePan.fps.toFixed(1)} fps with ${realPack.stations.length}`)
    figures.push({
      name: `web · fps while panning ${many.toLocaleString('en-US')} stations`,
      value: manyPan.fps,
      unit: 'fps',
      baseline: basePan.fps,
      ratio: manyPan.fps / basePan.fps,
      target: '≥ 0.8× baseline',
      note:
        `mouse drag for ${panMs / 1000} s, requestAnimationFrame callbacks, median of 1 s windows; worst frame ${manyPan.worstFrameMs.toFixed(0)} ms; ` +
        `baseline: the same drag over the ${realPack.stations.length}-station pack. WebGL is SwiftShader (software, no GPU): absolute fps understate a real browser, the ratio is the figure to watch`,
    })
    return figures
  } finally {
    // Last started, first stopped (pages before the browser); one failed stop does not keep the others running.
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => log(`stopping failed: ${String(error)}`))
    rmSync(synthetic.dir, { recursive: true, force: true })
    rmSync(basemapPack, { recursive: true, force: true })
  }
}
