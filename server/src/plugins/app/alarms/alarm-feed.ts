import type { CameraStatus, FloodReading } from '@ioc/shared'
import type { CameraStatusesRepository } from '../readings/camera-statuses.repository.ts'
import type { ReadingsRepository } from '../readings/readings.repository.ts'
import type { JobStateRepository } from '../storage/job-state.repository.ts'

/** Where the alarm feed's position is kept (`job_state`), so a new leader resumes where the last stopped. */
export const FEED_POSITION = 'alarms.feed.received_at'

export interface AlarmFeedOptions {
  readings: Pick<ReadingsRepository, 'receivedSince'>
  cameraStatuses: Pick<CameraStatusesRepository, 'receivedSince'>
  jobState: Pick<JobStateRepository, 'set'>
  onReading(reading: FloodReading): Promise<void>
  onCameraStatus(status: CameraStatus): Promise<void>
  log: { error(detail: object, message: string): void }
  /**
   * How often the database is read for what other instances stored.
   * @defaultValue 250 ms
   */
  pollEveryMs?: number
  /**
   * How far before its position each read starts again: a row is visible only once its transaction
   * commits, which may be after a row received later, on another instance, whose clock may run a
   * little behind. Rows seen already are skipped.
   * @defaultValue 2 000 ms
   */
  overlapMs?: number
  /**
   * Rows of each kind per read; a full page is followed at once by the next.
   * @defaultValue 2 000
   */
  pageSize?: number
}

export interface AlarmFeed {
  /** Starts reading what was received from `fromMs` on. */
  start(fromMs: number): void
  /** Stops reading; resolves once the read under way is handed to the engine. */
  stop(): Promise<void>
}

/**
 * The alarm leader's input when several instances ingest: every reading and camera status any of them
 * stored, read back from the store in the order received, each handed on once — within a read, in the
 * order of the observations' own time. Its position is stored after each read that moved it.
 */
export function createAlarmFeed(options: AlarmFeedOptions): AlarmFeed {
  const pollEveryMs = options.pollEveryMs ?? 250
  const overlapMs = options.overlapMs ?? 2_000
  const pageSize = options.pageSize ?? 2_000
  /** Rows handed on, by key, with when they were received: forgotten once older than position − overlap. */
  const seen = new Map<string, number>()
  let position = 0
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let stopped = true

  async function readOnce(): Promise<void> {
    let from = position - overlapMs
    let limit = pageSize
    for (;;) {
      const readings = await options.readings.receivedSince(from, limit)
      const cameraStatuses = await options.cameraStatuses.receivedSince(from, limit)
      const fresh = [
        ...readings.map((r) => ({ key: `r\u0000${r.item.stationId}\u0000${r.item.ts}`, ts: r.item.ts, receivedAtMs: r.receivedAtMs, hand: () => options.onReading(r.item) })),
        ...cameraStatuses.map((s) => ({ key: `c\u0000${s.item.cameraId}\u0000${s.item.ts}`, ts: s.item.ts, receivedAtMs: s.receivedAtMs, hand: () => options.onCameraStatus(s.item) })),
      ]
        .filter((row) => !seen.has(row.key))
        .sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0))
      const handed: Promise<void>[] = []
      for (const row of fresh) {
        if (stopped) return
        seen.set(row.key, row.receivedAtMs)
        position = Math.max(position, row.receivedAtMs)
        handed.push(row.hand())
      }
      await Promise.all(handed)
      if (fresh.length > 0) await options.jobState.set(FEED_POSITION, position)
      // A full page of a kind may have more after it: the next page starts at the newest row of the
      // fullest-behind full page (rows of the other kind read again are skipped as seen).
      const ends = [readings, cameraStatuses].filter((page) => page.length === limit).map((page) => page.at(-1)!.receivedAtMs)
      if (ends.length === 0) break
      const next = Math.min(...ends)
      // More rows of one millisecond than a page: read a bigger page from the same place, not forever the same one.
      limit = next === from ? limit * 2 : pageSize
      from = next
    }
    for (const [key, receivedAtMs] of seen) if (receivedAtMs < position - overlapMs) seen.delete(key)
  }

  const schedule = () => {
    if (stopped) return
    timer = setTimeout(() => {
      running = readOnce()
        .catch((error: unknown) => options.log.error({ err: error }, 'reading the alarm feed failed; trying again'))
        .finally(() => {
          running = undefined
          schedule()
        })
    }, pollEveryMs)
  }

  return {
    start(fromMs) {
      position = fromMs
      stopped = false
      schedule()
    },
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running
    },
  }
}
