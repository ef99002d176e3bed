import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchChromium } from '../helpers/browser.ts'
import { addUser } from '../helpers/auth.ts'
import { writeCityPack, writeVectorArchive } from '../helpers/basemap-archive.ts'
import { startServer, type TestServer } from '../helpers/server.ts'
import { logIn } from './pages.ts'

const webDist = fileURLToPath(new URL('../../web/dist', import.meta.url))
/** Screenshots of both maps over the basemap, to be looked at (SHOTS_DIR, else test-results/). */
const screenshots = process.env.SHOTS_DIR ?? fileURLToPath(new URL('../../test-results/basemap', import.meta.url))

const WIDE = { width: 1440, height: 900 }
const PHONE = { width: 360, height: 740 }
/** Layers of the IOC's OpenMapTiles style that the test archive's streets and river are drawn in. */
const STREETS = 'basemap-road-primary'
const RIVER = 'basemap-waterway'

interface Visit {
  context: BrowserContext
  page: Page
  /** Every URL the page asked for. */
  requests: string[]
  /** Statuses of the basemap tiles it was sent. */
  tileStatuses: number[]
}

/**
 * Issue #19: the city pack's own basemap archive — made here, from a few streets, the Tam Kỳ river and
 * two place names — drawn under the operators' map and the citizens' map, with nothing fetched from
 * anywhere but the IOC.
 */
describe('basemap from the city pack, offline, in Chromium', () => {
  const packDir = mkdtempSync(join(tmpdir(), 'ioc-basemap-pack-'))
  let server: TestServer
  let browser: Browser
  const visits: Visit[] = []

  async function visit(viewport: { width: number; height: number }): Promise<Visit> {
    const context = await browser.newContext({ viewport, reducedMotion: 'reduce' })
    const page = await context.newPage()
    const entry: Visit = { context, page, requests: [], tileStatuses: [] }
    page.on('pageerror', (error) => console.error('page error:', error.message))
    page.on('request', (request) => entry.requests.push(request.url()))
    page.on('response', (response) => {
      if (new URL(response.url()).pathname.startsWith('/tiles/')) entry.tileStatuses.push(response.status())
    })
    visits.push(entry)
    return entry
  }

  /** Everything the page fetched came from the IOC itself (or from the page: data: and blob: URLs). */
  function expectOnlyTheIoc(entry: Visit): void {
    const elsewhere = entry.requests.filter((url) => !url.startsWith(`${server.baseUrl}/`) && !/^(data|blob):/.test(url))
    expect(elsewhere).toEqual([])
    expect(entry.tileStatuses.filter((status) => status === 200).length).toBeGreaterThan(0)
  }

  beforeAll(async () => {
    if (!existsSync(`${webDist}/index.html`)) throw new Error('web/dist is missing: run `pnpm build` first (`pnpm test` does)')
    mkdirSync(screenshots, { recursive: true })
    writeCityPack(packDir, { archive: 'basemap.mbtiles', attribution: '© OpenStreetMap contributors' })
    writeVectorArchive(join(packDir, 'basemap.mbtiles'))
    server = await startServer({ webDir: webDist, env: { IOC_CITY: packDir } })
    browser = await launchChromium()
  })
  afterAll(async () => {
    for (const { context } of visits) await context.close()
    await browser?.close()
    await server?.close()
    rmSync(packDir, { recursive: true, force: true })
  })

  it.each([
    ['1440', WIDE],
    ['360', PHONE],
  ] as const)("draws the archive's streets and river under the operators' map at %s px, the stations on top", async (width, viewport) => {
    const { page, ...entry } = await visit(viewport)
    await page.goto(server.baseUrl)
    await logIn(page, await addUser(server, { role: 'operator' }))
    const map = page.locator('[data-testid="map"]')
    await map.and(page.locator(`[data-basemap-layers~="${STREETS}"][data-basemap-layers~="${RIVER}"]`)).waitFor()
    await map.and(page.locator('[data-stations-drawn="8"]')).waitFor()
    await expect.poll(() => map.locator('.maplibregl-ctrl-attrib').textContent()).toContain('© OpenStreetMap contributors')
    await page.screenshot({ path: `${screenshots}/dashboard-${width}.png` })
    expectOnlyTheIoc({ page, ...entry })
  })

  it.each([
    ['1440', WIDE],
    ['360', PHONE],
  ] as const)("draws them under the citizens' map on /muc-nuoc at %s px, credited", async (width, viewport) => {
    const { page, ...entry } = await visit(viewport)
    await page.goto(`${server.baseUrl}/muc-nuoc`)
    await page.locator('.map-toggle').click()
    const map = page.locator('#flood-map')
    await map.and(page.locator(`[data-basemap-layers~="${STREETS}"][data-basemap-layers~="${RIVER}"]`)).waitFor()
    await expect.poll(() => map.locator('.maplibregl-ctrl-attrib').textContent()).toContain('© OpenStreetMap contributors')
    await map.scrollIntoViewIfNeeded()
    await page.screenshot({ path: `${screenshots}/citizens-${width}.png` })
    expectOnlyTheIoc({ page, ...entry })
  })
})
