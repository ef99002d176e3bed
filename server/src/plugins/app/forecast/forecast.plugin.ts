import { BUCKETS } from '@ioc/shared'
import fp from 'fastify-plugin'
import { createStationForecasts, type StationForecasts } from './station-forecasts.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** When each station's water would reach its next alarm level, from the stored last hour (station-forecasts.ts). */
    forecasts: StationForecasts
  }
}

/**
 * The forecast capability: answers for the station views and the public page, and after each reading
 * stored here (or a verdict on one, or new alarm levels) publishes `forecast.changed` when a station's
 * forecast changes, for realtime to send on.
 */
export default fp(
  async (fastify) => {
    const forecasts = createStationForecasts({
      latest: (ids) => fastify.readings.latest(ids),
      readingsBetween: (id, fromMs, toMs) => fastify.readings.points(id, fromMs, toMs, BUCKETS.raw),
      levelsOf: (id) => fastify.stationSettings.get(id).levels,
      changed: (stationId, forecast) => fastify.events.emit('forecast.changed', stationId, forecast),
    })
    fastify.decorate('forecasts', forecasts)
    const touch = (stationId: string) => {
      if (!fastify.city.stationsById.has(stationId)) return
      forecasts.touch(stationId).catch((error: unknown) => fastify.log.error({ err: error, stationId }, 'could not compute the forecast'))
    }
    fastify.events.on('reading.stored', (reading) => touch(reading.stationId))
    fastify.events.on('reading.judged', (verdict) => touch(verdict.stationId))
    fastify.events.on('settings.changed', (stationId) => touch(stationId))
    fastify.addHook('onClose', () => forecasts.close())
  },
  { name: 'forecast', dependencies: ['events', 'readings', 'city', 'station-settings'] },
)
