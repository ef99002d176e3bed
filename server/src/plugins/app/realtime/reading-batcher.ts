import type { FloodReading } from '@ioc/shared'

export interface ReadingBatcherOptions {
  /**
   * Runs `run` at the end of the current event-loop turn (delayMs 0), or after delayMs.
   * @defaultValue setImmediate, or setTimeout for a delay
   */
  schedule?: (run: () => void, delayMs: number) => void
  /** @defaultValue performance.now */
  now?: () => number
  /**
   * Longest a batch is held back while the push is busy, in ms: a bound on what coalescing adds to a
   * reading's latency however long one push takes.
   * @defaultValue 50
   */
  maxHoldMs?: number
}

const defaultSchedule = (run: () => void, delayMs: number) => (delayMs > 0 ? setTimeout(run, delayMs) : setImmediate(run))

/**
 * Gathers readings and hands them over as one batch, adapting to what the push costs. When idle, a
 * batch leaves at the end of the event-loop turn that brought its first reading: a reading at a
 * trickle goes out at once. A push to many sockets takes time (every dashboard's websocket is written
 * to), so after a push that took d ms the next waits until d ms have passed since it ended: the push
 * never takes more than about half of the process's time, and what arrives meanwhile goes out in that
 * next batch instead of a frame of its own. With 1,000 dashboards at 1,000 readings/s that is the
 * difference between a backlog that grows and batches every few ms.
 */
export function createReadingBatcher(flush: (readings: FloodReading[]) => void, options: ReadingBatcherOptions = {}) {
  const schedule = options.schedule ?? defaultSchedule
  const now = options.now ?? (() => performance.now())
  const maxHoldMs = options.maxHoldMs ?? 50
  let pending: FloodReading[] = []
  /** When the next push may start: the end of the last one plus its duration. */
  let nextAt = 0
  const run = () => {
    const batch = pending
    pending = []
    const start = now()
    flush(batch)
    const end = now()
    nextAt = end + Math.min(end - start, maxHoldMs)
  }
  return (reading: FloodReading): void => {
    pending.push(reading)
    if (pending.length > 1) return
    schedule(run, Math.max(0, nextAt - now()))
  }
}
