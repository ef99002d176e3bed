import { describe, expect, it } from 'vitest'
import { ENGINES, HOUR, MINUTE, T0, cameraStatus, freshLocation } from '../storage/test-databases.ts'
import { createCameraStatusesRepository } from './camera-statuses.repository.ts'

/** The camera statuses contract, against SQLite and PostgreSQL (storage/test-databases.ts). */
describe.each(ENGINES)('camera statuses repository on $name', (engine) => {
  const freshStore = async () => ({ cameraStatuses: createCameraStatusesRepository((await freshLocation(engine).open()).db) })

  describe('camera statuses', () => {
    it('round-trips a full camera status, tamper included', async () => {
      const { cameraStatuses } = await freshStore()
      await cameraStatuses.insert(...cameraStatus('cam-cau-tam-ky', T0, { state: 'degraded', fps: 7.5, bitrateKbps: 850, lastFrameAt: '2024-10-29T23:59:58Z', tamper: true }))
      const latest = await cameraStatuses.latest(['cam-cau-tam-ky'])
      expect(latest.get('cam-cau-tam-ky')).toStrictEqual({
        ts: '2024-10-30T00:00:00.000Z',
        state: 'degraded',
        fps: 7.5,
        bitrateKbps: 850,
        lastFrameAt: '2024-10-29T23:59:58Z',
        tamper: true,
      })
    })

    it('stores a group commit in one statement and says per status whether it was new', async () => {
      const { cameraStatuses } = await freshStore()
      await cameraStatuses.insert(...cameraStatus('cam-cau-tam-ky', T0))
      const item = (id: string, tsMs: number, state: 'online' | 'offline') => ({ status: cameraStatus(id, tsMs, { state })[0], tsMs })
      expect(await cameraStatuses.insertBatch([item('cam-cau-tam-ky', T0, 'offline'), item('cam-cau-tam-ky', T0 + MINUTE, 'offline'), item('cam-cau-tam-ky', T0 + MINUTE, 'online')])).toEqual([false, true, false])
      expect((await cameraStatuses.latest(['cam-cau-tam-ky'])).get('cam-cau-tam-ky')?.state).toBe('offline')
    })

    it('keeps tamper=false as false', async () => {
      const { cameraStatuses } = await freshStore()
      await cameraStatuses.insert(...cameraStatus('cam-cau-tam-ky', T0, { tamper: false }))
      expect((await cameraStatuses.latest(['cam-cau-tam-ky'])).get('cam-cau-tam-ky')?.tamper).toBe(false)
    })

    it('leaves out fields the camera did not send', async () => {
      const { cameraStatuses } = await freshStore()
      await cameraStatuses.insert(...cameraStatus('cam-cau-tam-ky', T0))
      expect((await cameraStatuses.latest(['cam-cau-tam-ky'])).get('cam-cau-tam-ky')).toStrictEqual({ ts: '2024-10-30T00:00:00.000Z', state: 'online' })
    })

    it('stores a redelivered camera status once', async () => {
      const { cameraStatuses } = await freshStore()
      await cameraStatuses.insert(...cameraStatus('cam-cau-tam-ky', T0))
      expect(await cameraStatuses.insert(...cameraStatus('cam-cau-tam-ky', T0, { state: 'offline' }))).toBe(false)
    })

    it('gives the newest status of each camera and omits silent cameras', async () => {
      const { cameraStatuses } = await freshStore()
      await cameraStatuses.insert(...cameraStatus('cam-cau-tam-ky', T0 + MINUTE, { state: 'offline' }))
      await cameraStatuses.insert(...cameraStatus('cam-cau-tam-ky', T0))
      const latest = await cameraStatuses.latest(['cam-cau-tam-ky', 'cam-bach-dang'])
      expect(Object.fromEntries(latest)).toStrictEqual({ 'cam-cau-tam-ky': { ts: '2024-10-30T00:01:00.000Z', state: 'offline' } })
    })
  })

  describe('camera uptime', () => {
    it('counts reports per state in each bucket', async () => {
      const { cameraStatuses } = await freshStore()
      const states = ['online', 'online', 'degraded', 'offline', 'online', 'online'] as const
      for (const [i, state] of states.entries()) await cameraStatuses.insert(...cameraStatus('cam-a', T0 + i * 20 * MINUTE, { state }))
      expect(await cameraStatuses.uptime('cam-a', T0, T0 + 2 * HOUR, HOUR)).toEqual([
        { ts: new Date(T0).toISOString(), reports: 3, online: 2, degraded: 1, offline: 0 },
        { ts: new Date(T0 + HOUR).toISOString(), reports: 3, online: 2, degraded: 0, offline: 1 },
      ])
    })
  })
})
