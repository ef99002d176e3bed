export interface GroupCommitOptions<T, R> {
  /** Stores a group of items at once; resolves with one result per item, in order, once all are durable. */
  commit: (items: T[]) => Promise<R[]>
  /**
   * Most items in one commit: a bound on one statement's parameters and on how long one commit holds
   * the store.
   * @defaultValue 500
   */
  maxItems?: number
}

interface Waiting<T, R> {
  item: T
  resolve: (result: R) => void
  reject: (error: unknown) => void
}

/**
 * Group commit: items submitted while a commit runs are stored together by the next one. One commit
 * at a time; an item arriving when none runs is committed at the end of the event loop's current turn
 * (setImmediate), with whatever arrived in the same turn — so an idle ingest stores a reading at once,
 * a busy one in groups as large as the load makes them, without a timer to tune. Each submit resolves
 * only after the commit holding its item, in submission order; a commit that fails rejects every item
 * of it (nothing of it was acknowledged).
 */
export function createGroupCommit<T, R>(options: GroupCommitOptions<T, R>) {
  const maxItems = options.maxItems ?? 500
  const waiting: Waiting<T, R>[] = []
  let committing = false
  let scheduled = false

  const schedule = () => {
    if (committing || scheduled) return
    scheduled = true
    setImmediate(run)
  }

  async function run(): Promise<void> {
    scheduled = false
    if (waiting.length === 0) return
    committing = true
    const group = waiting.splice(0, maxItems)
    try {
      const results = await options.commit(group.map((w) => w.item))
      group.forEach((w, i) => w.resolve(results[i]!))
    } catch (error) {
      for (const w of group) w.reject(error)
    } finally {
      committing = false
      // What arrived meanwhile goes in the next group, after I/O has had its turn.
      if (waiting.length > 0) schedule()
    }
  }

  return {
    submit(item: T): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        waiting.push({ item, resolve, reject })
        schedule()
      })
    },
    /** Items waiting for a commit (not counting the one running). */
    waiting: () => waiting.length,
  }
}
export type GroupCommit<T, R> = ReturnType<typeof createGroupCommit<T, R>>
