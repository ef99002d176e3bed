/**
 * "Newest wins", the one rule both pages keep live data by: a station (or camera) shows the most
 * recent reading it has heard of, and a late, out-of-order one never moves it back.
 */

/** An ISO time in epoch ms; an unreadable one counts as the oldest. */
export const timeOf = (iso: string): number => {
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? -Infinity : ms
}

/** Whether `candidate` is at least as recent as `current` (an equal time replaces: the server re-sent it). */
export const isNewer = (candidate: { ts: string }, current: { ts: string } | null): boolean =>
  current === null || timeOf(candidate.ts) >= timeOf(current.ts)

/** Keeps, per id, only the most recent item of a burst: that is all a map or a list shows. */
export function newestById<T extends { ts: string }>(items: Iterable<T>, idOf: (item: T) => string): Map<string, T> {
  const newest = new Map<string, T>()
  for (const item of items) {
    const id = idOf(item)
    const seen = newest.get(id)
    if (!seen || isNewer(item, seen)) newest.set(id, item)
  }
  return newest
}
