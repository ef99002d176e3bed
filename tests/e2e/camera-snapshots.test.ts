import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { cameraSnapshotTopic } from '@ioc/shared'
import { gaugePictureJpeg } from '@ioc/simulators'
import { launchChromium } from '../helpers/browser.ts'
import { addUser } from '../helpers/auth.ts'
import { startServer, type TestServer } from '../helpers/server.ts'
import { logIn } from './pages.ts'

const run = promisify(execFile)
const webDist = fileURLToPath(new URL('../../web/dist', import.meta.url))
/** Where the screens of this feature are kept for people to look at (and the review to find). */
const screenshots = process.env.IOC_SHOTS_DIR ?? fileURLToPath(new URL('../../test-results/cameras', import.meta.url))
/** The camera at the Tam Kỳ bridge: the one the city pack marks public. */
const CAMERA = 'cam-cau-tam-ky'
const DESKTOP = { width: 1440, height: 900 }
const PHONE = { width: 360, height: 740 }

/** What the store shows for an <img>: its snapshot time, and whether the browser decoded it. */
async function shownPicture(page: Page, selector: string): Promise<{ ts: string | null; naturalWidth: number }> {
  return page.locator(selector).evaluate((element) => {
    const img = element as unknown as { complete: boolean; naturalWidth: number; getAttribute(name: string): string | null }
    return { ts: img.getAttribute('data-snapshot-ts'), naturalWidth: img.complete ? img.naturalWidth : 0 }
  })
}

/**
 * Issue #19: a camera's JPEG sent the way a real camera does (`mosquitto_pub -f`, with the camera's own
 * device credential) shows in the dashboard's camera panel with its age, on the map's popup, and — this
 * camera being public — on the citizens' page; the scrubber goes back to an older picture.
 */
describe('camera pictures in Chromium', () => {
  let server: TestServer
  let browser: Browser
  let page: Page
  let pictures: string
  let publishPicture: (levelCm: number) => Promise<void>

  beforeAll(async () => {
    if (!existsSync(`${webDist}/index.html`)) throw new Error('web/dist is missing: run `pnpm build` first (`pnpm test` does)')
    mkdirSync(screenshots, { recursive: true })
    server = await startServer({ webDir: webDist })
    pictures = mkdtempSync(join(tmpdir(), 'ioc-pictures-'))
    const [credential] = await server.app.deviceCredentials.issueDevices([CAMERA])
    const { username, password } = credential!
    let sent = 0
    publishPicture = async (levelCm) => {
      const file = join(pictures, `picture-${++sent}.jpg`)
      writeFileSync(file, gaugePictureJpeg({ cameraId: CAMERA, levelCm, topCm: 350, alarmCm: [170, 220, 270], atMs: Date.now(), timeZone: 'Asia/Ho_Chi_Minh' }))
      const port = String(server.app.embeddedBrokerPort)
      await run('mosquitto_pub', ['-h', '127.0.0.1', '-p', port, '-u', username, '-P', password, '-i', username, '-q', '1', '-t', cameraSnapshotTopic(CAMERA), '-f', file])
    }
    browser = await launchChromium()
    page = await browser.newPage({ viewport: DESKTOP })
    page.on('pageerror', (error) => console.error('page error:', error.message))
    await page.goto(server.baseUrl)
    await logIn(page, await addUser(server, { role: 'operator' }))
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    if (pictures) rmSync(pictures, { recursive: true, force: true })
  })

  it('says so while the camera has sent no picture', async () => {
    // Live first: the pictures published next come to the panel by the socket.
    await page.locator('[data-testid="connection"][data-state="connected"]').waitFor()
    await page.locator('.camera-list summary').click()
    await page.locator(`[data-camera-id="${CAMERA}"] button`).click()
    const panel = page.locator(`[data-testid="camera-detail"][data-detail-id="${CAMERA}"]`)
    await panel.locator('[data-testid="camera-pictures"][data-state="none"]').filter({ hasText: 'Camera chưa gửi ảnh' }).waitFor()
    await panel.screenshot({ path: `${screenshots}/camera-panel-none-1440.png` })
  })

  it('shows a picture published with mosquitto_pub in the camera panel, with its age, live', async () => {
    await publishPicture(90)
    const pictureBox = page.locator('[data-testid="camera-pictures"][data-state="shown"][data-live="true"]')
    await pictureBox.waitFor()
    expect(await page.locator('[data-testid="camera-picture-age"]').innerText()).toBe('ảnh vừa xong')
    const first = await shownPicture(page, '[data-testid="camera-picture"]')
    expect(first.naturalWidth).toBe(640)

    await publishPicture(250)
    await page.locator(`[data-testid="camera-picture"]:not([data-snapshot-ts="${first.ts}"])`).waitFor()
    await pictureBox.waitFor()
    const second = await shownPicture(page, '[data-testid="camera-picture"]')
    expect(Date.parse(second.ts!)).toBeGreaterThan(Date.parse(first.ts!))
    expect(await page.locator('[data-testid="camera-scrubber"]').getAttribute('max')).toBe('1')
    await page.locator('[data-testid="camera-detail"]').screenshot({ path: `${screenshots}/camera-panel-1440.png` })

    // The scrubber, by keyboard: one step back is the older picture, held until "Mới nhất".
    await page.locator('[data-testid="camera-scrubber"]').focus()
    await page.keyboard.press('ArrowLeft')
    await page.locator(`[data-testid="camera-pictures"][data-live="false"] [data-testid="camera-picture"][data-snapshot-ts="${first.ts}"]`).waitFor()
    expect(await page.locator('[data-testid="camera-scrubber"]').getAttribute('aria-valuetext')).toMatch(/ảnh vừa xong$/)
    await page.locator('[data-testid="camera-pictures"][data-state="shown"]').waitFor()
    await page.locator('[data-testid="camera-detail"]').screenshot({ path: `${screenshots}/camera-panel-older-1440.png` })
    await page.getByRole('button', { name: 'Mới nhất' }).click()
    await page.locator(`[data-testid="camera-pictures"][data-live="true"] [data-testid="camera-picture"][data-snapshot-ts="${second.ts}"]`).waitFor()
  })

  it('shows the thumbnail on the map while the camera is focused in the list', async () => {
    await page.locator(`[data-camera-id="${CAMERA}"] button`).focus()
    const popup = page.locator(`[data-testid="camera-popup"][data-camera-id="${CAMERA}"]`)
    await popup.filter({ hasText: 'Cầu Tam Kỳ' }).filter({ hasText: 'ảnh vừa xong' }).waitFor()
    await page.waitForFunction(() => {
      const img = (globalThis as unknown as { document: { querySelector(s: string): { complete: boolean; naturalWidth: number } | null } }).document.querySelector('[data-testid="camera-popup"] img')
      return img !== null && img.complete && img.naturalWidth === 160
    })
    await page.screenshot({ path: `${screenshots}/map-popup-1440.png` })
    await page.setViewportSize(PHONE)
    await page.locator(`[data-camera-id="${CAMERA}"] button`).focus()
    await popup.waitFor()
    await page.screenshot({ path: `${screenshots}/map-popup-360.png`, fullPage: true })
    await page.locator('[data-testid="camera-detail"]').screenshot({ path: `${screenshots}/camera-panel-360.png` })
    await page.locator(`[data-camera-id="${CAMERA}"] button`).blur()
    await popup.waitFor({ state: 'detached' })
    await page.setViewportSize(DESKTOP)
  })

  it('shows the public camera\'s latest picture on the citizens\' page, and the next one live', async () => {
    const citizens = await browser.newPage({ viewport: PHONE })
    try {
      await citizens.goto(`${server.baseUrl}/muc-nuoc`)
      const item = citizens.locator(`[data-testid="public-cameras"] [data-camera-id="${CAMERA}"]`)
      await item.filter({ hasText: 'Cầu Tam Kỳ' }).filter({ hasText: /Ảnh lúc \d\d:\d\d · vừa xong/ }).waitFor()
      const img = item.locator('img')
      expect(await img.getAttribute('loading')).toBe('lazy')
      expect(await img.getAttribute('alt')).toMatch(/^Ảnh từ camera Cầu Tam Kỳ lúc \d\d:\d\d$/)
      const before = await img.getAttribute('data-snapshot-ts')

      await publishPicture(270)
      await item.locator(`img:not([data-snapshot-ts="${before}"])`).waitFor()
      await img.scrollIntoViewIfNeeded()
      await citizens.waitForFunction(() => {
        const shown = (globalThis as unknown as { document: { querySelector(s: string): { complete: boolean; naturalWidth: number } | null } }).document.querySelector('[data-testid="public-cameras"] [data-camera-id="cam-cau-tam-ky"] img')
        return shown !== null && shown.complete && shown.naturalWidth === 640
      })
      await citizens.locator('[data-testid="public-cameras"]').screenshot({ path: `${screenshots}/citizens-cameras-360.png` })
      await citizens.setViewportSize(DESKTOP)
      await citizens.locator('[data-testid="public-cameras"]').screenshot({ path: `${screenshots}/citizens-cameras-1440.png` })
      // Only cameras marked public are listed.
      expect(await citizens.locator('[data-testid="public-cameras"] [data-camera-id]').count()).toBe(server.app.city.cameras.filter((c) => c.public === true).length)
    } finally {
      await citizens.close()
    }
  })

  it('writes the public camera\'s picture into the citizens\' page for phones without JavaScript', async () => {
    const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false })
    try {
      const citizens = await context.newPage()
      await citizens.goto(`${server.baseUrl}/muc-nuoc`)
      const img = citizens.locator(`[data-testid="public-cameras"] [data-camera-id="${CAMERA}"] img`)
      expect(await img.getAttribute('alt')).toMatch(/^Ảnh từ camera Cầu Tam Kỳ lúc \d\d:\d\d \d\d\/\d\d$/)
      await img.scrollIntoViewIfNeeded()
      await citizens.waitForFunction(() => {
        const shown = (globalThis as unknown as { document: { querySelector(s: string): { complete: boolean; naturalWidth: number } | null } }).document.querySelector('[data-testid="public-cameras"] [data-camera-id="cam-cau-tam-ky"] img')
        return shown !== null && shown.complete && shown.naturalWidth === 640
      })
      await citizens.locator('[data-testid="public-cameras"]').screenshot({ path: `${screenshots}/citizens-cameras-nojs-360.png` })
    } finally {
      await context.close()
    }
  })
})
