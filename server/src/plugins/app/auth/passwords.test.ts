import { describe, expect, it } from 'vitest'
import { generatePassword, hashPassword, verifyPassword } from './passwords.ts'

describe('passwords', () => {
  it('verifies the password a hash was made from, and no other', async () => {
    const stored = await hashPassword('mật khẩu đủ dài 2024')
    expect(stored).toMatch(/^\$argon2id\$/)
    expect(stored).not.toContain('mật khẩu')
    expect(await verifyPassword(stored, 'mật khẩu đủ dài 2024')).toBe(true)
    expect(await verifyPassword(stored, 'mật khẩu đủ dài 2025')).toBe(false)
  })

  it('answers false, not an exception, for a damaged stored hash', async () => {
    expect(await verifyPassword('not-a-hash', 'anything')).toBe(false)
  })

  it('makes readable one-time passwords that differ every time', () => {
    const made = new Set(Array.from({ length: 200 }, generatePassword))
    expect(made.size).toBe(200)
    for (const password of made) expect(password).toMatch(/^[a-hjkmnp-z2-9]{4}(-[a-hjkmnp-z2-9]{4}){4}$/)
  })
})
