import { existsSync, mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Locator, Page } from 'playwright-core'
import type { IndicatorValue } from '@ioc/shared'
import { launchChromium } from '../helpers/browser.ts'
import { addUser, loginAsAdmin, OTHER_AREA, TEST_AREA, type TestAccount } from '../helpers/auth.ts'
import { startServer, type TestServer } from '../helpers/server.ts'
import { logIn, openUserMenu } from './pages.ts'

const webDist = fileURLToPath(new URL('../../web/dist', import.meta.url))
const screenshots = fileURLToPath(new URL('../../test-results', import.meta.url))

/** The indicator the page opens on (the pack's first). */
const KEY = 'online-public-services'

const row = (page: Page, areaId: string): Locator => page.locator(`[data-testid="indicator-table"] tr[data-area-id="${areaId}"]`)
const valueCell = (page: Page, areaId: string): Locator => row(page, areaId).locator('[data-testid="indicator-value"]')
const form = (page: Page): Locator => page.locator('[data-testid="area-panel"] [data-testid="indicator-form"]')

/** Chart.js and MapLibre size their canvases on the next frames: let them pass before a picture. */
const settle = (page: Page) => page.evaluate('new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))')

/**
 * Issue 8 point 4 in two browsers: an area staff member of Xã Tam Thăng opens the indicator view on
 * their own commune with its edit form, is told the range when a value is refused, saves a value — and
 * a city staff member on a phone sees it change in the table, live; a change made meanwhile by
 * someone else comes back as a conflict to settle.
 */
describe('area indicators in Chromium', () => {
  let server: TestServer
  let browser: Browser
  let areaPage: Page
  let staffPage: Page
  let areaStaff: TestAccount

  beforeAll(async () => {
    if (!existsSync(`${webDist}/index.html`)) throw new Error('web/dist is missing: run `pnpm build` first (`pnpm test` does)')
    mkdirSync(screenshots, { recursive: true })
    server = await startServer({ webDir: webDist })
    browser = await launchChromium()
    areaStaff = await addUser(server, { role: 'area_staff', areaId: TEST_AREA })
    const staff = await addUser(server, { role: 'staff' })
    areaPage = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
    staffPage = await (await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true })).newPage()
    for (const page of [areaPage, staffPage]) page.on('pageerror', (error) => console.error('page error:', error.message))
    await areaPage.goto(server.baseUrl)
    await logIn(areaPage, areaStaff)
    await staffPage.goto(`${server.baseUrl}/#/indicators`)
    await logIn(staffPage, staff)
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('opens on the area staff member’s own commune, coloured on the map, with its edit form', async () => {
    // From the header's menu, and the map's own switch says where it is.
    await openUserMenu(areaPage)
    await areaPage.locator('[data-testid="nav-indicators"]').click()
    await areaPage.locator('[data-testid="map-view-switch"] a[aria-current="page"]', { hasText: 'Chỉ số' }).waitFor()
    await areaPage.locator('[data-testid="indicators"][data-state="ready"]').waitFor()
    await areaPage.locator(`[data-testid="area-panel"][data-area-id="${TEST_AREA}"][data-editable="true"]`).waitFor()
    await form(areaPage).waitFor()
    await areaPage.locator('[data-testid="map"][data-view="indicators"][data-choropleth-values]').waitFor({ state: 'attached' })
    await areaPage.locator('[data-testid="indicator-legend"]:not([data-classes="0"])').waitFor()
    // The pack ships demo figures: the page says so.
    await areaPage.locator('[data-testid="indicator-demo"]').waitFor()
    await areaPage.locator('[data-testid="indicator-trend"][data-state="ready"]').waitFor()
    await settle(areaPage)
    await areaPage.screenshot({ path: `${screenshots}/indicators-map-1280.png` })
    await areaPage.locator('[data-testid="indicator-table"]').screenshot({ path: `${screenshots}/indicators-table-1280.png` })
  })

  it('shows another area read-only, without the form', async () => {
    await row(areaPage, OTHER_AREA).locator('th button').click()
    await areaPage.locator(`[data-testid="area-panel"][data-area-id="${OTHER_AREA}"][data-editable="false"]`).waitFor()
    await areaPage.locator('[data-testid="indicator-read-only"]').waitFor()
    expect(await areaPage.locator('[data-testid="indicator-form"]').count()).toBe(0)
    await row(areaPage, TEST_AREA).locator('th button').click()
    await form(areaPage).waitFor()
  })

  it('refuses a value out of range with the range in words', async () => {
    const input = form(areaPage).getByLabel('Giá trị (%)')
    await input.fill('120')
    await form(areaPage).locator('[data-testid="indicator-save"]').click()
    await form(areaPage).locator('.field-error', { hasText: 'Giá trị phải từ 0% đến 100%.' }).waitFor()
    expect(await input.getAttribute('aria-invalid')).toBe('true')
  })

  it('saves a value, and the staff member’s phone shows it change without a reload', async () => {
    await staffPage.locator('[data-testid="indicators"][data-state="ready"]').waitFor()
    // No form for city staff anywhere.
    await row(staffPage, TEST_AREA).locator('th button').click()
    await staffPage.locator(`[data-testid="area-panel"][data-area-id="${TEST_AREA}"][data-editable="false"]`).waitFor()
    await staffPage.evaluate('window.__samePage = true')

    await form(areaPage).getByLabel('Giá trị (%)').fill('77,7')
    await form(areaPage).getByLabel('Ghi chú (không bắt buộc)').fill('Số liệu bộ phận một cửa')
    await form(areaPage).locator('[data-testid="indicator-save"]').click()
    await areaPage.locator('[data-testid="indicator-form"][data-state="saved"]').waitFor()
    await valueCell(areaPage, TEST_AREA).and(areaPage.locator('[data-value="77.7"]')).waitFor()
    await areaPage.locator('[data-testid="indicator-history"] li', { hasText: areaStaff.username }).filter({ hasText: 'Số liệu bộ phận một cửa' }).waitFor()

    await valueCell(staffPage, TEST_AREA).and(staffPage.locator('[data-value="77.7"]')).waitFor()
    await staffPage.locator('[data-testid="area-value"]', { hasText: '77,7%' }).waitFor()
    expect(await staffPage.evaluate('window.__samePage')).toBe(true)
    await staffPage.locator('[data-testid="indicator-table"]').scrollIntoViewIfNeeded()
    await staffPage.screenshot({ path: `${screenshots}/indicators-table-360.png` })
    await staffPage.evaluate('window.scrollTo(0, 0)')
    await settle(staffPage)
    await staffPage.screenshot({ path: `${screenshots}/indicators-map-360.png` })
  })

  it('tells who changed the value meanwhile, and keeps the area staff member’s figure on request', async () => {
    const input = form(areaPage).getByLabel('Giá trị (%)')
    await input.fill('78,5')
    // The admin corrects the same value from elsewhere while the form is being filled in.
    const admin = await loginAsAdmin(server)
    const period = await valueCell(areaPage, TEST_AREA).locator('xpath=ancestor::table').getAttribute('data-period')
    const current = Number(await valueCell(areaPage, TEST_AREA).getAttribute('data-version'))
    const answer = await admin.fetch(`/api/indicators/${TEST_AREA}/${KEY}/${period}`, { method: 'PUT', body: { value: 80, expectedVersion: current } })
    expect(answer.status).toBe(200)
    const theirs = (await answer.json()) as IndicatorValue
    await valueCell(areaPage, TEST_AREA).and(areaPage.locator(`[data-version="${theirs.version}"]`)).waitFor()
    // What was typed is kept: nothing is overwritten under the user's fingers.
    expect(await input.inputValue()).toBe('78,5')

    await form(areaPage).locator('[data-testid="indicator-save"]').click()
    const conflict = areaPage.locator('[data-testid="indicator-conflict"]')
    await conflict.filter({ hasText: 'Số liệu vừa được admin sửa thành 80% lúc' }).waitFor()
    await areaPage.locator('[data-testid="indicator-form"][data-state="conflict"]').scrollIntoViewIfNeeded()
    await areaPage.screenshot({ path: `${screenshots}/indicators-conflict-1280.png` })
    await areaPage.setViewportSize({ width: 360, height: 740 })
    await conflict.scrollIntoViewIfNeeded()
    await areaPage.screenshot({ path: `${screenshots}/indicators-conflict-360.png` })
    await areaPage.setViewportSize({ width: 1280, height: 800 })

    await conflict.locator('[data-testid="conflict-keep-mine"]').click()
    await areaPage.locator('[data-testid="indicator-form"][data-state="saved"]').waitFor()
    await valueCell(staffPage, TEST_AREA).and(staffPage.locator('[data-value="78.5"]')).waitFor()
    expect(Number(await valueCell(areaPage, TEST_AREA).getAttribute('data-version'))).toBe(theirs.version + 1)
  })
})
