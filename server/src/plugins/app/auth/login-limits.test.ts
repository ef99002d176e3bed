import { afterEach, describe, expect, it, vi } from 'vitest'
import { Redis } from 'ioredis'
import { createLoginLimiter, LOGIN_LIMITS, slowdownFor, type LoginAdmission } from './login-limits.ts'

/** A limiter in memory whose waits are recorded instead of slept. */
function limiter() {
  const waited: number[] = []
  const limits = createLoginLimiter({ redis: null, prefix: 'ioc', sleep: async (ms) => void waited.push(ms) })
  /** One whole attempt: admitted or not, then settled as `outcome` when admitted. */
  const attempt = async (account: string, address: string, outcome: 'failure' | 'success' | 'neither' = 'failure'): Promise<LoginAdmission> => {
    const admission = await limits.admit(account, address)
    if (admission.admitted) await limits.settle(account, address, outcome)
    return admission
  }
  return { limits, waited, attempt }
}
const addresses = (n: number) => Array.from({ length: n }, (_, i) => `198.51.100.${i + 1}`)

afterEach(() => {
  vi.useRealTimers()
})

describe('slowdownFor', () => {
  it('waits nothing below the threshold, 250 ms more per failure from it on, and never more than 5 s', () => {
    expect([0, 10, 20, LOGIN_LIMITS.slowAfter - 1].map((n) => slowdownFor(n))).toEqual([0, 0, 0, 0])
    expect([30, 31, 32, 40].map((n) => slowdownFor(n))).toEqual([250, 500, 750, 2750])
    expect([48, 49, 50, 10_000].map((n) => slowdownFor(n))).toEqual([4750, 5000, 5000, 5000])
  })

  it('lies above what one address can add in one window of the account (two of its own windows)', () => {
    expect(LOGIN_LIMITS.slowAfter).toBeGreaterThan(2 * LOGIN_LIMITS.perAccountAndAddress)
  })
})

describe('login limiter', () => {
  it(`refuses an account from one address after ${LOGIN_LIMITS.perAccountAndAddress} failures, and only from that address`, async () => {
    const { attempt, waited } = limiter()
    for (let i = 0; i < 50; i++) await attempt('admin', '203.0.113.66')
    const refused = await attempt('admin', '203.0.113.66')
    expect(refused).toMatchObject({ admitted: false, scope: 'account from this address' })
    expect(refused.admitted === false && refused.retryAfterMs).toBeGreaterThan(0)
    expect(refused.admitted === false && refused.retryAfterMs).toBeLessThanOrEqual(LOGIN_LIMITS.windowMs)
    // Only ten were failures: the forty refused attempts counted nowhere.
    expect(await attempt('admin', '192.0.2.10', 'success')).toEqual({ admitted: true, delayMs: 0, accountFailures: LOGIN_LIMITS.perAccountAndAddress })
    expect(waited).toEqual([])
  })

  it('never counts a success', async () => {
    const { attempt } = limiter()
    const answers = []
    for (let i = 0; i < 3 * LOGIN_LIMITS.perAccountAndAddress; i++) answers.push((await attempt('nguyenvana', '203.0.113.7', 'success')).admitted)
    expect(answers.every(Boolean)).toBe(true)
  })

  it("clears an account's count from an address on a success there", async () => {
    const { attempt } = limiter()
    for (let i = 0; i < LOGIN_LIMITS.perAccountAndAddress - 1; i++) await attempt('nguyenvana', '203.0.113.7')
    await attempt('nguyenvana', '203.0.113.7', 'success')
    for (let i = 0; i < LOGIN_LIMITS.perAccountAndAddress; i++) expect((await attempt('nguyenvana', '203.0.113.7')).admitted).toBe(true)
    expect((await attempt('nguyenvana', '203.0.113.7')).admitted).toBe(false)
  })

  it('gives an attempt that was neither back (a disabled account, an error)', async () => {
    const { attempt } = limiter()
    for (let i = 0; i < 3 * LOGIN_LIMITS.perAccountAndAddress; i++) expect((await attempt('da-khoa', '203.0.113.7', 'neither')).admitted).toBe(true)
  })

  it(`refuses an address after ${LOGIN_LIMITS.perAddress} failures over all accounts, and no other address`, async () => {
    const { attempt } = limiter()
    for (let i = 0; i < LOGIN_LIMITS.perAddress; i++) expect((await attempt(`nobody-${i}`, '203.0.113.66')).admitted).toBe(true)
    expect(await attempt('admin', '203.0.113.66', 'success')).toMatchObject({ admitted: false, scope: 'address' })
    expect((await attempt('admin', '192.0.2.10', 'success')).admitted).toBe(true)
  })

  it('does not charge the address for attempts refused on one account', async () => {
    const { attempt } = limiter()
    // 10 failures on one account, then 200 refused attempts on it: the address still has 90 failures to go.
    for (let i = 0; i < LOGIN_LIMITS.perAccountAndAddress + 200; i++) await attempt('admin', '203.0.113.66')
    for (let i = 0; i < LOGIN_LIMITS.perAddress - LOGIN_LIMITS.perAccountAndAddress; i++) expect((await attempt(`nobody-${i}`, '203.0.113.66')).admitted).toBe(true)
    expect((await attempt('someone-else', '203.0.113.66')).admitted).toBe(false)
  })

  it('lets no more than the limit through when a burst of guesses arrives at once', async () => {
    const { limits } = limiter()
    const burst = await Promise.all(Array.from({ length: 40 }, () => limits.admit('admin', '203.0.113.66')))
    expect(burst.filter((a) => a.admitted)).toHaveLength(LOGIN_LIMITS.perAccountAndAddress)
  })

  it('slows an account guessed from many addresses, more with each failure and at most 5 s, and still lets the right password in', async () => {
    const { attempt, waited } = limiter()
    for (const address of addresses(3)) for (let i = 0; i < LOGIN_LIMITS.perAccountAndAddress; i++) await attempt('admin', address)
    expect(waited).toEqual([])
    const real = await attempt('admin', '192.0.2.10', 'success')
    expect(real).toEqual({ admitted: true, delayMs: 250, accountFailures: 30 })
    for (const address of addresses(4).slice(3)) for (let i = 0; i < LOGIN_LIMITS.perAccountAndAddress; i++) await attempt('admin', address)
    for (const address of addresses(8).slice(4)) for (let i = 0; i < LOGIN_LIMITS.perAccountAndAddress; i++) await attempt('admin', address)
    expect(waited.slice(0, 5)).toEqual([250, 250, 500, 750, 1000])
    expect(waited.at(-1)).toBe(LOGIN_LIMITS.slowMaxMs)
    expect(await attempt('admin', '192.0.2.10', 'success')).toEqual({ admitted: true, delayMs: LOGIN_LIMITS.slowMaxMs, accountFailures: 80 })
    // Other accounts are not slowed by it.
    expect(await attempt('nguyenvana', '192.0.2.10', 'success')).toEqual({ admitted: true, delayMs: 0, accountFailures: 0 })
  })

  it('forgets failures when the window has passed', async () => {
    vi.useFakeTimers()
    const { attempt } = limiter()
    for (let i = 0; i < LOGIN_LIMITS.perAccountAndAddress; i++) await attempt('admin', '203.0.113.66')
    expect((await attempt('admin', '203.0.113.66')).admitted).toBe(false)
    vi.advanceTimersByTime(LOGIN_LIMITS.windowMs - 1000)
    expect((await attempt('admin', '203.0.113.66')).admitted).toBe(false)
    vi.advanceTimersByTime(1000)
    expect((await attempt('admin', '203.0.113.66', 'success')).admitted).toBe(true)
  })

  it('counts in memory while Redis cannot be reached, so guessing stays limited', async () => {
    // A client that never connected: its status is not "ready", so each count goes to the insurance limiter.
    const redis = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0 })
    const limits = createLoginLimiter({ redis, prefix: 'ioc-unreachable', sleep: async () => {} })
    for (let i = 0; i < LOGIN_LIMITS.perAccountAndAddress; i++) {
      expect((await limits.admit('admin', '203.0.113.66')).admitted).toBe(true)
      await limits.settle('admin', '203.0.113.66', 'failure')
    }
    expect(await limits.admit('admin', '203.0.113.66')).toMatchObject({ admitted: false, scope: 'account from this address' })
    expect((await limits.admit('admin', '192.0.2.10')).admitted).toBe(true)
    redis.disconnect()
  })
})
