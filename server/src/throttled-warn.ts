/** Where a throttled warning goes: a Fastify or pino logger. */
export interface WarnLog {
  warn(fields: Record<string, unknown>, message: string): void
}

/** Keys remembered at most; past this the memory starts again (a flood of distinct sources must not grow it). */
const MAX_KEYS = 10_000

/**
 * One warning per key per window: the first is logged, repeats within the window are only counted,
 * and the next one after it is logged with `suppressedInLastWindow`. One broken sensor sending every
 * second, or one address guessing passwords, must not flood the log. Returns whether it logged.
 */
export function createThrottledWarn(log: WarnLog, windowMs = 60_000, now: () => number = Date.now) {
  const windows = new Map<string, { startedAt: number; suppressed: number }>()
  return (key: string, fields: Record<string, unknown>, message: string): boolean => {
    const t = now()
    const window = windows.get(key)
    if (window && t - window.startedAt < windowMs) {
      window.suppressed++
      return false
    }
    if (windows.size > MAX_KEYS) windows.clear()
    log.warn({ ...fields, suppressedInLastWindow: window?.suppressed ?? 0 }, message)
    windows.set(key, { startedAt: t, suppressed: 0 })
    return true
  }
}
export type ThrottledWarn = ReturnType<typeof createThrottledWarn>
