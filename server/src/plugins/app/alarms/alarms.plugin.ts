import fp from 'fastify-plugin'
import type { AlarmView } from '@ioc/shared'
import { createAlarmFeed, FEED_POSITION } from './alarm-feed.ts'
import { acknowledgeAlarm, createAlarmEngine, type AlarmEngine, type AlarmEngineDeps } from './alarm-engine.ts'
import { createAlarmsRepository, toAlarmView, type AlarmRow, type AlarmsRepository } from './alarms.repository.ts'
import { createJobStateRepository } from '../storage/job-state.repository.ts'

/** What the rest of the server asks of alarms, whether or not this instance runs the engine. */
export interface Alarms {
  repo: AlarmsRepository
  acknowledge(id: number, by: string, note: string): Promise<AlarmView>
  /** The open alarms the engine holds; none on an instance that does not run it. */
  openAlarms(): Iterable<AlarmRow>
  /** Whether this instance runs the engine: always alone, the elected leader among several. */
  running(): boolean
  /** Resolves once everything handed to the engine so far is evaluated (tests). */
  idle(): Promise<void>
}

declare module 'fastify' {
  interface FastifyInstance {
    alarms: Alarms
  }
}

/**
 * A feed older than this is not replayed when an instance takes the lead (the cluster was stopped, or
 * ran as one instance meanwhile): the engine starts from each station's latest reading instead.
 */
const MAX_REPLAY_MS = 60 * 60_000

/**
 * The alarm engine, fed with every stored reading and camera report and with admins' changes to a
 * station's settings (`settings.changed`); each alarm change goes to the store, then out as
 * `alarm.changed` (realtime sends it to the sockets allowed to see it). A reading it holds as suspect,
 * or confirms after all, is marked in the store and goes out as `reading.judged`.
 *
 * Alone, the server runs the engine and feeds it as it ingests (`reading.stored`, `camera.status`).
 * Among several instances one runs it —
 * the leader, elected by a PostgreSQL advisory lock (docs/scale-out.md) — and reads what every
 * instance stored back from the store in order, so one station's readings, whichever instance took
 * them, pass through one engine in turn: one raise per crossing, no lost escalation.
 */
export default fp(
  async (fastify) => {
    const repo = createAlarmsRepository(fastify.database.db)
    const jobState = createJobStateRepository(fastify.database.db)
    const log = fastify.log.child({ component: 'alarms' })
    const deps: AlarmEngineDeps = {
      repo,
      stations: fastify.city.stationsById,
      cameras: fastify.city.camerasById,
      settingsOf: (stationId) => fastify.stationSettings.get(stationId),
      readingsBetween: async (stationId, fromMs, toMs) =>
        (await fastify.readings.points(stationId, fromMs, toMs, 0)).map((p) => ({ ts: Date.parse(p.ts), cm: p.waterLevelCm, ...(p.suspect && { suspect: true }) })),
      judged: async (stationId, tsMs, suspect) => {
        await fastify.readings.markSuspect(stationId, tsMs, suspect)
        fastify.events.emit('reading.judged', { stationId, ts: new Date(tsMs).toISOString(), suspect })
      },
      publish: (event, alarm) => fastify.events.emit('alarm.changed', event, alarm),
      log,
    }
    let engine: AlarmEngine | null = null
    // ioc_alarms_open{type, level}: recounted on every change (open alarms are few).
    function countOpen(): void {
      fastify.metrics.alarmsOpen.reset()
      for (const alarm of engine?.openAlarms() ?? []) fastify.metrics.alarmsOpen.inc({ type: alarm.type, level: String(alarm.level ?? 0) })
    }
    fastify.events.on('alarm.changed', countOpen)
    fastify.events.on('settings.changed', (stationId) => engine?.settingsChanged(stationId))
    const latestReadings = () => fastify.readings.latest([...fastify.city.stationsById.keys()])
    const clustered = fastify.cluster.redis !== null

    fastify.decorate('alarms', {
      repo,
      // An instance without the engine acknowledges in the store; the leader's next change reads the row again.
      acknowledge: async (id, by, note) => (engine ? engine.acknowledge(id, by, note) : toAlarmView(await acknowledgeAlarm(deps, id, by, note, Date.now()))),
      openAlarms: () => engine?.openAlarms() ?? [],
      running: () => engine !== null,
      idle: () => engine?.idle() ?? Promise.resolve(),
    } satisfies Alarms)

    if (!clustered) {
      // What this instance stores is all there is: the engine hears of it at once.
      fastify.events.on('reading.stored', (reading) => engine?.onReading(reading))
      fastify.events.on('camera.status', (status) => engine?.onCameraStatus(status))
      engine = createAlarmEngine(deps)
      await engine.start(await latestReadings())
      fastify.metrics.alarmLeader.set(1)
      countOpen()
      fastify.addHook('onClose', () => engine?.stop())
      return
    }

    const feed = createAlarmFeed({
      readings: fastify.readings,
      cameraStatuses: fastify.cameraStatuses,
      jobState,
      onReading: (reading) => engine?.onReading(reading) ?? Promise.resolve(),
      onCameraStatus: (status) => engine?.onCameraStatus(status) ?? Promise.resolve(),
      log,
    })
    // Taking and giving up the lead, one at a time.
    let turn = Promise.resolve()
    const { leadership } = fastify.cluster
    const take = (leader: boolean) => {
      turn = turn.then(leader ? lead : follow).catch((error: unknown) => log.error({ err: error }, leader ? 'could not start the alarm engine' : 'could not stop the alarm engine'))
    }
    fastify.events.on('leadership.changed', take)
    // The election began with the server (cluster plugin): it may have been won already.
    if (leadership.isLeader()) take(true)

    async function lead(): Promise<void> {
      if (!leadership.isLeader()) return
      // Settings changed on other instances while this one followed may have missed their notice.
      for (const stationId of fastify.city.stationsById.keys()) await fastify.stationSettings.reload(stationId)
      const position = await jobState.get(FEED_POSITION)
      const replay = position !== null && Date.now() - position < MAX_REPLAY_MS
      const startedAt = Date.now()
      engine = createAlarmEngine(deps)
      // Replaying from the last leader's position brings each station to now through its own readings;
      // without one, each station's latest reading stands for what came before.
      await engine.start(replay ? new Map() : await latestReadings())
      feed.start(replay ? position : startedAt)
      fastify.metrics.alarmLeader.set(1)
      countOpen()
      log.info({ instance: fastify.cluster.instance, replayFrom: replay ? new Date(position).toISOString() : null }, 'this instance runs the alarm engine')
    }

    async function follow(): Promise<void> {
      await feed.stop()
      const stopping = engine
      engine = null
      await stopping?.stop()
      fastify.metrics.alarmLeader.set(0)
      countOpen()
    }

    fastify.metrics.alarmLeader.set(0)
    fastify.addHook('onClose', async () => {
      await turn
      await follow()
    })
  },
  { name: 'alarms', dependencies: ['events', 'storage', 'readings', 'city', 'station-settings', 'metrics', 'cluster'] },
)
