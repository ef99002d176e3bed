import type { FastifyBaseLogger } from 'fastify'

export interface DurableOptions {
  log: FastifyBaseLogger
  /**
   * First wait after a failed write; doubled each time up to `maxDelayMs`.
   * @defaultValue 100 ms
   */
  firstDelayMs?: number
  /** @defaultValue 5 000 ms */
  maxDelayMs?: number
}

/**
 * Runs store writes until they succeed. A message whose write failed is not acknowledged and not
 * dropped: it is written again after a growing pause, and the broker (or device) holds the rest behind
 * it meanwhile — back-pressure, not loss. Only failures that pass may come here: a write the store
 * refuses for what it holds would fail forever, so the ingest keeps that message as a dead letter
 * (`store_rejected`, see classifyStoreError) instead of throwing. `healthy()` is false from a failure
 * until the next success (readiness), and `stop()` abandons retries so shutdown is bounded: an
 * abandoned message stays unacknowledged and is delivered again after the restart.
 */
export function createDurableWriter(options: DurableOptions) {
  const first = options.firstDelayMs ?? 100
  const max = options.maxDelayMs ?? 5_000
  let failing = false
  const abort = new AbortController()
  /** A pause that stop() cuts short. */
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const stopped = () => {
        clearTimeout(timer)
        resolve()
      }
      const timer = setTimeout(() => {
        abort.signal.removeEventListener('abort', stopped)
        resolve()
      }, ms)
      abort.signal.addEventListener('abort', stopped, { once: true })
    })

  return {
    healthy: () => !failing,
    async write<T>(what: Record<string, unknown>, attempt: () => Promise<T>): Promise<T> {
      for (let tries = 0; ; tries++) {
        try {
          const result = await attempt()
          if (failing) options.log.info(what, 'store writes work again')
          failing = false
          return result
        } catch (error) {
          if (!failing) options.log.error({ ...what, err: error }, 'store write failed: the message stays unacknowledged, retrying')
          failing = true
          if (abort.signal.aborted) throw error
          await pause(Math.min(max, first * 2 ** tries))
          if (abort.signal.aborted) throw error
        }
      }
    },
    stop: () => abort.abort(),
  }
}
export type DurableWriter = ReturnType<typeof createDurableWriter>
