import type { SnapshotsRepository } from './snapshots.repository.ts'

/** How snapshots are kept (IOC_SNAPSHOT_INTERVAL_MINUTES, IOC_SNAPSHOT_KEEP_DAYS). */
export interface SnapshotPolicy {
  /** One snapshot is kept per slot of this length: the first of the slot. @defaultValue 10 minutes */
  intervalMs: number
  /** Snapshots older than this are dropped — but never a camera's newest. @defaultValue 7 days */
  keepMs: number
}

/**
 * Which of one camera's snapshots go: those older than `keepMs`, and within it every one but the first
 * of its `intervalMs` slot (slots counted from the epoch, so every run and every instance agrees) —
 * except the camera's newest, always kept, so the dashboard always has a picture. `times`: every
 * snapshot of the camera from the start of a slot on, oldest first, its newest last (or `newestMs`).
 */
export function snapshotsToDrop(times: readonly number[], nowMs: number, policy: SnapshotPolicy, newestMs = times.at(-1)): number[] {
  const cutoff = nowMs - policy.keepMs
  const drop: number[] = []
  let slot: number | undefined
  for (const ts of times) {
    if (ts === newestMs) continue
    if (ts < cutoff) {
      drop.push(ts)
      continue
    }
    const own = ts - (ts % policy.intervalMs)
    if (own === slot) drop.push(ts)
    else slot = own
  }
  return drop
}

/**
 * One retention run over the store: what expired, then the slots that received snapshots since the
 * last run (`sinceMs`; 0 looks at everything). Returns how many went and where the next run starts.
 */
export async function pruneSnapshots(snapshots: SnapshotsRepository, nowMs: number, policy: SnapshotPolicy, sinceMs: number): Promise<{ dropped: number; nextSinceMs: number }> {
  let dropped = 0
  for (const [cameraId, { times, newestMs }] of await snapshots.expired(nowMs - policy.keepMs)) {
    const drop = snapshotsToDrop(times, nowMs, policy, newestMs)
    await snapshots.deleteMany(cameraId, drop)
    dropped += drop.length
  }
  // A snapshot received during this run is looked at again by the next: a minute of margin covers a
  // slow commit and another instance's clock a little behind.
  const nextSinceMs = nowMs - 60_000
  for (const [cameraId, oldest] of await snapshots.receivedSince(sinceMs)) {
    const from = oldest - (oldest % policy.intervalMs)
    const drop = snapshotsToDrop(await snapshots.timesFrom(cameraId, from), nowMs, policy)
    await snapshots.deleteMany(cameraId, drop)
    dropped += drop.length
  }
  return { dropped, nextSinceMs }
}
