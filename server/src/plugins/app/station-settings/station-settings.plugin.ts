import fp from 'fastify-plugin'
import { createStationSettingsService, type StationSettingsService } from './station-settings.service.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** Each station's effective alarm settings (pack, defaults, admin's changes), and changing them. */
    stationSettings: StationSettingsService
  }
}

const NOTICE = 'station-settings'

/** Station settings, kept the same on every instance: a change made on one is read again by the others. */
export default fp(
  async (fastify) => {
    const settings = await createStationSettingsService({ db: fastify.database.db, stations: fastify.city.stations, audit: fastify.audit, events: fastify.events, log: fastify.log })
    const { cluster } = fastify
    cluster.onNotice(NOTICE, (message) => {
      const { from, stationId } = JSON.parse(message) as { from: string; stationId: string }
      if (from === cluster.instance) return
      settings.reload(stationId).catch((error: unknown) => fastify.log.error({ err: error, stationId }, 'could not read station settings changed on another instance'))
    })
    fastify.decorate('stationSettings', {
      ...settings,
      async update(stationId, patch, actor) {
        const updated = await settings.update(stationId, patch, actor)
        if (cluster.redis) {
          // Stored already: an instance that misses the notice reads the settings at its next start.
          await cluster.notify(NOTICE, JSON.stringify({ from: cluster.instance, stationId })).catch((error: unknown) => fastify.log.error({ err: error, stationId }, 'could not tell the other instances of new station settings'))
        }
        return updated
      },
    } satisfies StationSettingsService)
  },
  { name: 'station-settings', dependencies: ['events', 'storage', 'city', 'audit', 'cluster'] },
)
