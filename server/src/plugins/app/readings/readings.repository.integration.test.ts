import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { sql } from 'kysely'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import type { CameraStatus, FloodReading } from '@ioc/shared'
import type { DatabaseLocation } from '../storage/database.ts'
import { openDatabase } from '../storage/database.ts'
import { DEAD_LETTER_LIMIT, DEAD_LETTER_PAYLOAD_BYTES, DEAD_LETTER_TEXT_CHARS, openStore } from './readings.repository.ts'
import type { Store } from '../storage/database-handle.ts'

/**
 * The storage contract, run against both engines: SQLite in a temporary directory, and PostgreSQL
 * (127.0.0.1:5432, database `test`, trust auth; IOC_TEST_DB_URL to point elsewhere) in a schema of its
 * own per test, dropped afterwards. Without PostgreSQL these tests fail; they never skip.
 */
const PG_URL = process.env.IOC_TEST_DB_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

const T0 = Date.parse('2024-10-30T00:00:00Z')
const MINUTE = 60_000
const HOUR = 60 * MINUTE

interface Engine {
  name: 'sqlite' | 'postgres'
  /** A fresh, empty place for a store, removed when the test ends. */
  location(): Promise<DatabaseLocation>
}

const ENGINES: Engine[] = [
  {
    name: 'sqlite',
    async location() {
      const dataDir = mkdtempSync(join(tmpdir(), 'ioc-store-test-'))
      onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }))
      return { dataDir }
    },
  },
  {
    name: 'postgres',
    async location() {
      const schema = `ioc_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`
      const admin = new pg.Client({ connectionString: PG_URL })
      await admin.connect()
      await admin.query(`CREATE SCHEMA ${schema}`)
      await admin.end()
      onTestFinished(async () => {
        const cleanup = new pg.Client({ connectionString: PG_URL })
        await cleanup.connect()
        await cleanup.query(`DROP SCHEMA ${schema} CASCADE`)
        await cleanup.end()
      })
      return { url: PG_URL, schema }
    },
  },
]

function reading(stationId: string, tsMs: number, waterLevelCm: number, extra: Partial<FloodReading> = {}): [FloodReading, number] {
  return [{ stationId, ts: new Date(tsMs).toISOString(), waterLevelCm, ...extra }, tsMs]
}

function cameraStatus(cameraId: string, tsMs: number, extra: Partial<CameraStatus> = {}): [CameraStatus, number] {
  return [{ cameraId, ts: new Date(tsMs).toISOString(), state: 'online', ...extra }, tsMs]
}

describe.each(ENGINES)('store on $name', (engine) => {
  /** One place for this test's stores; every store opened on it is closed (cleanup runs after, LIFO). */
  function freshLocation() {
    const opened: Store[] = []
    const located = engine.location()
    onTestFinished(async () => {
      for (const store of opened) await store.close().catch(() => undefined)
    })
    return {
      location: located,
      open: async () => {
        const store = await openStore(await located)
        opened.push(store)
        return store
      },
    }
  }
  const freshStore = () => freshLocation().open()

  describe('readings', () => {
    it('stores a new reading and says so', async () => {
      const store = await freshStore()
      expect(await store.insertReading(...reading('tam-ky-river', T0, 120))).toBe(true)
    })

    it('stores a redelivered reading once and reports the second insert as a duplicate', async () => {
      const store = await freshStore()
      await store.insertReading(...reading('tam-ky-river', T0, 120))
      expect(await store.insertReading(...reading('tam-ky-river', T0, 120))).toBe(false)
      expect(await store.countReadings()).toBe(1)
    })

    it('keeps the first value when a reading with the same station and ts arrives again', async () => {
      const store = await freshStore()
      await store.insertReading(...reading('tam-ky-river', T0, 120))
      await store.insertReading(...reading('tam-ky-river', T0, 999))
      expect((await store.latestReadings(['tam-ky-river'])).get('tam-ky-river')?.waterLevelCm).toBe(120)
    })

    it('stores a batch in one go, keeping one row per (station, ts) and counting only the new ones', async () => {
      const store = await freshStore()
      await store.insertReading(...reading('tam-ky-river', T0, 1))
      const batch = Array.from({ length: 1200 }, (_, i) => ({ reading: reading('tam-ky-river', T0 + i * 1000, i)[0], tsMs: T0 + i * 1000 }))
      expect(await store.insertReadings(batch)).toBe(1199)
      expect(await store.countReadings()).toBe(1200)
      expect((await store.readings('tam-ky-river', T0, T0, 0))[0]?.waterLevelCm).toBe(1)
    })

    it('stores readings of two stations at the same instant separately', async () => {
      const store = await freshStore()
      await store.insertReading(...reading('tam-ky-river', T0, 120))
      expect(await store.insertReading(...reading('cau-xuan-quy', T0, 80))).toBe(true)
    })

    it('gives the newest reading of each station', async () => {
      const store = await freshStore()
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
      const store = await freshStore()
      await store.insertReading(...reading('tam-ky-river', T0, 120))
      const latest = await store.latestReadings(['tam-ky-river', 'hoa-huong-1'])
      expect([...latest.keys()]).toEqual(['tam-ky-river'])
    })

    it('returns raw readings in range, oldest first, including both ends', async () => {
      const store = await freshStore()
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
      const store = await freshStore()
      await store.insertReading(...reading('tam-ky-river', T0, 100, { rainfallMm: 2.5, batteryPct: 90 }))
      expect(await store.readings('tam-ky-river', T0, T0, 0)).toStrictEqual([{ ts: '2024-10-30T00:00:00.000Z', waterLevelCm: 100, rainfallMm: 2.5 }])
    })

    it('does not mix another station into a history', async () => {
      const store = await freshStore()
      await store.insertReading(...reading('tam-ky-river', T0, 100))
      await store.insertReading(...reading('cau-xuan-quy', T0 + MINUTE, 50))
      expect(await store.readings('tam-ky-river', T0, T0 + HOUR, 0)).toHaveLength(1)
    })

    it('averages, and takes min and max, per hourly bucket', async () => {
      const store = await freshStore()
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
      const store = await freshStore()
      await store.insertReading(...reading('tam-ky-river', T0 + 7 * MINUTE + 1234, 100))
      const [point] = await store.readings('tam-ky-river', T0, T0 + HOUR, 5 * MINUTE)
      expect(point?.ts).toBe('2024-10-30T00:05:00.000Z')
    })

    it('counts readings overall, per station and per station in a range', async () => {
      const store = await freshStore()
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
      const store = await freshStore()
      for (let minute = 0; minute < 5; minute++) await store.insertReading(...reading('tam-ky-river', T0 + minute * MINUTE, 100 + minute))
      expect(await store.countReadingsUpTo('tam-ky-river', T0, T0 + HOUR, 3)).toBe(3)
      expect(await store.countReadingsUpTo('tam-ky-river', T0, T0 + HOUR, 10)).toBe(5)
      expect(await store.countReadingsUpTo('tam-ky-river', T0 + MINUTE, T0 + 2 * MINUTE, 10)).toBe(2)
    })
  })

  describe('camera statuses', () => {
    it('round-trips a full camera status, tamper included', async () => {
      const store = await freshStore()
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
      const store = await freshStore()
      await store.insertCameraStatus(...cameraStatus('cam-cau-tam-ky', T0, { tamper: false }))
      expect((await store.latestCameraStatuses(['cam-cau-tam-ky'])).get('cam-cau-tam-ky')?.tamper).toBe(false)
    })

    it('leaves out fields the camera did not send', async () => {
      const store = await freshStore()
      await store.insertCameraStatus(...cameraStatus('cam-cau-tam-ky', T0))
      expect((await store.latestCameraStatuses(['cam-cau-tam-ky'])).get('cam-cau-tam-ky')).toStrictEqual({ ts: '2024-10-30T00:00:00.000Z', state: 'online' })
    })

    it('stores a redelivered camera status once', async () => {
      const store = await freshStore()
      await store.insertCameraStatus(...cameraStatus('cam-cau-tam-ky', T0))
      expect(await store.insertCameraStatus(...cameraStatus('cam-cau-tam-ky', T0, { state: 'offline' }))).toBe(false)
    })

    it('gives the newest status of each camera and omits silent cameras', async () => {
      const store = await freshStore()
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
      const store = await freshStore()
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
      const store = await freshStore()
      await store.recordDeadLetter(letter(0, new Uint8Array()))
      expect((await store.deadLetters(1))[0]?.payloadBase64).toBe('')
    })

    it('lists the newest first, up to the limit asked', async () => {
      const store = await freshStore()
      for (let i = 0; i < 5; i++) await store.recordDeadLetter(letter(i))
      expect((await store.deadLetters(3)).map((l) => l.detail)).toEqual(['letter 4', 'letter 3', 'letter 2'])
    })

    it('keeps the first 4,096 bytes of a 5 MB payload, and says in the detail how large it was', async () => {
      const store = await freshStore()
      const payload = Buffer.alloc(5 * 1024 * 1024, 'x')
      payload.write('{"ts":', 0)
      await store.recordDeadLetter({ ...letter(0, payload), reason: 'unauthorized_topic', detail: 'device "tam-ky-river" may not publish to this topic' })
      const [kept] = await store.deadLetters(1)
      expect(Buffer.from(kept!.payloadBase64, 'base64')).toEqual(payload.subarray(0, DEAD_LETTER_PAYLOAD_BYTES))
      expect(kept!.detail).toBe('device "tam-ky-river" may not publish to this topic; payload is 5242880 bytes, limit 4096; first 4096 bytes kept')
    })

    it('keeps a payload of exactly 4,096 bytes whole, with its detail as it was', async () => {
      const store = await freshStore()
      const payload = Buffer.alloc(DEAD_LETTER_PAYLOAD_BYTES, 'y')
      await store.recordDeadLetter(letter(0, payload))
      const [kept] = await store.deadLetters(1)
      expect({ bytes: Buffer.from(kept!.payloadBase64, 'base64').byteLength, detail: kept!.detail }).toEqual({ bytes: DEAD_LETTER_PAYLOAD_BYTES, detail: 'letter 0' })
    })

    it('does not repeat the size an oversized refusal already states', async () => {
      const store = await freshStore()
      await store.recordDeadLetter({ ...letter(0, Buffer.alloc(10_000)), reason: 'oversized', detail: 'payload is 10000 bytes, limit 4096' })
      expect((await store.deadLetters(1))[0]?.detail).toBe('payload is 10000 bytes, limit 4096; first 4096 bytes kept')
    })

    it(`keeps ${DEAD_LETTER_TEXT_CHARS} characters of a longer topic and detail, saying so`, async () => {
      const store = await freshStore()
      const topic = `ioc/v1/flood/${'x'.repeat(60_000)}/reading`
      await store.recordDeadLetter({ ...letter(0), topic, detail: `no station "${'x'.repeat(60_000)}" in the city pack` })
      const [kept] = await store.deadLetters(1)
      expect(kept!.topic).toBe(topic.slice(0, DEAD_LETTER_TEXT_CHARS))
      expect(kept!.detail).toBe(`no station "${'x'.repeat(DEAD_LETTER_TEXT_CHARS - 12)}…; topic is ${topic.length} characters; first ${DEAD_LETTER_TEXT_CHARS} kept`)
    })

    it('keeps a topic and detail with NUL characters, each NUL as U+FFFD (PostgreSQL cannot hold NUL in text)', async () => {
      const store = await freshStore()
      // What the ingest refused in issue #15: a NUL in the topic, and a JSON.parse error quoting the payload's NUL.
      await store.recordDeadLetter({ ...letter(0, Buffer.from('{"a":\u0000}')), topic: 'ioc/v1/flood/tam\u0000ky/reading', reason: 'malformed_json', detail: `Unexpected token '\u0000', "{"a":\u0000}" is not valid JSON` })
      const [kept] = await store.deadLetters(1)
      expect(kept).toMatchObject({ topic: 'ioc/v1/flood/tam\uFFFDky/reading', detail: `Unexpected token '\uFFFD', "{"a":\uFFFD}" is not valid JSON` })
      // The payload is bytes, not text: kept as sent.
      expect(Buffer.from(kept!.payloadBase64, 'base64')).toEqual(Buffer.from('{"a":\u0000}'))
    })

    it(`keeps at most ${DEAD_LETTER_LIMIT} + 100 letters, dropping the oldest`, async () => {
      const store = await freshStore()
      const total = DEAD_LETTER_LIMIT + 250
      for (let i = 0; i < total; i++) await store.recordDeadLetter(letter(i))
      const kept = await store.deadLetters(total)
      expect(kept.length).toBeGreaterThanOrEqual(DEAD_LETTER_LIMIT)
      expect(kept.length).toBeLessThanOrEqual(DEAD_LETTER_LIMIT + 100)
      expect(kept[0]?.detail).toBe(`letter ${total - 1}`)
      expect(kept.at(-1)?.detail).toBe(`letter ${total - kept.length}`)
      // 10,250 writes one after another: seconds alone, minutes on a loaded PostgreSQL.
    }, 300_000)
  })

  describe('opening and closing', () => {
    it('keeps the data when the same directory is opened again', async () => {
      const { open } = freshLocation()
      const first = await open()
      await first.insertReading(...reading('tam-ky-river', T0, 120))
      await first.recordDeadLetter({ receivedAtMs: T0, topic: 't', payload: new Uint8Array([1]), reason: 'bad_topic', detail: 'd' })
      await first.close()
      const second = await open()
      expect({ readings: await second.countReadings(), letters: (await second.deadLetters(10)).length }).toEqual({ readings: 1, letters: 1 })
    })

    it('can store again after reopening (migrations run once)', async () => {
      const { open } = freshLocation()
      await (await open()).close()
      const second = await open()
      expect(await second.insertReading(...reading('tam-ky-river', T0, 120))).toBe(true)
    })

    it('answers ping while open', async () => {
      await expect((await freshStore()).ping()).resolves.toBeUndefined()
    })

    it('fails ping once closed', async () => {
      const store = await freshStore()
      await store.close()
      await expect(store.ping()).rejects.toThrow()
    })
  })

  describe('hourly rollups and retention', () => {
    it('answers whole-hour buckets from the rollups exactly as from the raw readings', async () => {
      const store = await freshStore()
      for (let minute = 0; minute < 5 * 60; minute += 7) {
        await store.insertReading(...reading('tam-ky-river', T0 + minute * MINUTE, 100 + (minute % 50), { rainfallMm: minute % 3 }))
      }
      const fromRaw = await store.readings('tam-ky-river', T0, T0 + 5 * HOUR - 1, HOUR)
      expect(await store.rollUp()).toBe(5)
      const fromRollups = await store.readings('tam-ky-river', T0, T0 + 5 * HOUR - 1, HOUR)
      expect(fromRollups).toEqual(fromRaw)
      expect(fromRollups).toHaveLength(5)
    })

    it('merges a partial first hour from raw readings with the rollups after it', async () => {
      const store = await freshStore()
      for (let minute = 0; minute < 3 * 60; minute += 10) await store.insertReading(...reading('tam-ky-river', T0 + minute * MINUTE, minute))
      const fromRaw = await store.readings('tam-ky-river', T0 + 30 * MINUTE, T0 + 3 * HOUR, HOUR)
      await store.rollUp()
      expect(await store.readings('tam-ky-river', T0 + 30 * MINUTE, T0 + 3 * HOUR, HOUR)).toEqual(fromRaw)
    })

    it('rolls up a late reading into its hour at the next run, even one received in the same millisecond', async () => {
      const store = await freshStore()
      // A frozen clock: both readings are received in the same millisecond, as on a busy server.
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() })
      onTestFinished(() => void vi.useRealTimers())
      await store.insertReading(...reading('tam-ky-river', T0 + 10 * MINUTE, 100))
      await store.rollUp()
      await store.insertReading(...reading('tam-ky-river', T0 + 20 * MINUTE, 200))
      await store.rollUp()
      const [hour] = await store.readings('tam-ky-river', T0, T0 + HOUR - 1, HOUR)
      expect(hour).toMatchObject({ avg: 150, min: 100, max: 200 })
    })

    it('leaves the rollups as they are when a run finds nothing new', async () => {
      const store = await freshStore()
      await store.insertReading(...reading('tam-ky-river', T0 + 10 * MINUTE, 100))
      await store.rollUp()
      const before = await store.readings('tam-ky-river', T0, T0 + HOUR - 1, HOUR)
      await store.rollUp()
      expect(await store.readings('tam-ky-river', T0, T0 + HOUR - 1, HOUR)).toEqual(before)
    })

    it('prunes old raw readings only after their hour is rolled up, and history still answers', async () => {
      const store = await freshStore()
      for (let minute = 0; minute < 120; minute += 10) await store.insertReading(...reading('tam-ky-river', T0 + minute * MINUTE, 100 + minute))
      const cutoff = T0 + 2 * HOUR
      expect((await store.prune(cutoff)).readings).toBe(0)
      await store.rollUp()
      const before = await store.readings('tam-ky-river', T0, T0 + 2 * HOUR - 1, HOUR)
      expect((await store.prune(cutoff)).readings).toBe(12)
      expect(await store.countReadings()).toBe(0)
      expect(await store.readings('tam-ky-river', T0, T0 + 2 * HOUR - 1, HOUR)).toEqual(before)
    })

    it('prunes camera statuses older than the cutoff', async () => {
      const store = await freshStore()
      await store.insertCameraStatus(...cameraStatus('cam-a', T0))
      await store.insertCameraStatus(...cameraStatus('cam-a', T0 + 2 * HOUR))
      expect((await store.prune(T0 + HOUR)).cameraStatuses).toBe(1)
      expect((await store.latestCameraStatuses(['cam-a'])).get('cam-a')?.ts).toBe(new Date(T0 + 2 * HOUR).toISOString())
    })
  })

  describe('camera uptime', () => {
    it('counts reports per state in each bucket', async () => {
      const store = await freshStore()
      const states = ['online', 'online', 'degraded', 'offline', 'online', 'online'] as const
      for (const [i, state] of states.entries()) await store.insertCameraStatus(...cameraStatus('cam-a', T0 + i * 20 * MINUTE, { state }))
      expect(await store.cameraUptime('cam-a', T0, T0 + 2 * HOUR, HOUR)).toEqual([
        { ts: new Date(T0).toISOString(), reports: 3, online: 2, degraded: 1, offline: 0 },
        { ts: new Date(T0 + HOUR).toISOString(), reports: 3, online: 2, degraded: 0, offline: 1 },
      ])
    })
  })

  describe('export', () => {
    it('streams every reading of a range in order, across pages', async () => {
      const store = await freshStore()
      const n = 5_200
      for (let i = 0; i < n; i++) await store.insertReading(...reading('tam-ky-river', T0 + i * 1000, i, i % 2 ? { rainfallMm: 1 } : { seq: i }))
      const rows = []
      for await (const row of store.exportReadings('tam-ky-river', T0, T0 + (n - 1) * 1000)) rows.push(row)
      expect(rows).toHaveLength(n)
      expect(rows[0]).toEqual({ ts: new Date(T0).toISOString(), waterLevelCm: 0, rainfallMm: null, batteryPct: null, seq: 0 })
      expect(rows.every((row, i) => row.waterLevelCm === i)).toBe(true)
    })
  })

  describe('schema versions', () => {
    it('refuses a database migrated by a newer server', async () => {
      const { location, open } = freshLocation()
      await (await open()).close()
      const { db } = openDatabase(await location)
      await sql`INSERT INTO kysely_migration (name, timestamp) VALUES ('9999-from-the-future', '2099-01-01')`.execute(db)
      await db.destroy()
      await expect(open()).rejects.toThrow(/migrated by a newer server.*9999-from-the-future/)
    })
  })

  describe('text with NUL characters, from anywhere', () => {
    it('stores a NUL in any text column as U+FFFD, through the query builder and raw SQL alike', async () => {
      const store = await freshStore()
      // A name typed into the accounts form, and an alarm note: user text reaches PostgreSQL too.
      await store.db.insertInto('users').values({ username: 'nguyenvana', full_name: 'Nguyễn\u0000Văn A', role: 'staff', area_id: null, password_hash: null, must_change_password: 1, disabled: 0, created_at: T0, updated_at: T0, last_login_at: null }).execute()
      await sql`INSERT INTO alarm_transitions (alarm_id, at, kind, level, value, actor, note) VALUES (1, ${T0}, 'acknowledged', NULL, NULL, 'nguyenvana', ${'đã kiểm tra\u0000'})`.execute(store.db)
      expect(await store.db.selectFrom('users').select('full_name').executeTakeFirst()).toEqual({ full_name: 'Nguyễn\uFFFDVăn A' })
      expect(await store.db.selectFrom('alarm_transitions').select('note').executeTakeFirst()).toEqual({ note: 'đã kiểm tra\uFFFD' })
    })

    it('finds a value stored with a NUL by the same value, and not by the text without it', async () => {
      const store = await freshStore()
      await store.db.insertInto('server_secrets').values({ name: 'key\u0000one', value: 'v' }).execute()
      expect(await store.db.selectFrom('server_secrets').select('value').where('name', '=', 'key\u0000one').executeTakeFirst()).toEqual({ value: 'v' })
      expect(await store.db.selectFrom('server_secrets').select('value').where('name', 'in', ['keyone', 'key\u0000one']).execute()).toEqual([{ value: 'v' }])
      expect(await store.db.selectFrom('server_secrets').select('value').where('name', '=', 'keyone').executeTakeFirst()).toBeUndefined()
    })
  })
})

describe('store on sqlite only', () => {
  it('creates a missing data directory', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ioc-store-test-'))
    onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }))
    const store = await openStore({ dataDir: join(dataDir, 'nested', 'data') })
    onTestFinished(() => store.close())
    await expect(store.ping()).resolves.toBeUndefined()
  })

  it('works in memory', async () => {
    const store = await openStore({ dataDir: ':memory:' })
    onTestFinished(() => store.close())
    await store.insertReading(...reading('tam-ky-river', T0, 120))
    expect(await store.countReadings()).toBe(1)
  })
})
