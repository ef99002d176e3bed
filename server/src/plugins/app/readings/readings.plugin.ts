import fp from 'fastify-plugin'
import { createCameraStatusesRepository, type CameraStatusesRepository } from './camera-statuses.repository.ts'
import { createReadingsMaintenance, scheduleReadingsMaintenance, type ReadingsMaintenance } from './readings-maintenance.ts'
import { createReadingsRepository, type ReadingsRepository } from './readings.repository.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** Flood stations' readings: stored by the ingest, read by the station routes and the alarms. */
    readings: ReadingsRepository
    /** Cameras' status reports. */
    cameraStatuses: CameraStatusesRepository
    /** Hourly rollups and retention of both, run in the background (callable at once by imports and the demo). */
    readingsMaintenance: ReadingsMaintenance
  }
}

export interface ReadingsOptions {
  /** Days raw readings and camera statuses are kept (IOC_RETENTION_DAYS); hourly rollups stay. */
  retentionDays: number
  /**
   * How often rollups and pruning run.
   * @defaultValue 60 000 ms
   */
  maintenanceEveryMs?: number
}

/** Readings and camera statuses, and their rollups and retention kept up to date in the background. */
export default fp(
  async (fastify, opts: ReadingsOptions) => {
    const { db } = fastify.database
    const maintenance = createReadingsMaintenance(db)
    fastify.decorate('readings', createReadingsRepository(db))
    fastify.decorate('cameraStatuses', createCameraStatusesRepository(db))
    fastify.decorate('readingsMaintenance', maintenance)
    fastify.log.info({ retentionDays: opts.retentionDays }, 'raw readings and camera statuses kept this many days; hourly rollups for ever')

    const schedule = scheduleReadingsMaintenance({
      maintenance,
      isLeader: () => fastify.cluster.leadership.isLeader(),
      retentionDays: opts.retentionDays,
      everyMs: opts.maintenanceEveryMs ?? 60_000,
      log: fastify.log.child({ component: 'storage' }),
    })
    fastify.addHook('onClose', () => schedule.stop())
  },
  { name: 'readings', dependencies: ['storage', 'cluster'] },
)
