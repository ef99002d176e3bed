import type { FloodReading } from '@ioc/shared'

/**
 * Gathers readings until the current event-loop turn ends, then hands them over at once. At a trickle
 * each batch holds one reading and leaves at once; under load a turn ingests many and they go out as
 * one message per client — the push no longer costs a websocket frame per reading per client.
 */
export function createReadingBatcher(flush: (readings: FloodReading[]) => void, schedule: (run: () => void) => void = setImmediate) {
  let pending: FloodReading[] = []
  return (reading: FloodReading): void => {
    pending.push(reading)
    if (pending.length > 1) return
    schedule(() => {
      const batch = pending
      pending = []
      flush(batch)
    })
  }
}
