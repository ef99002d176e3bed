import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it, onTestFinished } from 'vitest'
import type { CameraStatus, FloodReading } from '@ioc/shared'
import { DEAD_LETTER_LIMIT, openSqliteStore } from './sqlite-store.ts'
import type { Store } from './store.ts'

const T0 = Date.parse('2024-10-30T00:00:00Z')
const MINUTE = 60_000
const HOUR = 60 * MINUTE

/** A fresh directory for this test only, removed (with every store opened on it) when the test ends. */
function tempDataDir(): { dataDir: string; open: () => Store } {
  const dataDir = mkdtempSync(join(tmpdir(), 'ioc-store-test-'))
  const opened: Store[] = []
  onTestFinished(async () => {
    for (const store of opened) await store.close().catch(() => undefined)
    rmSync(dataDir, { recursive: true, force: true })
  })
  return {
    dataDir,
    open: () => {
      const store = openSqliteStore({ dataDir })
      opened.push(store)
      return store
    },
  }
}

const freshStore = (): Store => tempDataDir().open()

function reading(stationId: string, tsMs: number, waterLevelCm: number, extra: Partial<FloodReading> = {}): [FloodReading, number] {
  return [{ stationId, ts: new Date(tsMs).toISOString(), waterLevelCm, ...extra }, tsMs]
}

function cameraStatus(cameraId: string, tsMs: number, extra: Partial<CameraStatus> = {}): [CameraStatus, number] {
  return [{ cameraId, ts: new Date(tsMs).toISOString(), state: 'online', ...extra }, tsMs]
}

describe('readings', () => {
  it('stores a new reading and says so', async () => {
    const store = freshStore()
    expect(await store.insertReading(...reading('tam-ky-river', T0, 120))).toBe(true)
  })

  it('stores a redelivered reading once and reports the second insert as a duplicate', async () => {
    const store = freshStore()
    await store.insertReading(...reading('tam-ky-river', T0, 120))
    expect(await store.insertReading(...reading('tam-ky-river', T0, 120))).toBe(false)
    expect(await store.countReadings()).toBe(1)
  })

  it('keeps the first value when a reading with the same station and ts arrives again', async () => {
    const store = freshStore()
    await store.insertReading(...reading('tam-ky-river', T0, 120))
    await store.insertReading(...reading('tam-ky-river', T0, 999))
    expect((await store.latestReadings(['tam-ky-river'])).get('tam-ky-river')?.waterLevelCm).toBe(120)
  })

  it('stores readings of two stations at the same instant separately', async () => {
    const store = freshStore()
    await store.insertReading(...reading('tam-ky-river', T0, 120))
    expect(await store.insertReading(...reading('cau-xuan-quy', T0, 80))).toBe(true)
  })

  it('gives the newest reading of each station', async () => {
    const store = freshStore()
    await store.insertReading(...reading('tam-ky-river', T0 + 2 * MINUTE, 130, { rainfallMm: 4.5, batteryPct: 88 }))
    await store.insertReading(...reading('tam-ky-river', T0, 120))
    await store.insertReading(...reading('cau-xuan-quy', T0 + MINUTE, 80))
    const latest = await store.latestReadings(['tam-ky-river', 'cau-xuan-quy'])
    expect(Object.fromEntries(latest)).toStrictEqual({
      'tam-ky-river': { ts: '2024-10-30T00:02:00.000Z', waterLevelCm: 130, rainfallMm: 4.5, batteryPct: 88 },
      'cau-xuan-quy': { ts: '2024-10-30T00:01:00.000Z', waterLevelCm: 80 },
    })
  })

  it('omits stations without readings from the latest readings', async () => {
    const store = freshStore()
    await store.insertReading(...reading('tam-ky-river', T0, 120))
    const latest = await store.latestReadings(['tam-ky-river', 'hoa-huong-1'])
    expect([...latest.keys()]).toEqual(['tam-ky-river'])
  })

  it('returns raw readings in range, oldest first, including both ends', async () => {
    const store = freshStore()
    for (const [minute, level] of [[4, 140], [0, 100], [3, 130], [1, 110], [2, 120]] as const) {
      await store.insertReading(...reading('tam-ky-river', T0 + minute * MINUTE, level))
    }
    const points = await store.readings('tam-ky-river', T0 + MINUTE, T0 + 3 * MINUTE, 0)
    expect(points).toStrictEqual([
      { ts: '2024-10-30T00:01:00.000Z', waterLevelCm: 110 },
      { ts: '2024-10-30T00:02:00.000Z', waterLevelCm: 120 },
      { ts: '2024-10-30T00:03:00.000Z', waterLevelCm: 130 },
    ])
  })

  it('gives raw points their rainfall when the sensor sent it', async () => {
    const store = freshStore()
    await store.insertReading(...reading('tam-ky-river', T0, 100, { rainfallMm: 2.5, batteryPct: 90 }))
    expect(await store.readings('tam-ky-river', T0, T0, 0)).toStrictEqual([{ ts: '2024-10-30T00:00:00.000Z', waterLevelCm: 100, rainfallMm: 2.5 }])
  })

  it('does not mix another station into a history', async () => {
    const store = freshStore()
    await store.insertReading(...reading('tam-ky-river', T0, 100))
    await store.insertReading(...reading('cau-xuan-quy', T0 + MINUTE, 50))
    expect(await store.readings('tam-ky-river', T0, T0 + HOUR, 0)).toHaveLength(1)
  })

  it('averages, and takes min and max, per hourly bucket', async () => {
    const store = freshStore()
    const data = [
      [10, 100, 1],
      [20, 110, 2],
      [50, 130, 0.5],
      [65, 200, undefined],
      [100, 220, undefined],
    ] as const
    for (const [minute, level, rain] of data) {
      await store.insertReading(...reading('tam-ky-river', T0 + minute * MINUTE, level, rain === undefined ? {} : { rainfallMm: rain }))
    }
    const points = await store.readings('tam-ky-river', T0, T0 + 2 * HOUR, HOUR)
    expect(points).toHaveLength(2)
    expect(points[0]).toMatchObject({ ts: '2024-10-30T00:00:00.000Z', min: 100, max: 130, rainfallMm: 3.5 })
    expect(points[0]?.avg).toBeCloseTo(340 / 3, 9)
    expect(points[0]?.waterLevelCm).toBeCloseTo(340 / 3, 9)
    expect(points[1]).toStrictEqual({ ts: '2024-10-30T01:00:00.000Z', waterLevelCm: 210, avg: 210, min: 200, max: 220 })
  })

  it('starts each bucket on a whole bucket boundary', async () => {
    const store = freshStore()
    await store.insertReading(...reading('tam-ky-river', T0 + 7 * MINUTE + 1234, 100))
    const [point] = await store.readings('tam-ky-river', T0, T0 + HOUR, 5 * MINUTE)
    expect(point?.ts).toBe('2024-10-30T00:05:00.000Z')
  })

  it('counts readings overall, per station and per station in a range', async () => {
    const store = freshStore()
    for (let minute = 0; minute < 5; minute++) await store.insertReading(...reading('tam-ky-river', T0 + minute * MINUTE, 100 + minute))
    await store.insertReading(...reading('cau-xuan-quy', T0, 50))
    expect({
      all: await store.countReadings(),
      station: await store.countReadings('tam-ky-river'),
      inRange: await store.countReadings('tam-ky-river', T0 + MINUTE, T0 + 3 * MINUTE),
      unknown: await store.countReadings('hoa-huong-1'),
    }).toEqual({ all: 6, station: 5, inRange: 3, unknown: 0 })
  })

  it('stops counting a range at the limit it is given', async () => {
    const store = freshStore()
    for (let minute = 0; minute < 5; minute++) await store.insertReading(...reading('tam-ky-river', T0 + minute * MINUTE, 100 + minute))
    expect(await store.countReadingsUpTo('tam-ky-river', T0, T0 + HOUR, 3)).toBe(3)
    expect(await store.countReadingsUpTo('tam-ky-river', T0, T0 + HOUR, 10)).toBe(5)
    expect(await store.countReadingsUpTo('tam-ky-river', T0 + MINUTE, T0 + 2 * MINUTE, 10)).toBe(2)
  })
})

describe('camera statuses', () => {
  it('round-trips a full camera status, tamper included', async () => {
    const store = freshStore()
    await store.insertCameraStatus(...cameraStatus('cam-cau-tam-ky', T0, { state: 'degraded', fps: 7.5, bitrateKbps: 850, lastFrameAt: '2024-10-29T23:59:58Z', tamper: true }))
    const latest = await store.latestCameraStatuses(['cam-cau-tam-ky'])
    expect(latest.get('cam-cau-tam-ky')).toStrictEqual({
      ts: '2024-10-30T00:00:00.000Z',
      state: 'degraded',
      fps: 7.5,
      bitrateKbps: 850,
      lastFrameAt: '2024-10-29T23:59:58Z',
      tamper: true,
    })
  })

  it('keeps tamper=false as false', async () => {
    const store = freshStore()
    await store.insertCameraStatus(...cameraStatus('cam-cau-tam-ky', T0, { tamper: false }))
    expect((await store.latestCameraStatuses(['cam-cau-tam-ky'])).get('cam-cau-tam-ky')?.tamper).toBe(false)
  })

  it('leaves out fields the camera did not send', async () => {
    const store = freshStore()
    await store.insertCameraStatus(...cameraStatus('cam-cau-tam-ky', T0))
    expect((await store.latestCameraStatuses(['cam-cau-tam-ky'])).get('cam-cau-tam-ky')).toStrictEqual({ ts: '2024-10-30T00:00:00.000Z', state: 'online' })
  })

  it('stores a redelivered camera status once', async () => {
    const store = freshStore()
    await store.insertCameraStatus(...cameraStatus('cam-cau-tam-ky', T0))
    expect(await store.insertCameraStatus(...cameraStatus('cam-cau-tam-ky', T0, { state: 'offline' }))).toBe(false)
  })

  it('gives the newest status of each camera and omits silent cameras', async () => {
    const store = freshStore()
    await store.insertCameraStatus(...cameraStatus('cam-cau-tam-ky', T0 + MINUTE, { state: 'offline' }))
    await store.insertCameraStatus(...cameraStatus('cam-cau-tam-ky', T0))
    const latest = await store.latestCameraStatuses(['cam-cau-tam-ky', 'cam-bach-dang'])
    expect(Object.fromEntries(latest)).toStrictEqual({ 'cam-cau-tam-ky': { ts: '2024-10-30T00:01:00.000Z', state: 'offline' } })
  })
})

describe('dead letters', () => {
  const letter = (i: number, payload: Uint8Array = new TextEncoder().encode(`{"n":${i}}`)) => ({
    receivedAtMs: T0 + i,
    topic: 'ioc/v1/flood/ghost/reading',
    payload,
    reason: 'unknown_station',
    detail: `letter ${i}`,
  })

  it('keeps the raw payload bytes, base64, with the topic, reason and detail', async () => {
    const store = freshStore()
    const payload = new Uint8Array([0xff, 0xfe, 0x00, 0x7b])
    await store.recordDeadLetter({ receivedAtMs: T0, topic: 'ioc/v1/flood/x/reading', payload, reason: 'invalid_utf8', detail: 'payload is not valid UTF-8' })
    const [kept] = await store.deadLetters(10)
    expect(kept).toMatchObject({
      receivedAt: '2024-10-30T00:00:00.000Z',
      topic: 'ioc/v1/flood/x/reading',
      reason: 'invalid_utf8',
      detail: 'payload is not valid UTF-8',
    })
    expect(Buffer.from(kept!.payloadBase64, 'base64')).toEqual(Buffer.from(payload))
  })

  it('keeps an empty payload', async () => {
    const store = freshStore()
    await store.recordDeadLetter(letter(0, new Uint8Array()))
    expect((await store.deadLetters(1))[0]?.payloadBase64).toBe('')
  })

  it('lists the newest first, up to the limit asked', async () => {
    const store = freshStore()
    for (let i = 0; i < 5; i++) await store.recordDeadLetter(letter(i))
    expect((await store.deadLetters(3)).map((l) => l.detail)).toEqual(['letter 4', 'letter 3', 'letter 2'])
  })

  it(`keeps at most ${DEAD_LETTER_LIMIT} + 100 letters, dropping the oldest`, async () => {
    const store = freshStore()
    const total = DEAD_LETTER_LIMIT + 250
    for (let i = 0; i < total; i++) await store.recordDeadLetter(letter(i))
    const kept = await store.deadLetters(total)
    expect(kept.length).toBeGreaterThanOrEqual(DEAD_LETTER_LIMIT)
    expect(kept.length).toBeLessThanOrEqual(DEAD_LETTER_LIMIT + 100)
    expect(kept[0]?.detail).toBe(`letter ${total - 1}`)
    expect(kept.at(-1)?.detail).toBe(`letter ${total - kept.length}`)
  })
})

describe('opening and closing', () => {
  it('keeps the data when the same directory is opened again', async () => {
    const { open } = tempDataDir()
    const first = open()
    await first.insertReading(...reading('tam-ky-river', T0, 120))
    await first.recordDeadLetter({ receivedAtMs: T0, topic: 't', payload: new Uint8Array([1]), reason: 'bad_topic', detail: 'd' })
    await first.close()
    const second = open()
    expect({ readings: await second.countReadings(), letters: (await second.deadLetters(10)).length }).toEqual({ readings: 1, letters: 1 })
  })

  it('can store again after reopening (migrations run once)', async () => {
    const { open } = tempDataDir()
    await open().close()
    const second = open()
    expect(await second.insertReading(...reading('tam-ky-river', T0, 120))).toBe(true)
  })

  it('refuses a database whose schema is newer than this server', () => {
    const { dataDir, open } = tempDataDir()
    const db = new Database(join(dataDir, 'ioc.sqlite'))
    db.pragma('user_version = 99')
    db.close()
    expect(open).toThrow(/schema version 99.*newer than this server.*upgrade the server/)
  })

  it('creates a missing data directory', async () => {
    const { dataDir } = tempDataDir()
    const store = openSqliteStore({ dataDir: join(dataDir, 'nested', 'data') })
    onTestFinished(() => store.close())
    await expect(store.ping()).resolves.toBeUndefined()
  })

  it('answers ping while open', async () => {
    await expect(freshStore().ping()).resolves.toBeUndefined()
  })

  it('fails ping once closed', async () => {
    const store = freshStore()
    await store.close()
    await expect(store.ping()).rejects.toThrow()
  })

  it('works in memory', async () => {
    const store = openSqliteStore({ dataDir: ':memory:' })
    onTestFinished(() => store.close())
    await store.insertReading(...reading('tam-ky-river', T0, 120))
    expect(await store.countReadings()).toBe(1)
  })
})
