import fp from 'fastify-plugin'
import { createAlarmEngine, type AlarmEngine } from './alarm-engine.ts'
import { createAlarmsRepository, type AlarmsRepository } from './alarms.repository.ts'

declare module 'fastify' {
  interface FastifyInstance {
    alarms: AlarmEngine & { repo: AlarmsRepository }
  }
}

/**
 * The alarm engine, fed by the ingest (every stored reading and camera report) and by admins' changes
 * to a station's settings; its alarms go to the store, then to the sockets allowed to see them.
 */
export default fp(
  async (fastify) => {
    const repo = createAlarmsRepository(fastify.store.db)
    const engine = createAlarmEngine({
      repo,
      stations: fastify.city.stationsById,
      cameras: fastify.city.camerasById,
      settingsOf: (stationId) => fastify.stationSettings.get(stationId),
      readingsBetween: async (stationId, fromMs, toMs) =>
        (await fastify.store.readings(stationId, fromMs, toMs, 0)).map((p) => ({ ts: Date.parse(p.ts), cm: p.waterLevelCm })),
      publish: (event, alarm) => {
        fastify.realtime.publishAlarm(event, alarm)
        countOpen()
      },
      log: fastify.log.child({ component: 'alarms' }),
    })
    // ioc_alarms_open{type, level}: recounted on every change (open alarms are few).
    function countOpen(): void {
      fastify.metrics.alarmsOpen.reset()
      for (const alarm of engine.openAlarms()) fastify.metrics.alarmsOpen.inc({ type: alarm.type, level: String(alarm.level ?? 0) })
    }
    fastify.decorate('alarms', Object.assign(engine, { repo }))
    fastify.stationSettings.onChange((stationId) => void engine.settingsChanged(stationId))
    await engine.start(await fastify.store.latestReadings([...fastify.city.stationsById.keys()]))
    countOpen()
    fastify.addHook('onClose', () => engine.stop())
  },
  { name: 'alarms', dependencies: ['storage', 'city', 'stations', 'realtime', 'metrics'] },
)
