import fp from 'fastify-plugin'
import { createReportsRepository } from './reports.repository.ts'
import { createStormReports, type StormReports } from './reports.service.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** After-action reports over stored readings and alarms (docs/reports.md). */
    reports: StormReports
  }
}

export interface ReportsOptions {
  /** Days raw readings are kept (IOC_RETENTION_DAYS): a report reaching further back reads hourly rollups. */
  retentionDays: number
}

/** The storm report: read-only, computed on request from the store, the city pack and the stations' settings. */
export default fp(
  async (fastify, opts: ReportsOptions) => {
    fastify.decorate(
      'reports',
      createStormReports({
        repo: createReportsRepository(fastify.database.db),
        stations: fastify.city.stations,
        areas: fastify.city.areas,
        timeZone: fastify.city.city.timezone,
        settings: (stationId) => fastify.stationSettings.get(stationId),
        retentionDays: opts.retentionDays,
      }),
    )
  },
  { name: 'reports', dependencies: ['storage', 'city', 'station-settings'] },
)
