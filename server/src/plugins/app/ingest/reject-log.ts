import type { FastifyBaseLogger } from 'fastify'

/**
 * Logs the first rejection of each reason, then stays quiet for a window and reports how many
 * were suppressed: one broken sensor sending every second must not flood the log.
 */
export function createRejectLog(log: FastifyBaseLogger, windowMs = 60_000, now: () => number = Date.now) {
  const windows = new Map<string, { startedAt: number; suppressed: number }>()
  return (reason: string, topic: string, detail: string): void => {
    const t = now()
    const window = windows.get(reason)
    if (window && t - window.startedAt < windowMs) {
      window.suppressed++
      return
    }
    log.warn({ reason, topic, detail, suppressedInLastWindow: window?.suppressed ?? 0 }, 'ingest rejected a message')
    windows.set(reason, { startedAt: t, suppressed: 0 })
  }
}
