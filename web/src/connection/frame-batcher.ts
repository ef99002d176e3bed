export interface FrameBatcherOptions<T> {
  /** Items with the same key replace each other: only one per key reaches `flush`. */
  keyOf: (item: T) => string
  /** Whether `candidate` should replace `current` of the same key. */
  prefer: (candidate: T, current: T) => boolean
  flush: (items: T[]) => void
  /** @defaultValue `requestAnimationFrame` */
  schedule?: (run: () => void) => void
}

export interface FrameBatcher<T> {
  push(item: T): void
  /** Items waiting for the next flush. */
  readonly pending: number
}

/**
 * Collects items until the next animation frame, then hands them over in one call, so a burst of
 * hundreds of socket events costs one store update and one map `setData`. Keeping one item per key
 * also bounds memory while a hidden tab gets no frames.
 */
export function createFrameBatcher<T>(options: FrameBatcherOptions<T>): FrameBatcher<T> {
  const schedule = options.schedule ?? ((run: () => void) => void requestAnimationFrame(run))
  let buffer = new Map<string, T>()
  let scheduled = false

  const run = () => {
    scheduled = false
    const items = [...buffer.values()]
    buffer = new Map()
    if (items.length > 0) options.flush(items)
  }

  return {
    push(item) {
      const key = options.keyOf(item)
      const current = buffer.get(key)
      if (current === undefined || options.prefer(item, current)) buffer.set(key, item)
      if (!scheduled) {
        scheduled = true
        schedule(run)
      }
    },
    get pending() {
      return buffer.size
    },
  }
}
