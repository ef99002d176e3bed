import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { ENGINES, HOUR, MINUTE, T0, cameraStatus, freshLocation, reading } from '../storage/test-databases.ts'
import { createCameraStatusesRepository } from './camera-statuses.repository.ts'
import { createReadingsMaintenance } from './readings-maintenance.ts'
import { createReadingsRepository } from './readings.repository.ts'

/** Rollups and retention, and history read through the rollups, against SQLite and PostgreSQL (storage/test-databases.ts). */
describe.each(ENGINES)('readings maintenance on $name', (engine) => {
  const freshStore = async () => {
    const { db } = await freshLocation(engine).open()
    return { readings: createReadingsRepository(db), cameraStatuses: createCameraStatusesRepository(db), maintenance: createReadingsMaintenance(db) }
  }

  describe('hourly rollups and retention', () => {
    it('answers whole-hour buckets from the rollups exactly as from the raw readings', async () => {
      const { readings, maintenance } = await freshStore()
      for (let minute = 0; minute < 5 * 60; minute += 7) {
        await readings.insert(...reading('tam-ky-river', T0 + minute * MINUTE, 100 + (minute % 50), { rainfallMm: minute % 3 }))
      }
      const fromRaw = await readings.points('tam-ky-river', T0, T0 + 5 * HOUR - 1, HOUR)
      expect(await maintenance.rollUp()).toBe(5)
      const fromRollups = await readings.points('tam-ky-river', T0, T0 + 5 * HOUR - 1, HOUR)
      expect(fromRollups).toEqual(fromRaw)
      expect(fromRollups).toHaveLength(5)
    })

    it('merges a partial first hour from raw readings with the rollups after it', async () => {
      const { readings, maintenance } = await freshStore()
      for (let minute = 0; minute < 3 * 60; minute += 10) await readings.insert(...reading('tam-ky-river', T0 + minute * MINUTE, minute))
      const fromRaw = await readings.points('tam-ky-river', T0 + 30 * MINUTE, T0 + 3 * HOUR, HOUR)
      await maintenance.rollUp()
      expect(await readings.points('tam-ky-river', T0 + 30 * MINUTE, T0 + 3 * HOUR, HOUR)).toEqual(fromRaw)
    })

    it('rolls up a late reading into its hour at the next run, even one received in the same millisecond', async () => {
      const { readings, maintenance } = await freshStore()
      // A frozen clock: both readings are received in the same millisecond, as on a busy server.
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() })
      onTestFinished(() => void vi.useRealTimers())
      await readings.insert(...reading('tam-ky-river', T0 + 10 * MINUTE, 100))
      await maintenance.rollUp()
      await readings.insert(...reading('tam-ky-river', T0 + 20 * MINUTE, 200))
      await maintenance.rollUp()
      const [hour] = await readings.points('tam-ky-river', T0, T0 + HOUR - 1, HOUR)
      expect(hour).toMatchObject({ avg: 150, min: 100, max: 200 })
    })

    it('leaves the rollups as they are when a run finds nothing new', async () => {
      const { readings, maintenance } = await freshStore()
      await readings.insert(...reading('tam-ky-river', T0 + 10 * MINUTE, 100))
      await maintenance.rollUp()
      const before = await readings.points('tam-ky-river', T0, T0 + HOUR - 1, HOUR)
      await maintenance.rollUp()
      expect(await readings.points('tam-ky-river', T0, T0 + HOUR - 1, HOUR)).toEqual(before)
    })

    it('prunes old raw readings only after their hour is rolled up, and history still answers', async () => {
      const { readings, maintenance } = await freshStore()
      for (let minute = 0; minute < 120; minute += 10) await readings.insert(...reading('tam-ky-river', T0 + minute * MINUTE, 100 + minute))
      const cutoff = T0 + 2 * HOUR
      expect((await maintenance.prune(cutoff)).readings).toBe(0)
      await maintenance.rollUp()
      const before = await readings.points('tam-ky-river', T0, T0 + 2 * HOUR - 1, HOUR)
      expect((await maintenance.prune(cutoff)).readings).toBe(12)
      expect(await readings.count()).toBe(0)
      expect(await readings.points('tam-ky-river', T0, T0 + 2 * HOUR - 1, HOUR)).toEqual(before)
    })

    it('prunes camera statuses older than the cutoff', async () => {
      const { cameraStatuses, maintenance } = await freshStore()
      await cameraStatuses.insert(...cameraStatus('cam-a', T0))
      await cameraStatuses.insert(...cameraStatus('cam-a', T0 + 2 * HOUR))
      expect((await maintenance.prune(T0 + HOUR)).cameraStatuses).toBe(1)
      expect((await cameraStatuses.latest(['cam-a'])).get('cam-a')?.ts).toBe(new Date(T0 + 2 * HOUR).toISOString())
    })
  })
})
