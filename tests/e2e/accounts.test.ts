import { existsSync, mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { addUser, loginAsAdmin, TEST_ADMIN, TEST_AREA } from '../helpers/auth.ts'
import { launchChromium } from '../helpers/browser.ts'
import { startServer, type TestServer } from '../helpers/server.ts'
import { logIn, logOut, openChangePassword, openUserMenu, submitLogin } from './pages.ts'

const webDist = fileURLToPath(new URL('../../web/dist', import.meta.url))
const screenshots = fileURLToPath(new URL('../../test-results', import.meta.url))

/** Accounts as people meet them: the login page, what each role sees, and an admin handing out accounts. */
describe('accounts in Chromium', () => {
  let server: TestServer
  let browser: Browser
  const contexts: BrowserContext[] = []

  /** A fresh browser profile (its own cookies) at the dashboard's address. */
  async function openPage(width = 1280): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 800 } })
    contexts.push(context)
    const page = await context.newPage()
    page.on('pageerror', (error) => console.error('page error:', error.message))
    await page.goto(server.baseUrl)
    return page
  }

  beforeAll(async () => {
    if (!existsSync(`${webDist}/index.html`)) throw new Error('web/dist is missing: run `pnpm build` first (`pnpm test` does)')
    mkdirSync(screenshots, { recursive: true })
    server = await startServer({ webDir: webDist })
    browser = await launchChromium()
  })
  afterAll(async () => {
    for (const context of contexts) await context.close()
    await browser?.close()
    await server?.close()
  })

  it('shows the login page first, and says so when the password is wrong', async () => {
    const page = await openPage()
    await submitLogin(page, { username: TEST_ADMIN.username, password: 'not-the-password' })
    const error = page.locator('[data-testid="login-error"]')
    await error.waitFor()
    expect(await error.innerText()).toBe('Sai tên đăng nhập hoặc mật khẩu.')
    // Focus goes back to the password, marked invalid, ready to be typed again.
    await page.locator('#login-password:focus').waitFor()
    expect(await page.locator('[data-testid="map"]').count()).toBe(0)
    await page.screenshot({ path: `${screenshots}/login-error.png` })
  })

  it('shows area staff their name, role and area, and no administration', async () => {
    const account = await addUser(server, { role: 'area_staff', areaId: TEST_AREA, fullName: 'Lê Văn Cường' })
    const page = await openPage()
    await logIn(page, account)
    await page.locator('[data-testid="map"][data-stations-drawn]').waitFor()
    expect(await page.locator('[data-testid="user-name"]').innerText()).toBe('Lê Văn Cường')
    expect(await page.locator('[data-testid="user-role"]').innerText()).toBe('Cán bộ phường, xã')
    await openUserMenu(page)
    expect(await page.locator('[data-testid="user-area"]').innerText()).toBe('Phường/xã: Xã Tam Thăng')
    expect(await page.locator('[data-testid="nav-users"]').count()).toBe(0)
    await page.keyboard.press('Escape')
    // The map opens on their own commune, outlined, and the legend says which outline is theirs.
    await page.locator(`[data-testid="map"][data-focus-area="${TEST_AREA}"][data-stations-drawn]`).waitFor()
    await page.locator('.legend summary').click()
    await page.locator('.legend li').filter({ hasText: 'Phường/xã của bạn: Xã Tam Thăng' }).waitFor()
    await page.screenshot({ path: `${screenshots}/area-staff-map.png` })
    // Typing the address of an admin screen shows the map, not the screen.
    await page.goto(`${server.baseUrl}/#/admin/users`)
    await page.locator('[data-testid="map"]').waitFor()
    expect(await page.locator('[data-testid="users-screen"]').count()).toBe(0)
  })

  it('shows an operator their role and the cameras, and no administration', async () => {
    const account = await addUser(server, { role: 'operator', fullName: 'Trần Thị Bình' })
    const page = await openPage(360)
    await logIn(page, account)
    expect(await page.locator('[data-testid="user-role"]').innerText()).toBe('Trực ban IOC')
    await page.locator('.camera-list').waitFor()
    await page.locator('[data-testid="map"][data-stations-drawn]').waitFor()
    // Not bound to an area: the map opens on the whole city, no area singled out.
    expect(await page.locator('[data-testid="map"][data-focus-area]').count()).toBe(0)
    await openUserMenu(page)
    expect(await page.locator('[data-testid="user-area"]').count()).toBe(0)
    expect(await page.locator('[data-testid="nav-users"]').count()).toBe(0)
    await page.screenshot({ path: `${screenshots}/operator-menu-360.png` })
  })

  let created: { username: string; password: string }

  it('lets an admin create a user and read the one-time password', async () => {
    const page = await openPage()
    await logIn(page, TEST_ADMIN)
    await openUserMenu(page)
    await page.locator('[data-testid="nav-users"]').click()
    await page.locator('[data-testid="users-table"]').waitFor()

    await page.locator('[data-testid="user-create"]').click()
    const form = page.locator('[data-testid="user-create-form"]')
    // Refused before sending: the first field in error gets the focus.
    await form.getByRole('button', { name: 'Tạo tài khoản' }).click()
    await form.locator('#user-create-username-error').waitFor()
    await page.locator('#user-create-username:focus').waitFor()

    await form.getByLabel('Tên đăng nhập').fill('nguyenthie2e')
    await form.getByLabel('Họ và tên').fill('Nguyễn Thị Én')
    await form.getByLabel('Vai trò').selectOption('area_staff')
    await form.getByLabel('Phường/xã').selectOption(TEST_AREA)
    await form.getByRole('button', { name: 'Tạo tài khoản' }).click()

    const password = page.locator('[data-testid="credentials"] [data-testid="one-time-password"]')
    await password.waitFor()
    created = { username: 'nguyenthie2e', password: (await password.innerText()).trim() }
    expect(created.password.length).toBeGreaterThanOrEqual(12)
    await page.locator('[data-testid="users-table"] tr[data-username="nguyenthie2e"]').filter({ hasText: 'Xã Tam Thăng' }).waitFor()
    await page.screenshot({ path: `${screenshots}/admin-users.png`, fullPage: true })
  })

  it('lets an admin check a CSV import, see the refused row and why, then create the rest', async () => {
    const page = await openPage()
    await logIn(page, TEST_ADMIN)
    await page.goto(`${server.baseUrl}/#/admin/users`)
    await page.locator('[data-testid="user-import"]').click()
    const csv = ['username,full_name,role,area', `tranvane2e,Trần Văn Em,area_staff,${TEST_AREA}`, 'lethif2e,Lê Thị Phương,mayor,'].join('\n')
    await page.locator('[data-testid="import-text"]').fill(csv)
    await page.locator('[data-testid="import-check"]').click()

    const report = page.locator('[data-testid="import-report"][data-dry-run="true"]')
    await report.waitFor()
    const refused = report.locator('[data-testid="import-refused"] tbody tr')
    expect(await refused.count()).toBe(1)
    expect(await refused.innerText()).toContain('lethif2e')
    expect(await refused.innerText()).toContain('Vai trò không hợp lệ')
    expect(await page.locator('[data-testid="users-table"] tr[data-username="tranvane2e"]').count()).toBe(0)

    await page.locator('[data-testid="import-create"]').click()
    await page.locator('[data-testid="import-report"][data-dry-run="false"]').waitFor()
    await page.locator('[data-testid="credentials"] li[data-username="tranvane2e"] [data-testid="one-time-password"]').waitFor()
    await page.locator('[data-testid="users-table"] tr[data-username="tranvane2e"]').waitFor()
    expect(await page.locator('[data-testid="users-table"] tr[data-username="lethif2e"]').count()).toBe(0)
  })

  it('makes the new user choose a password at first login, then logout returns to the login page', async () => {
    const page = await openPage()
    await submitLogin(page, created)
    const form = page.locator('[data-testid="choose-password-form"]')
    await form.waitFor()

    await form.getByLabel('Mật khẩu mới', { exact: true }).fill('ngan')
    await form.getByLabel('Nhập lại mật khẩu mới').fill('khac')
    await form.getByRole('button', { name: 'Lưu mật khẩu' }).click()
    await form.locator('#password-new-error').filter({ hasText: 'ít nhất 12 ký tự' }).waitFor()
    await page.locator('#password-new:focus').waitFor()

    const chosen = 'sông Tam Kỳ mùa lũ 2025'
    await form.getByLabel('Mật khẩu mới', { exact: true }).fill(chosen)
    await form.getByLabel('Nhập lại mật khẩu mới').fill(chosen)
    await form.getByRole('button', { name: 'Lưu mật khẩu' }).click()
    await page.locator('[data-testid="user-name"]').filter({ hasText: 'Nguyễn Thị Én' }).waitFor()

    await logOut(page)
    expect(await page.locator('[data-testid="login-notice"]').innerText()).toBe('Bạn đã đăng xuất.')
    // The new password works; the one-time one does not any more.
    await submitLogin(page, created)
    await page.locator('[data-testid="login-error"]').waitFor()
    await logIn(page, { username: created.username, password: chosen })
  })

  it('opens an area staff user on their own area on a phone too', async () => {
    const account = await addUser(server, { role: 'area_staff', areaId: TEST_AREA })
    const page = await openPage(360)
    await logIn(page, account)
    const map = page.locator(`[data-testid="map"][data-focus-area="${TEST_AREA}"][data-stations-drawn]`)
    await map.waitFor()
    await page.screenshot({ path: `${screenshots}/area-staff-map-360.png` })

    // The password dialog fits a phone screen.
    await openChangePassword(page)
    await page.screenshot({ path: `${screenshots}/change-password-360.png` })
  })

  it('lets a user change their password from the menu; other sessions end, and the new password logs in', async () => {
    const account = await addUser(server, { role: 'staff', fullName: 'Phạm Văn Dũng' })
    const elsewhere = await openPage()
    await logIn(elsewhere, account)
    await elsewhere.locator('[data-testid="connection"][data-state="connected"]').waitFor()
    const page = await openPage()
    await logIn(page, account)

    // Escape closes the dialog and gives focus back to the menu button.
    await openChangePassword(page)
    await page.keyboard.press('Escape')
    await page.locator('dialog[data-testid="change-password-dialog"]').waitFor({ state: 'detached' })
    await page.locator('.user-toggle:focus').waitFor()

    const dialog = await openChangePassword(page)
    expect(await dialog.getAttribute('aria-labelledby')).toBe('change-password-title')
    const chosen = 'cầu Kỳ Phú mùa nước nổi'
    // Checked before sending: too short, then the two entries differ.
    await dialog.getByLabel('Mật khẩu hiện tại').fill(account.password)
    await dialog.getByLabel('Mật khẩu mới', { exact: true }).fill('ngan')
    await dialog.getByRole('button', { name: 'Lưu mật khẩu' }).click()
    await dialog.locator('#change-password-new-error').filter({ hasText: 'ít nhất 12 ký tự' }).waitFor()
    await page.locator('#change-password-new:focus').waitFor()
    await dialog.getByLabel('Mật khẩu mới', { exact: true }).fill(chosen)
    await dialog.getByLabel('Nhập lại mật khẩu mới').fill(`${chosen}!`)
    await dialog.getByRole('button', { name: 'Lưu mật khẩu' }).click()
    await dialog.locator('#change-password-repeat-error').filter({ hasText: 'Hai mật khẩu không khớp.' }).waitFor()

    // Refused by the server (a wrong current password): said in Vietnamese, on that field.
    await dialog.getByLabel('Mật khẩu hiện tại').fill('not-my-password-at-all')
    await dialog.getByLabel('Nhập lại mật khẩu mới').fill(chosen)
    await dialog.getByRole('button', { name: 'Lưu mật khẩu' }).click()
    await dialog.locator('#change-password-current-error').filter({ hasText: 'Mật khẩu hiện tại không đúng.' }).waitFor()
    await page.locator('#change-password-current:focus').waitFor()
    await page.screenshot({ path: `${screenshots}/change-password-refused.png` })

    await dialog.getByLabel('Mật khẩu hiện tại').fill(account.password)
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/auth/password') && r.status() === 200)
    await dialog.getByRole('button', { name: 'Lưu mật khẩu' }).click()
    const { csrfToken } = (await (await answered).json()) as { csrfToken: string }
    const done = dialog.locator('[data-testid="change-password-done"]')
    await done.waitFor()
    expect(await done.innerText()).toBe('Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã kết thúc.')
    await page.screenshot({ path: `${screenshots}/change-password-done.png` })
    await page.locator('[data-testid="change-password-close"]:focus').waitFor()
    await page.keyboard.press('Enter')
    await page.locator('.user-toggle:focus').waitFor()

    // The other browser's session ended; this one goes on, with the token the change answered.
    await elsewhere.locator('[data-testid="login-notice"]').filter({ hasText: 'Phiên làm việc của bạn đã kết thúc' }).waitFor()
    const logout = page.waitForRequest((r) => r.url().endsWith('/api/auth/logout'))
    await logOut(page)
    expect((await logout).headers()['x-csrf-token']).toBe(csrfToken)

    await submitLogin(page, account)
    await page.locator('[data-testid="login-error"]').waitFor()
    await logIn(page, { username: account.username, password: chosen })
    expect(await page.locator('[data-testid="user-name"]').innerText()).toBe('Phạm Văn Dũng')
  })

  it('sends a user whose account is disabled back to the login page, saying the session ended', async () => {
    const account = await addUser(server, { role: 'staff' })
    const page = await openPage()
    await logIn(page, account)
    await page.locator('[data-testid="connection"][data-state="connected"]').waitFor()

    const admin = await loginAsAdmin(server)
    const response = await admin.fetch(`/api/users/${account.id}`, { method: 'PATCH', body: { disabled: true } })
    expect(response.status).toBe(200)

    await page.locator('[data-testid="login-notice"]').filter({ hasText: 'Phiên làm việc của bạn đã kết thúc' }).waitFor()
  })
})
