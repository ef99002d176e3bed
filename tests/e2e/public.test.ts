import { existsSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { floodReadingTopic } from '@ioc/shared'
import { launchChromium } from '../helpers/browser.ts'
import { connectDevice, startServer, type TestServer } from '../helpers/server.ts'

const webDist = fileURLToPath(new URL('../../web/dist', import.meta.url))
const screenshots = fileURLToPath(new URL('../../test-results', import.meta.url))
/** axe-core's browser bundle, injected into the page as source (CDP evaluation is not subject to the page's CSP). */
const axeSource: string = (createRequire(import.meta.url)('axe-core') as { source: string }).source

/** A cheap phone. */
const PHONE = { width: 360, height: 740 }
/** Cầu Xuân Quý: BĐ1 150, BĐ2 200, BĐ3 250 cm (demo values of the Tam Kỳ pack). */
const POINT = 'cau-xuan-quy'
/** IOC_PUBLIC_URL: where citizens reach the IOC, the base of the links its previews carry. */
const PUBLIC_URL = 'https://ioc.tamky.gov.vn'

async function publish(server: TestServer, waterLevelCm: number): Promise<void> {
  const device = await connectDevice(server.mqttUrl)
  await device.publish(floodReadingTopic(POINT), { ts: new Date().toISOString(), waterLevelCm })
  await device.close()
}

interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: Array<{ target: unknown[] }>
}

/**
 * Issue #9: the public flood page, on a 360 px phone, without logging in — live readings over MQTT,
 * warnings with the city's advice, English, accessibility, the shared link's preview, and polling
 * when the live link is blocked.
 */
describe('public flood page in Chromium (360 px, no login)', () => {
  let server: TestServer
  let browser: Browser
  let context: BrowserContext
  let page: Page
  const cspViolations: string[] = []

  beforeAll(async () => {
    if (!existsSync(`${webDist}/public.html`)) throw new Error('web/dist is missing: run `pnpm build` first (`pnpm test` does)')
    mkdirSync(screenshots, { recursive: true })
    server = await startServer({ webDir: webDist, env: { IOC_PUBLIC_URL: PUBLIC_URL } })
    browser = await launchChromium()
    context = await browser.newContext({ viewport: PHONE })
    page = await context.newPage()
    page.on('pageerror', (error) => console.error('page error:', error.message))
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) cspViolations.push(message.text())
    })
    // Six hours of history at Cầu Xuân Quý, rising from 60 cm: a sparkline and a rising trend to show.
    const device = await connectDevice(server.mqttUrl)
    for (let minutesAgo = 360; minutesAgo >= 20; minutesAgo -= 20) {
      await device.publish(floodReadingTopic(POINT), { ts: new Date(Date.now() - minutesAgo * 60_000).toISOString(), waterLevelCm: 60 + (360 - minutesAgo) / 5 })
    }
    await device.close()
    await page.goto(`${server.baseUrl}/muc-nuoc`)
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('lists every flood point with its alarm levels as text, in Vietnamese, live', async () => {
    const count = server.app.city.stations.length
    await page.locator('[data-point-id]').nth(count - 1).waitFor()
    expect(await page.locator('ul.points > li > article[data-point-id]').count()).toBe(count)
    await page.locator('[data-testid="connection"][data-state="live"]').filter({ hasText: 'Trực tiếp' }).waitFor()
    await expect(page.locator('[data-testid="connection"]').innerText()).resolves.toMatch(/Cập nhật lúc \d\d:\d\d/)
    expect(await page.locator('html').getAttribute('lang')).toBe('vi')
    expect(await page.locator(`[data-point-id="${POINT}"]`).innerText()).toContain('Báo động I: 150 cm')
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Mực nước lũ')
    expect(cspViolations).toEqual([])
  })

  it('shows a reading published over MQTT: value, "Báo động I", first in the list, the warning and its advice at the top', async () => {
    await publish(server, 182)
    const card = page.locator(`article[data-point-id="${POINT}"]`)
    await card.filter({ hasText: '182 cm' }).locator('.level-badge', { hasText: /^Báo động I$/ }).waitFor()
    expect(await page.locator('ul.points > li').first().locator('article').getAttribute('data-point-id')).toBe(POINT)
    expect(await card.innerText()).toMatch(/Đo vừa xong/)
    expect(await card.innerText()).toMatch(/Đang lên \d+ cm\/giờ/)
    expect(await card.locator('svg.spark[role="img"]').getAttribute('aria-label')).toMatch(/thấp nhất \d+ cm, cao nhất 182 cm/)

    const warnings = page.locator('[data-testid="warnings"]')
    await warnings.locator('[data-level="1"]').filter({ hasText: 'Cầu Xuân Quý' }).waitFor()
    const text = await warnings.innerText()
    expect(text).toContain('Báo động I')
    expect(text).toContain('kê cao đồ đạc') // the city pack's advice for BĐ1
    expect(await warnings.getAttribute('aria-live')).toBe('polite')
    await page.screenshot({ path: `${screenshots}/public-360-vi-bd1.png`, fullPage: true })
  })

  it('fits 360 px, and 200% zoom (180 CSS px), without scrolling sideways', async () => {
    const overflow = () => page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')
    expect(await overflow()).toBeLessThanOrEqual(0)
    await page.setViewportSize({ width: PHONE.width / 2, height: PHONE.height / 2 })
    try {
      expect(await overflow()).toBeLessThanOrEqual(0)
      await page.screenshot({ path: `${screenshots}/public-zoom-200.png`, fullPage: true })
    } finally {
      await page.setViewportSize(PHONE)
    }
  })

  it('has no serious or critical accessibility violations (axe-core)', async () => {
    await page.evaluate(axeSource)
    const violations = await page.evaluate(async () => {
      // This file is type-checked without the DOM library: the page's globals are typed by hand.
      const page = globalThis as unknown as { document: unknown; axe: { run: (context: unknown, options: object) => Promise<{ violations: AxeViolation[] }> } }
      const result = await page.axe.run(page.document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } })
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }))
    })
    for (const v of violations) console.info(`axe ${v.impact}: ${v.id} — ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')})`)
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([])
  })

  it('switches to English and back', async () => {
    await page.getByRole('button', { name: 'English' }).click()
    await page.locator(`article[data-point-id="${POINT}"] .level-badge`, { hasText: /^Alarm level I$/ }).waitFor()
    expect(await page.locator('html').getAttribute('lang')).toBe('en')
    expect(await page.locator('[data-testid="warnings"]').innerText()).toContain('raise belongings')
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Flood water levels')
    await page.screenshot({ path: `${screenshots}/public-360-en-bd1.png`, fullPage: true })

    await page.getByRole('button', { name: 'Tiếng Việt' }).click()
    await page.getByRole('heading', { level: 1, name: 'Mực nước lũ' }).waitFor()
    expect(await page.locator('html').getAttribute('lang')).toBe('vi')
  })

  it('gives each point a shareable link whose preview names the point and its level', async () => {
    const link = page.locator(`article[data-point-id="${POINT}"] a[href="/muc-nuoc/${POINT}"]`)
    expect(await link.count()).toBe(1)
    const preview = async () => {
      const response = await page.request.get(`${server.baseUrl}/muc-nuoc/${POINT}`)
      expect(response.status()).toBe(200)
      return response.text()
    }
    const meta = (html: string, property: string) => new RegExp(`<meta property="${property}" content="([^"]*)"`).exec(html)?.[1]
    // The server makes the preview from its snapshot, cached for a few seconds: it names the reading within them.
    await expect.poll(async () => meta(await preview(), 'og:title'), { timeout: 15_000, interval: 1_000 }).toMatch(/Cầu Xuân Quý: 182 cm — Báo động I$/)
    const html = await preview()
    // The link a chat app shows is the city's address (IOC_PUBLIC_URL), not the one this test reached.
    expect(meta(html, 'og:url')).toBe(`${PUBLIC_URL}/muc-nuoc/${POINT}`)
    // The card's address changes with what it shows, so a chat app does not keep an old level's card.
    expect(meta(html, 'og:image')).toBe(`${PUBLIC_URL}/muc-nuoc/${POINT}/og.png?v=1-182`)
    const card = await fetch(`${server.baseUrl}/muc-nuoc/${POINT}/og.png?v=1-182`)
    expect(card.headers.get('content-type')).toBe('image/png')
    expect(html).toMatch(/<title>[^<]*Cầu Xuân Quý[^<]*<\/title>/)
    expect(html).not.toContain('%OG_')

    const shared = await context.newPage()
    try {
      await shared.goto(`${server.baseUrl}/muc-nuoc/${POINT}`)
      await shared.locator(`article[data-point-id="${POINT}"].highlighted`).waitFor()
      await shared.locator(`#diem-${POINT}-name:focus`).waitFor()
    } finally {
      await shared.close()
    }
  })

  it('loads the map only when asked for', async () => {
    const requested: string[] = []
    page.on('request', (request) => requested.push(request.url()))
    expect(requested.some((url) => url.includes('maplibre'))).toBe(false)
    await page.getByRole('button', { name: 'Xem bản đồ' }).click()
    await page.locator('#flood-map .map-marker').first().waitFor()
    expect(requested.some((url) => url.includes('maplibre-gl'))).toBe(true)
    expect(await page.locator('#flood-map .map-marker').count()).toBe(server.app.city.stations.length)
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.screenshot({ path: `${screenshots}/public-1280.png`, fullPage: true })
    await page.setViewportSize(PHONE)
    await page.getByRole('button', { name: 'Ẩn bản đồ' }).click()
  })

  it('says "Mất kết nối" when the live link is blocked, and keeps the numbers current by polling', async () => {
    const offline = await context.newPage()
    try {
      // Fake timers in the page: the 30 s poll is run forward instead of waited for.
      await offline.clock.install()
      await offline.route('**/socket.io/**', (route) => route.abort())
      await offline.goto(`${server.baseUrl}/muc-nuoc`)
      const connection = offline.locator('[data-testid="connection"][data-state="offline"]')
      await connection.filter({ hasText: 'Mất kết nối — đang kết nối lại…' }).waitFor()
      await offline.locator(`article[data-point-id="${POINT}"]`).waitFor()

      await publish(server, 205)
      const updated = offline.locator(`article[data-point-id="${POINT}"]`).filter({ hasText: '205 cm' }).filter({ has: offline.locator('.level-badge', { hasText: /^Báo động II$/ }) })
      // The server caches the snapshot for a few seconds: poll until a fresh one arrives.
      for (let attempt = 0; attempt < 10 && !(await updated.isVisible()); attempt++) {
        await offline.clock.runFor(30_000)
        await updated.waitFor({ timeout: 2_000 }).catch(() => undefined)
      }
      expect(await updated.isVisible(), 'the polled snapshot never showed the new reading').toBe(true)
      expect(await connection.innerText()).toMatch(/Cập nhật lúc \d\d:\d\d/)
      await offline.screenshot({ path: `${screenshots}/public-360-offline.png`, fullPage: true })
    } finally {
      await offline.close()
    }
  })
})
