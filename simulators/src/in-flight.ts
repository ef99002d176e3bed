/**
 * Counts publishes the broker has not acknowledged yet, so a run can keep their number bounded
 * (memory stays flat under load) and wait for the last acks before closing.
 */
export class InFlight {
  #count = 0
  readonly #waiters = new Set<{ ready: () => boolean; wake: () => void }>()

  /** @param limit - the most unacknowledged publishes a run allows itself */
  constructor(readonly limit: number) {}

  get count(): number {
    return this.#count
  }

  /** Whether `more` publishes would go over the limit. */
  wouldOverflow(more = 1): boolean {
    return this.#count + more > this.limit
  }

  /** Counts `ack` until it settles. */
  track(ack: Promise<unknown>): void {
    this.#count++
    const settle = () => {
      this.#count--
      for (const waiter of this.#waiters) {
        if (waiter.ready()) {
          this.#waiters.delete(waiter)
          waiter.wake()
        }
      }
    }
    ack.then(settle, settle)
  }

  /** Resolves once there is room for one more publish. */
  room(): Promise<void> {
    return this.#until(() => !this.wouldOverflow())
  }

  /** Resolves true once every tracked publish has settled, or false after `timeoutMs`. */
  async drained(timeoutMs = Number.POSITIVE_INFINITY): Promise<boolean> {
    if (this.#count === 0) return true
    const empty = this.#until(() => this.#count === 0).then(() => true)
    if (!Number.isFinite(timeoutMs)) return empty
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs)
    })
    try {
      return await Promise.race([empty, timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  #until(ready: () => boolean): Promise<void> {
    if (ready()) return Promise.resolve()
    return new Promise((wake) => this.#waiters.add({ ready, wake }))
  }
}
