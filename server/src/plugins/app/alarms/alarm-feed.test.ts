import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest'
import type { CameraStatus, FloodReading } from '@ioc/shared'
import type { Received } from '../readings/readings.repository.ts'
import { createAlarmFeed, FEED_POSITION } from './alarm-feed.ts'

const T0 = Date.parse('2025-11-01T01:00:00.000Z')
const POLL_MS = 100
const OVERLAP_MS = 1_000

const at = (minute: number) => new Date(T0 + minute * 60_000).toISOString()
const reading = (stationId: string, minute: number): FloodReading => ({ stationId, ts: at(minute), waterLevelCm: 100 + minute })
const status = (cameraId: string, minute: number): CameraStatus => ({ cameraId, ts: at(minute), state: 'online' })

/**
 * A database holding what every instance received, answering the repositories' `receivedSince` as the
 * real ones do: rows received at or after `fromMs`, oldest received first, at most `limit` of each kind.
 * `reads` counts the feed's reads (each one of readings, then one of camera statuses); the next `failures` reads fail.
 */
function fakeStore() {
  const readingRows: Received<FloodReading>[] = []
  const statusRows: Received<CameraStatus>[] = []
  const saved: Array<[string, number]> = []
  const since = <T>(rows: Received<T>[], fromMs: number, limit: number) =>
    rows
      .filter((row) => row.receivedAtMs >= fromMs)
      .sort((a, b) => a.receivedAtMs - b.receivedAtMs)
      .slice(0, limit)
  const store = {
    reads: 0,
    failures: 0,
    saved,
    receive(item: FloodReading | CameraStatus, receivedAtMs: number) {
      if ('stationId' in item) readingRows.push({ item, receivedAtMs })
      else statusRows.push({ item, receivedAtMs })
    },
    readings: {
      async receivedSince(fromMs: number, limit: number) {
        store.reads++
        if (store.failures > 0) {
          store.failures--
          throw new Error('connection reset')
        }
        return since(readingRows, fromMs, limit)
      },
    },
    cameraStatuses: {
      receivedSince: async (fromMs: number, limit: number) => since(statusRows, fromMs, limit),
    },
    jobState: {
      async set(name: string, value: number) {
        saved.push([name, value])
      },
    },
  }
  return store
}

/** A feed over `store`, started at T0, remembering what it handed on (both kinds, in one list) and what it logged. */
function startFeed(store: ReturnType<typeof fakeStore>, pageSize?: number) {
  const handed: Array<FloodReading | CameraStatus> = []
  const errors: object[] = []
  const feed = createAlarmFeed({
    readings: store.readings,
    cameraStatuses: store.cameraStatuses,
    jobState: store.jobState,
    onReading: async (r) => void handed.push(r),
    onCameraStatus: async (s) => void handed.push(s),
    log: { error: (detail) => errors.push(detail) },
    pollEveryMs: POLL_MS,
    overlapMs: OVERLAP_MS,
    ...(pageSize === undefined ? {} : { pageSize }),
  })
  feed.start(T0)
  onTestFinished(() => feed.stop())
  return { feed, handed, errors }
}

const nextRead = () => vi.advanceTimersByTimeAsync(POLL_MS)

describe('alarm feed', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('hands every row on exactly once, though each read starts again before its position', async () => {
    const store = fakeStore()
    const { handed } = startFeed(store)
    store.receive(reading('tam-ky-river', 0), T0 + 10)
    store.receive(status('cam-cau-tam-ky', 1), T0 + 20)
    await nextRead()
    store.receive(reading('tam-ky-river', 2), T0 + 30)
    await vi.advanceTimersByTimeAsync(5 * POLL_MS)
    expect(handed).toEqual([reading('tam-ky-river', 0), status('cam-cau-tam-ky', 1), reading('tam-ky-river', 2)])
  })

  it('hands on a row whose transaction committed late, received just before the position', async () => {
    const store = fakeStore()
    const { handed } = startFeed(store)
    store.receive(reading('tam-ky-river', 1), T0 + 500)
    await nextRead()
    // Stored on another instance at T0 + 200, visible only now.
    store.receive(reading('cau-xuan-quy', 0), T0 + 200)
    await nextRead()
    expect(handed).toEqual([reading('tam-ky-river', 1), reading('cau-xuan-quy', 0)])
  })

  it("hands the rows of one read in the order of the observations' own time, whatever order they were received in", async () => {
    const store = fakeStore()
    const { handed } = startFeed(store)
    store.receive(reading('tam-ky-river', 2), T0 + 1)
    store.receive(status('cam-cau-tam-ky', 1), T0 + 2)
    store.receive(reading('cau-xuan-quy', 0), T0 + 3)
    await nextRead()
    expect(handed).toEqual([reading('cau-xuan-quy', 0), status('cam-cau-tam-ky', 1), reading('tam-ky-river', 2)])
  })

  it('saves its position after a read that handed something, and not after reads that handed nothing', async () => {
    const store = fakeStore()
    startFeed(store)
    await nextRead()
    expect(store.saved).toEqual([])
    store.receive(reading('tam-ky-river', 0), T0 + 10)
    store.receive(reading('tam-ky-river', 1), T0 + 25)
    await nextRead()
    // The rows come again in the overlap of the next reads, but are not handed again.
    await vi.advanceTimersByTimeAsync(3 * POLL_MS)
    expect(store.saved).toEqual([[FEED_POSITION, T0 + 25]])
  })

  it('reads page after page in one read when more than a page arrived since the last', async () => {
    const store = fakeStore()
    const { handed } = startFeed(store, 3)
    const arrived = Array.from({ length: 10 }, (_, i) => reading('tam-ky-river', i))
    arrived.forEach((r, i) => store.receive(r, T0 + 1 + i))
    await nextRead()
    expect(handed).toEqual(arrived)
    expect(store.saved.at(-1)).toEqual([FEED_POSITION, T0 + 10])
  })

  it('misses no reading when only the readings fill a page and a camera status came later', async () => {
    const store = fakeStore()
    const { handed } = startFeed(store, 3)
    const arrived = Array.from({ length: 5 }, (_, i) => reading('tam-ky-river', i))
    arrived.forEach((r, i) => store.receive(r, T0 + 1 + i))
    store.receive(status('cam-cau-tam-ky', 0), T0 + 10)
    await nextRead()
    expect(handed).toHaveLength(6)
    expect(handed).toEqual(expect.arrayContaining(arrived))
  })

  it('gets past more rows received in one millisecond than a page holds', async () => {
    const store = fakeStore()
    const { handed } = startFeed(store, 3)
    const arrived = Array.from({ length: 7 }, (_, i) => reading('tam-ky-river', i))
    for (const r of arrived) store.receive(r, T0 + 5)
    await nextRead()
    expect(handed).toEqual(arrived)
    expect(store.reads).toBeLessThan(10)
  })

  it('reads the store no more once stopped', async () => {
    const store = fakeStore()
    const { feed, handed } = startFeed(store)
    await nextRead()
    await feed.stop()
    const reads = store.reads
    store.receive(reading('tam-ky-river', 0), T0 + 10)
    await vi.advanceTimersByTimeAsync(10 * POLL_MS)
    expect({ reads: store.reads, handed }).toEqual({ reads, handed: [] })
  })

  it('logs a failed read and hands everything on at the next', async () => {
    const store = fakeStore()
    const { handed, errors } = startFeed(store)
    store.receive(reading('tam-ky-river', 0), T0 + 10)
    store.receive(status('cam-cau-tam-ky', 1), T0 + 20)
    store.failures = 1
    await nextRead()
    expect({ handed, errors }).toEqual({ handed: [], errors: [{ err: new Error('connection reset') }] })
    await nextRead()
    expect(handed).toEqual([reading('tam-ky-river', 0), status('cam-cau-tam-ky', 1)])
  })
})
