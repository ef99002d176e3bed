import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createAttemptReports, createConnectLimits, type AttemptReport } from './connect-limits.ts'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

const limits = { perUsernameAndAddress: 3, perAddress: 5, windowMs: 60_000 }

describe('connect limits', () => {
  /** An attempt that fails: begun (true) or refused unchecked (false). */
  const failing = (guard: ReturnType<typeof createConnectLimits>, address: string, username: string) => guard.begin(address, username)

  it('refuses a username at one address after its failures, not the same username elsewhere', async () => {
    const guard = createConnectLimits(limits)
    for (let i = 0; i < 3; i++) expect(await failing(guard, '10.0.0.1', 'tam-ky-river')).toBe(true)
    expect(await failing(guard, '10.0.0.1', 'tam-ky-river')).toBe(false)
    expect(await failing(guard, '10.0.0.2', 'tam-ky-river')).toBe(true)
    expect(await failing(guard, '10.0.0.1', 'cau-xuan-quy')).toBe(true)
  })

  it('refuses an address that tries many usernames', async () => {
    const guard = createConnectLimits(limits)
    for (let i = 0; i < 5; i++) expect(await failing(guard, '10.0.0.1', `user-${i}`)).toBe(true)
    expect(await failing(guard, '10.0.0.1', 'user-9')).toBe(false)
    expect(await failing(guard, '10.0.0.2', 'user-9')).toBe(true)
  })

  it('counts attempts begun at once: no more pass than the limit', async () => {
    const guard = createConnectLimits(limits)
    const begun = await Promise.all(Array.from({ length: 20 }, () => guard.begin('10.0.0.1', 'tam-ky-river')))
    expect(begun.filter(Boolean)).toHaveLength(3)
  })

  it('does not count successes: a device may reconnect for ever, and a success clears its failures', async () => {
    const guard = createConnectLimits(limits)
    for (let i = 0; i < 50; i++) {
      expect(await guard.begin('10.0.0.1', 'tam-ky-river')).toBe(true)
      await guard.succeeded('10.0.0.1', 'tam-ky-river')
    }
    for (let i = 0; i < 2; i++) await failing(guard, '10.0.0.1', 'tam-ky-river')
    await guard.begin('10.0.0.1', 'tam-ky-river')
    await guard.succeeded('10.0.0.1', 'tam-ky-river')
    for (let i = 0; i < 3; i++) expect(await failing(guard, '10.0.0.1', 'tam-ky-river')).toBe(true)
    expect(await failing(guard, '10.0.0.1', 'tam-ky-river')).toBe(false)
    // Everyone starts again after the window.
    vi.advanceTimersByTime(60_001)
    expect(await failing(guard, '10.0.0.1', 'tam-ky-river')).toBe(true)
  })

  it('does not count an attempt that could not be checked', async () => {
    const guard = createConnectLimits(limits)
    for (let i = 0; i < 5; i++) {
      expect(await guard.begin('10.0.0.1', 'lora-gw-1')).toBe(true)
      await guard.cancelled('10.0.0.1', 'lora-gw-1')
    }
    expect(await failing(guard, '10.0.0.1', 'lora-gw-1')).toBe(true)
  })
})

describe('attempt reports', () => {
  it('reports the first attempt at once, then at most once a window per address with the count since', () => {
    const reports: AttemptReport[] = []
    const attempts = createAttemptReports({ windowMs: 60_000, report: (r) => reports.push(r) })
    attempts.note('10.0.0.1', 'tam-ky-river')
    attempts.note('10.0.0.2', 'lora-gw-1')
    expect(reports).toEqual([
      { address: '10.0.0.1', count: 1, usernames: ['tam-ky-river'] },
      { address: '10.0.0.2', count: 1, usernames: ['lora-gw-1'] },
    ])
    for (let i = 0; i < 40; i++) attempts.note('10.0.0.1', i % 2 ? 'tam-ky-river' : 'cau-xuan-quy')
    vi.advanceTimersByTime(59_999)
    expect(reports).toHaveLength(2)
    vi.advanceTimersByTime(1)
    // 10.0.0.2 had nothing more: nothing to say.
    expect(reports.slice(2)).toEqual([{ address: '10.0.0.1', count: 40, usernames: ['cau-xuan-quy', 'tam-ky-river'] }])
    attempts.note('10.0.0.1', 'tam-ky-river')
    vi.advanceTimersByTime(60_000)
    expect(reports.slice(3)).toEqual([{ address: '10.0.0.1', count: 1, usernames: ['tam-ky-river'] }])
    // A quiet window closes it: the next attempt is reported at once again.
    vi.advanceTimersByTime(60_000)
    attempts.note('10.0.0.1', 'tam-ky-river')
    expect(reports).toHaveLength(5)
  })

  it('reports what is pending when flushed at shutdown', () => {
    const reports: AttemptReport[] = []
    const attempts = createAttemptReports({ windowMs: 60_000, report: (r) => reports.push(r) })
    attempts.note('10.0.0.1', 'x'.repeat(1000))
    attempts.note('10.0.0.1', 'tam-ky-river')
    attempts.flush()
    expect(reports.map((r) => r.count)).toEqual([1, 1])
    expect(reports[0]!.usernames[0]).toHaveLength(64)
    vi.advanceTimersByTime(120_000)
    expect(reports).toHaveLength(2)
  })
})
