import type { Page } from 'playwright-core'

/** Fills the login form and submits it (Vietnamese labels, the default language). */
export async function submitLogin(page: Page, account: { username: string; password: string }): Promise<void> {
  const form = page.locator('[data-testid="login-form"]')
  await form.waitFor()
  await form.getByLabel('Tên đăng nhập').fill(account.username)
  await form.getByLabel('Mật khẩu').fill(account.password)
  await form.getByRole('button', { name: 'Đăng nhập' }).click()
}

/** Logs in an account that already has its own password, and waits for the dashboard's header. */
export async function logIn(page: Page, account: { username: string; password: string }): Promise<void> {
  await submitLogin(page, account)
  await page.locator('[data-testid="user-menu"]').waitFor()
}

/** Opens the user menu in the header (name, role, admin links, logout). */
export async function openUserMenu(page: Page): Promise<void> {
  const toggle = page.locator('.user-toggle')
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click()
  await page.locator('#user-menu-panel:not([hidden])').waitFor()
}

export async function logOut(page: Page): Promise<void> {
  await openUserMenu(page)
  await page.locator('[data-testid="logout"]').click()
  await page.locator('[data-testid="login-form"]').waitFor()
}


/** Opens "change password" from the user menu and waits for its dialog, focus in its first field. */
export async function openChangePassword(page: Page) {
  await openUserMenu(page)
  await page.locator('[data-testid="change-password"]').click()
  const dialog = page.locator('dialog[data-testid="change-password-dialog"][open]')
  await dialog.waitFor()
  await page.locator('#change-password-current:focus').waitFor()
  return dialog
}
