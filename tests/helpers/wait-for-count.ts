import type { EventEmitter } from 'node:events'

/**
 * Resolves once `count()` reaches `n`, checked now and at each `event` of `emitter` — never by polling
 * or sleeping; rejects after `timeoutMs` saying `what` and how many there were.
 */
export function waitForCount(emitter: EventEmitter, event: string, count: () => number, n: number, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (count() < n) return
      emitter.off(event, check)
      clearTimeout(timer)
      resolve()
    }
    const timer = setTimeout(() => {
      emitter.off(event, check)
      reject(new Error(`${what}: ${count()}, not ${n}, within ${timeoutMs} ms`))
    }, timeoutMs)
    emitter.on(event, check)
    check()
  })
}
