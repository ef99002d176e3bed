import { describe, expect, it } from 'vitest'
import { ENGINES, HOUR, MINUTE, T0, freshLocation, reading } from '../storage/test-databases.ts'
import { createReadingsRepository } from './readings.repository.ts'

/** The readings contract, against SQLite and PostgreSQL (storage/test-databases.ts). Whole-hour history from the rollups: readings-maintenance.integration.test.ts. */
describe.each(ENGINES)('readings repository on $name', (engine) => {
  const freshStore = async () => ({ readings: createReadingsRepository((await freshLocation(engine).open()).db) })

  describe('readings', () => {
    it('stores a new reading and says so', async () => {
      const { readings } = await freshStore()
      expect(await readings.insert(...reading('tam-ky-river', T0, 120))).toBe(true)
    })

    it('stores a redelivered reading once and reports the second insert as a duplicate', async () => {
      const { readings } = await freshStore()
      await readings.insert(...reading('tam-ky-river', T0, 120))
      expect(await readings.insert(...reading('tam-ky-river', T0, 120))).toBe(false)
      expect(await readings.count()).toBe(1)
    })

    it('keeps the first value when a reading with the same station and ts arrives again', async () => {
      const { readings } = await freshStore()
      await readings.insert(...reading('tam-ky-river', T0, 120))
      await readings.insert(...reading('tam-ky-river', T0, 999))
      expect((await readings.latest(['tam-ky-river'])).get('tam-ky-river')?.waterLevelCm).toBe(120)
    })

    it('stores a batch in one go, keeping one row per (station, ts) and counting only the new ones', async () => {
      const { readings } = await freshStore()
      await readings.insert(...reading('tam-ky-river', T0, 1))
      const batch = Array.from({ length: 1200 }, (_, i) => ({ reading: reading('tam-ky-river', T0 + i * 1000, i)[0], tsMs: T0 + i * 1000 }))
      expect(await readings.insertMany(batch)).toBe(1199)
      expect(await readings.count()).toBe(1200)
      expect((await readings.points('tam-ky-river', T0, T0, 0))[0]?.waterLevelCm).toBe(1)
    })

    it('stores a group commit in one statement and says per reading whether it was new, the first of a pair in the same group included', async () => {
      const { readings } = await freshStore()
      await readings.insert(...reading('tam-ky-river', T0, 1))
      const item = (station: string, tsMs: number, cm: number) => ({ reading: reading(station, tsMs, cm)[0], tsMs })
      const stored = await readings.insertBatch([
        item('tam-ky-river', T0, 5),
        item('tam-ky-river', T0 + 1000, 110),
        item('cau-xuan-quy', T0, 80),
        item('tam-ky-river', T0 + 1000, 999),
      ])
      expect(stored).toEqual([false, true, true, false])
      expect(await readings.count()).toBe(3)
      expect((await readings.points('tam-ky-river', T0, T0 + 1000, 0)).map((p) => p.waterLevelCm)).toEqual([1, 110])
    })

    it('stores none of a group commit when the store refuses one of it', async () => {
      const { readings } = await freshStore()
      // A level the column does not take (NOT NULL): on every engine a refusal for what the row holds.
      const bad = { reading: { ...reading('tam-ky-river', T0, 1)[0], waterLevelCm: null as unknown as number }, tsMs: T0 }
      await expect(readings.insertBatch([{ reading: reading('cau-xuan-quy', T0, 80)[0], tsMs: T0 }, bad])).rejects.toThrow()
      expect(await readings.count()).toBe(0)
    })

    it('stores readings of two stations at the same instant separately', async () => {
      const { readings } = await freshStore()
      await readings.insert(...reading('tam-ky-river', T0, 120))
      expect(await readings.insert(...reading('cau-xuan-quy', T0, 80))).toBe(true)
    })

    it('gives the newest reading of each station', async () => {
      const { readings } = await freshStore()
      await readings.insert(...reading('tam-ky-river', T0 + 2 * MINUTE, 130, { rainfallMm: 4.5, batteryPct: 88 }))
      await readings.insert(...reading('tam-ky-river', T0, 120))
      await readings.insert(...reading('cau-xuan-quy', T0 + MINUTE, 80))
      const latest = await readings.latest(['tam-ky-river', 'cau-xuan-quy'])
      expect(Object.fromEntries(latest)).toStrictEqual({
        'tam-ky-river': { ts: '2024-10-30T00:02:00.000Z', waterLevelCm: 130, rainfallMm: 4.5, batteryPct: 88 },
        'cau-xuan-quy': { ts: '2024-10-30T00:01:00.000Z', waterLevelCm: 80 },
      })
    })

    it('omits stations without readings from the latest readings', async () => {
      const { readings } = await freshStore()
      await readings.insert(...reading('tam-ky-river', T0, 120))
      const latest = await readings.latest(['tam-ky-river', 'hoa-huong-1'])
      expect([...latest.keys()]).toEqual(['tam-ky-river'])
    })

    it('returns raw readings in range, oldest first, including both ends', async () => {
      const { readings } = await freshStore()
      for (const [minute, level] of [[4, 140], [0, 100], [3, 130], [1, 110], [2, 120]] as const) {
        await readings.insert(...reading('tam-ky-river', T0 + minute * MINUTE, level))
      }
      const points = await readings.points('tam-ky-river', T0 + MINUTE, T0 + 3 * MINUTE, 0)
      expect(points).toStrictEqual([
        { ts: '2024-10-30T00:01:00.000Z', waterLevelCm: 110 },
        { ts: '2024-10-30T00:02:00.000Z', waterLevelCm: 120 },
        { ts: '2024-10-30T00:03:00.000Z', waterLevelCm: 130 },
      ])
    })

    it('gives raw points their rainfall when the sensor sent it', async () => {
      const { readings } = await freshStore()
      await readings.insert(...reading('tam-ky-river', T0, 100, { rainfallMm: 2.5, batteryPct: 90 }))
      expect(await readings.points('tam-ky-river', T0, T0, 0)).toStrictEqual([{ ts: '2024-10-30T00:00:00.000Z', waterLevelCm: 100, rainfallMm: 2.5 }])
    })

    it('marks a reading suspect and unmarks it, as the alarm engine judges, and says so in the latest reading and the raw history', async () => {
      const { readings } = await freshStore()
      for (const [ts, cm] of [[T0, 100], [T0 + MINUTE, 400], [T0 + 2 * MINUTE, 101]] as const) await readings.insert(...reading('tam-ky-river', ts, cm))
      await readings.markSuspect('tam-ky-river', T0 + 2 * MINUTE, true)
      expect((await readings.latest(['tam-ky-river'])).get('tam-ky-river')).toMatchObject({ waterLevelCm: 101, suspect: true })
      await readings.markSuspect('tam-ky-river', T0 + 2 * MINUTE, false)
      expect((await readings.latest(['tam-ky-river'])).get('tam-ky-river')).not.toHaveProperty('suspect')
      await readings.markSuspect('tam-ky-river', T0 + MINUTE, true)
      expect((await readings.points('tam-ky-river', T0, T0 + 2 * MINUTE, 0)).map((p) => p.suspect ?? false)).toEqual([false, true, false])
    })

    it('does not mix another station into a history', async () => {
      const { readings } = await freshStore()
      await readings.insert(...reading('tam-ky-river', T0, 100))
      await readings.insert(...reading('cau-xuan-quy', T0 + MINUTE, 50))
      expect(await readings.points('tam-ky-river', T0, T0 + HOUR, 0)).toHaveLength(1)
    })

    it('averages, and takes min and max, per hourly bucket', async () => {
      const { readings } = await freshStore()
      const data = [
        [10, 100, 1],
        [20, 110, 2],
        [50, 130, 0.5],
        [65, 200, undefined],
        [100, 220, undefined],
      ] as const
      for (const [minute, level, rain] of data) {
        await readings.insert(...reading('tam-ky-river', T0 + minute * MINUTE, level, rain === undefined ? {} : { rainfallMm: rain }))
      }
      const points = await readings.points('tam-ky-river', T0, T0 + 2 * HOUR, HOUR)
      expect(points).toHaveLength(2)
      expect(points[0]).toMatchObject({ ts: '2024-10-30T00:00:00.000Z', min: 100, max: 130, rainfallMm: 3.5 })
      expect(points[0]?.avg).toBeCloseTo(340 / 3, 9)
      expect(points[0]?.waterLevelCm).toBeCloseTo(340 / 3, 9)
      expect(points[1]).toStrictEqual({ ts: '2024-10-30T01:00:00.000Z', waterLevelCm: 210, avg: 210, min: 200, max: 220 })
    })

    it('starts each bucket on a whole bucket boundary', async () => {
      const { readings } = await freshStore()
      await readings.insert(...reading('tam-ky-river', T0 + 7 * MINUTE + 1234, 100))
      const [point] = await readings.points('tam-ky-river', T0, T0 + HOUR, 5 * MINUTE)
      expect(point?.ts).toBe('2024-10-30T00:05:00.000Z')
    })

    it('counts readings overall, per station and per station in a range', async () => {
      const { readings } = await freshStore()
      for (let minute = 0; minute < 5; minute++) await readings.insert(...reading('tam-ky-river', T0 + minute * MINUTE, 100 + minute))
      await readings.insert(...reading('cau-xuan-quy', T0, 50))
      expect({
        all: await readings.count(),
        station: await readings.count('tam-ky-river'),
        inRange: await readings.count('tam-ky-river', T0 + MINUTE, T0 + 3 * MINUTE),
        unknown: await readings.count('hoa-huong-1'),
      }).toEqual({ all: 6, station: 5, inRange: 3, unknown: 0 })
    })

    it('stops counting a range at the limit it is given', async () => {
      const { readings } = await freshStore()
      for (let minute = 0; minute < 5; minute++) await readings.insert(...reading('tam-ky-river', T0 + minute * MINUTE, 100 + minute))
      expect(await readings.countUpTo('tam-ky-river', T0, T0 + HOUR, 3)).toBe(3)
      expect(await readings.countUpTo('tam-ky-river', T0, T0 + HOUR, 10)).toBe(5)
      expect(await readings.countUpTo('tam-ky-river', T0 + MINUTE, T0 + 2 * MINUTE, 10)).toBe(2)
    })
  })

  describe('export', () => {
    it('streams every reading of a range in order, across pages', async () => {
      const { readings } = await freshStore()
      const n = 5_200
      for (let i = 0; i < n; i++) await readings.insert(...reading('tam-ky-river', T0 + i * 1000, i, i % 2 ? { rainfallMm: 1 } : { seq: i }))
      const rows = []
      for await (const row of readings.export('tam-ky-river', T0, T0 + (n - 1) * 1000)) rows.push(row)
      expect(rows).toHaveLength(n)
      expect(rows[0]).toEqual({ ts: new Date(T0).toISOString(), waterLevelCm: 0, rainfallMm: null, batteryPct: null, seq: 0 })
      expect(rows.every((row, i) => row.waterLevelCm === i)).toBe(true)
    })
  })
})
