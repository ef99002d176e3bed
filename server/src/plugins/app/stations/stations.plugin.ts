import fp from 'fastify-plugin'
import { createStationSettings, type StationSettingsService } from './station-settings.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** Each station's effective alarm settings (pack, defaults, admin's changes), and changing them. */
    stationSettings: StationSettingsService
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate(
      'stationSettings',
      await createStationSettings({ db: fastify.store.db, stations: fastify.city.stations, audit: fastify.audit, log: fastify.log }),
    )
  },
  { name: 'stations', dependencies: ['storage', 'city', 'audit'] },
)
