import { describe, expect, it } from 'vitest'
import { keyBytes } from './browser-push.ts'

describe('keyBytes', () => {
  it('turns a VAPID key in URL-safe base64 without padding into its 65 bytes, the uncompressed point', () => {
    const key = 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM'
    const bytes = keyBytes(key)
    expect(bytes).toHaveLength(65)
    expect(bytes[0]).toBe(4)
    expect(Buffer.from(bytes).toString('base64url')).toBe(key)
  })
})
