import { existsSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { floodReadingTopic } from '@ioc/shared'
import { launchChromium } from '../helpers/browser.ts'
import { connectDevice, startServer, type TestServer } from '../helpers/server.ts'
import { startCuttableProxy } from '../helpers/cuttable-proxy.ts'

const webDist = fileURLToPath(new URL('../../web/dist', import.meta.url))
const screenshots = fileURLToPath(new URL('../../test-results', import.meta.url))
const axeSource: string = (createRequire(import.meta.url)('axe-core') as { source: string }).source

/** A cheap phone. */
const PHONE = { width: 360, height: 740 }
/** Cầu Xuân Quý: BĐ1 150, BĐ2 200, BĐ3 250 cm (demo values of the Tam Kỳ pack). */
const POINT = 'cau-xuan-quy'

interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: Array<{ target: unknown[] }>
}

async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource)
  const violations = await page.evaluate(async () => {
    const scope = globalThis as unknown as { document: unknown; axe: { run: (context: unknown, options: object) => Promise<{ violations: AxeViolation[] }> } }
    const result = await scope.axe.run(scope.document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } })
    return result.violations
  })
  for (const v of violations) console.info(`axe ${v.impact}: ${v.id} — ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')})`)
  return violations
}

/**
 * Issue #20: the citizens' page on a cheap phone — levels in the HTML itself (readable with JavaScript
 * off), the last levels kept for a visit without any connection and marked as not current, large text.
 */
describe('public flood page on a cheap phone (Chromium, 360 px)', () => {
  let server: TestServer
  let browser: Browser

  beforeAll(async () => {
    if (!existsSync(`${webDist}/public.html`)) throw new Error('web/dist is missing: run `pnpm build` first (`pnpm test` does)')
    mkdirSync(screenshots, { recursive: true })
    server = await startServer({ webDir: webDist })
    browser = await launchChromium()
    // Stored before any page is asked for: the first public snapshot (kept a few seconds) has it.
    const stored = new Promise<void>((resolve) => server.app.events.on('reading.stored', (reading: { stationId: string }) => reading.stationId === POINT && resolve()))
    const device = await connectDevice(server.mqttUrl)
    await device.publish(floodReadingTopic(POINT), { ts: new Date().toISOString(), waterLevelCm: 182 })
    await device.close()
    await stored
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('shows every level with JavaScript off: the HTML carries them, with their time and a link to load them again', async () => {
    const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false })
    try {
      const page = await context.newPage()
      await page.goto(`${server.baseUrl}/muc-nuoc/${POINT}`)
      const card = page.locator(`article[data-point-id="${POINT}"]`)
      expect(await card.locator('.value').innerText()).toBe('182 cm')
      expect(await card.locator('.level-badge').innerText()).toBe('Báo động I')
      expect(await card.innerText()).toContain('Báo động I: 150 cm · Báo động II: 200 cm · Báo động III: 250 cm')
      expect(await card.getAttribute('class')).toContain('highlighted')
      expect(await page.locator('article[data-point-id]').count()).toBe(server.app.city.stations.length)
      // Never "now": the time the figures were taken, and a plain link that loads them again.
      expect(await page.locator('[data-testid="connection"]').innerText()).toMatch(/^Số liệu lúc \d\d:\d\d \d\d\/\d\d ·\s+Tải lại$/)
      expect(await page.getByRole('link', { name: 'Tải lại' }).getAttribute('href')).toBe(`/muc-nuoc/${POINT}`)
      expect(await page.locator('.summary').innerText()).toBe('1 điểm đang ở mức báo động.')
      // Points at an alarm level come first, as the script orders them.
      expect(await page.locator('article[data-point-id]').first().getAttribute('data-point-id')).toBe(POINT)
      await page.screenshot({ path: `${screenshots}/public-360-no-js.png`, fullPage: true })
    } finally {
      await context.close()
    }
  })

  it('keeps the last levels for a visit without any connection, says they are not current, and refreshes when the connection is back', async () => {
    // The phone reaches the IOC through a line the test cuts: the service worker's fetches fail too.
    const line = await startCuttableProxy(new URL(server.baseUrl).port ? Number(new URL(server.baseUrl).port) : 80)
    const context = await browser.newContext({ viewport: PHONE })
    try {
      const page = await context.newPage()
      page.on('pageerror', (error) => console.error('page error:', error.message))
      await page.goto(`${line.url}/muc-nuoc`)
      await page.locator('[data-testid="connection"][data-state="live"]').waitFor()
      // The offline worker has kept the page and its files, and serves this page from now on.
      await page.waitForFunction(() => (globalThis as unknown as { navigator: { serviceWorker: { controller: unknown } } }).navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 })
      // One fetch of the figures through the worker, so it keeps them too (the page asks on each visit).
      await page.reload()
      await page.locator('[data-testid="connection"][data-state="live"]').waitFor()

      line.cut()
      await context.setOffline(true)
      await page.reload()
      const banner = page.getByTestId('offline-banner')
      await banner.waitFor()
      expect(await banner.innerText()).toMatch(/^Không có kết nối — số liệu lúc \d\d:\d\d\n/)
      const card = page.locator(`article[data-point-id="${POINT}"]`)
      expect(await card.locator('.value').innerText()).toBe('182 cm')
      expect(await page.locator('[data-testid="connection"]').getAttribute('data-state')).not.toBe('live')
      expect(await axeViolations(page)).toEqual([])
      await page.screenshot({ path: `${screenshots}/public-360-no-connection.png`, fullPage: true })

      // The connection comes back: the page hears from the server by itself, and the banner goes.
      line.restore()
      await context.setOffline(false)
      await page.locator('[data-testid="connection"][data-state="live"]').waitFor({ timeout: 30_000 })
      await banner.waitFor({ state: 'detached' })
    } finally {
      await context.close()
      await line.close()
    }
  })

  it('offers large text, kept on the phone, with nothing cut off at 360 px and no accessibility violation', async () => {
    const context = await browser.newContext({ viewport: PHONE })
    try {
      const page = await context.newPage()
      await page.goto(`${server.baseUrl}/muc-nuoc`)
      await page.locator(`article[data-point-id="${POINT}"] .value`).waitFor()
      await page.screenshot({ path: `${screenshots}/public-360-text-normal.png`, fullPage: true })
      const rootSize = () =>
        page.evaluate(() => {
          const scope = globalThis as unknown as { getComputedStyle: (element: unknown) => { fontSize: string }; document: { documentElement: unknown } }
          return scope.getComputedStyle(scope.document.documentElement).fontSize
        })
      expect(await rootSize()).toBe('16px')

      const toggle = page.getByRole('button', { name: 'Chữ to' })
      await toggle.click()
      expect(await toggle.getAttribute('aria-pressed')).toBe('true')
      expect(await rootSize()).toBe('20px')
      await page.reload()
      await page.locator(`article[data-point-id="${POINT}"] .value`).waitFor()
      expect(await rootSize()).toBe('20px')
      expect(await page.getByRole('button', { name: 'Chữ to' }).getAttribute('aria-pressed')).toBe('true')
      // Nothing wider than the phone: large text wraps instead of scrolling sideways.
      expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width)
      expect(await axeViolations(page)).toEqual([])
      await page.screenshot({ path: `${screenshots}/public-360-text-large.png`, fullPage: true })
    } finally {
      await context.close()
    }
  })
})
