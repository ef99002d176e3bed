import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { floodReadingTopic } from '@ioc/shared'
import { launchChromium } from '../helpers/browser.ts'
import { addUser, type TestAccount } from '../helpers/auth.ts'
import { connectDevice, startServer, type TestServer } from '../helpers/server.ts'
import { logIn, openUserMenu } from './pages.ts'

const webDist = fileURLToPath(new URL('../../web/dist', import.meta.url))
/** Where the report's pictures go: every screen at 1440 and 360 px, and the printed sheet. */
const shots = process.env.IOC_REPORT_SHOTS ?? fileURLToPath(new URL('../../test-results/report', import.meta.url))

const STATION = 'tam-ky-river'
const NOTE = 'Đã báo UBND phường An Mỹ, sơ tán hộ ven sông'
/** A storm on the Tam Kỳ river (BĐ1 170, BĐ2 220, BĐ3 270 cm), a reading a minute, ending a minute ago. */
const STORM_CM = [100, 180, 230, 280, 280]

/**
 * The whole report in one picture: on a desk the report scrolls inside the page, which a full-page
 * screenshot does not follow, so the window is made as tall as the report for the shot.
 */
async function screenshotWhole(page: Page, path: string): Promise<void> {
  const viewport = page.viewportSize()!
  const height = await page.evaluate(() => {
    const report = (globalThis as unknown as { document: { querySelector(s: string): { scrollHeight: number; offsetTop: number } | null } }).document.querySelector('.report')!
    return report.offsetTop + report.scrollHeight
  })
  await page.setViewportSize({ width: viewport.width, height: Math.ceil(height) })
  await page.screenshot({ path })
  await page.setViewportSize(viewport)
}

/**
 * Issue 19 part 4: after a storm, an operator who acknowledged its alarm opens the storm report for
 * the window (the last 24 h, the default), sees the alarm with who acknowledged it and how long it
 * waited, downloads the same as CSV, and prints it on A4.
 */
describe('the storm report in Chromium', () => {
  let server: TestServer
  let browser: Browser
  let page: Page
  let operator: TestAccount

  beforeAll(async () => {
    if (!existsSync(`${webDist}/index.html`)) throw new Error('web/dist is missing: run `pnpm build` first (`pnpm test` does)')
    mkdirSync(shots, { recursive: true })
    server = await startServer({ webDir: webDist })
    browser = await launchChromium()
    operator = await addUser(server, { role: 'operator' })
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true })).newPage()
    page.on('pageerror', (error) => console.error('page error:', error.message))
    await page.goto(server.baseUrl)
    await logIn(page, operator)
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('lists the alarm the operator acknowledged during the storm, with who and the wait', async () => {
    const device = await connectDevice(server.mqttUrl)
    const end = Date.now() - 60_000
    for (const [i, cm] of STORM_CM.entries()) {
      await device.publish(floodReadingTopic(STATION), { ts: new Date(end - (STORM_CM.length - 1 - i) * 60_000).toISOString(), waterLevelCm: cm })
    }
    await device.close()

    const alarm = page.locator(`[data-testid="alarm-panel"] li[data-alarm-type="flood_level"][data-source-id="${STATION}"][data-level="3"]`)
    await alarm.filter({ hasText: 'Chưa xác nhận' }).waitFor()
    await alarm.locator('[data-testid="alarm-ack"]').click()
    const dialog = page.locator('dialog[data-testid="ack-dialog"][open]')
    await dialog.getByLabel('Ghi chú (không bắt buộc)').fill(NOTE)
    await dialog.locator('[data-testid="ack-submit"]').click()
    await page.locator(`[data-testid="alarm-panel"] li[data-alarm-type="flood_level"][data-state="acknowledged"]`).filter({ hasText: operator.username }).waitFor()

    await openUserMenu(page)
    await page.locator('[data-testid="nav-report"]', { hasText: 'Báo cáo sau bão' }).click()
    await page.locator('h1', { hasText: 'Báo cáo sau bão' }).waitFor()
    await page.locator('[data-testid="report-body"]').waitFor()

    const row = page.locator('[data-testid="report-alarms"] tbody tr').filter({ hasText: 'Báo động III (BĐ3)' })
    await expect(row.textContent()).resolves.toContain('Trạm thủy văn Tam Kỳ')
    await expect(row.locator('[data-testid="report-ack-by"]').textContent()).resolves.toBe(operator.username)
    await expect(row.locator('[data-testid="report-ack-wait"]').textContent()).resolves.toMatch(/^\d+ (giây|phút)$/)
    await expect(row.textContent()).resolves.toContain(NOTE)
    const summary = page.locator('[data-testid="report-summary"]')
    await expect(summary.textContent()).resolves.toMatch(/Số trạm đạt BĐ3\s*1/)
    await expect(page.locator(`[data-testid="report-stations"] tr[data-station-id="${STATION}"]`).textContent()).resolves.toContain('280 cm · BĐ3')
    await page.screenshot({ path: `${shots}/report-1440.png` })
    await screenshotWhole(page, `${shots}/report-1440-whole.png`)
  })

  it('downloads the same report as an Excel-ready CSV holding the acknowledgement', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="report-csv"]').click()])
    expect(download.suggestedFilename()).toMatch(/^bao-cao-sau-bao_\d{8}T\d{6}Z_\d{8}T\d{6}Z\.csv$/)
    const bytes = readFileSync(await download.path())
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const lines = bytes.toString('utf8').slice(1).split('\r\n')
    const alarmLine = lines.find((line) => line.includes(',Mực nước vượt mức báo động,'))
    expect(alarmLine).toBeDefined()
    expect(alarmLine).toContain(`,BĐ3,`)
    expect(alarmLine).toContain(`,${operator.username},`)
    expect(alarmLine).toContain(`,"${NOTE}",`)
  })

  it('prints on A4: the report alone, black on white, with the city and the window', async () => {
    await page.emulateMedia({ media: 'print' })
    await page.setViewportSize({ width: 794, height: 1123 })
    expect(await page.locator('.app-header').isVisible()).toBe(false)
    expect(await page.locator('[data-testid="report-print"]').isVisible()).toBe(false)
    expect(await page.locator('.report-picker').isVisible()).toBe(false)
    await expect(page.locator('[data-testid="report-window-text"]').textContent()).resolves.toMatch(/^Từ .+ đến .+$/)
    // Printed tables stay tables: the headings are shown, not folded into cards as on a phone.
    expect(await page.locator('[data-testid="report-alarms"] thead').isVisible()).toBe(true)
    await page.screenshot({ path: `${shots}/report-print-a4.png`, fullPage: true })
    const pdf = await page.pdf({ path: `${shots}/report-print.pdf`, format: 'A4', preferCSSPageSize: true })
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    await page.emulateMedia({ media: 'screen' })
    await page.setViewportSize({ width: 1440, height: 900 })
  })

  it('fits a phone at 360 px, and refuses a window that ends before it starts', async () => {
    const phone = await (await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true })).newPage()
    const staff = await addUser(server, { role: 'staff' })
    await phone.goto(server.baseUrl)
    await logIn(phone, staff)
    await phone.goto(`${server.baseUrl}/#/reports/storm`)
    await phone.locator('[data-testid="report-body"]').waitFor()
    await phone.locator('[data-testid="report-alarms"] [data-testid="report-ack-by"]', { hasText: operator.username }).waitFor()
    expect(await phone.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    await phone.screenshot({ path: `${shots}/report-360.png`, fullPage: true })

    await phone.locator('[data-testid="report-to"]').fill('2024-10-29T08:00')
    await phone.locator('[data-testid="report-from"]').fill('2024-10-30T08:00')
    await phone.locator('[data-testid="report-make"]').click()
    const problem = phone.locator('[data-testid="report-problem"]', { hasText: 'Thời điểm bắt đầu phải trước thời điểm kết thúc.' })
    await problem.waitFor()
    await problem.scrollIntoViewIfNeeded()
    await phone.screenshot({ path: `${shots}/report-360-window-error.png` })
  })
})
