import fp from 'fastify-plugin'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

export interface IocMetrics {
  registry: Registry
  ingestStored: Counter<'kind'>
  ingestDuplicates: Counter<'kind'>
  ingestRejected: Counter<'reason'>
  storeWriteSeconds: Histogram<'kind'>
  realtimeClients: Gauge<'audience'>
  /** Open alarms by type and level; set by the alarm engine's collect callback. */
  alarmsOpen: Gauge<'type' | 'level'>
  /** 1 on the instance running the alarm engine (always, alone; the elected one among several). */
  alarmLeader: Gauge
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: IocMetrics
  }
}

/**
 * The IOC's metrics on a registry of their own: one per app instance (tests build many apps in one
 * process; the global registry would clash).
 */
export function createIocMetrics(options: { defaultMetrics?: boolean } = {}): IocMetrics {
  const registry = new Registry()
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'ioc_' })
  return {
    registry,
    ingestStored: new Counter({ name: 'ioc_ingest_stored_total', help: 'Messages validated and stored, by kind', labelNames: ['kind'], registers: [registry] }),
    ingestDuplicates: new Counter({
      name: 'ioc_ingest_duplicates_total',
      help: 'Valid messages already stored (redeliveries), by kind',
      labelNames: ['kind'],
      registers: [registry],
    }),
    ingestRejected: new Counter({ name: 'ioc_ingest_rejected_total', help: 'Messages refused, by reason', labelNames: ['reason'], registers: [registry] }),
    storeWriteSeconds: new Histogram({
      name: 'ioc_store_write_seconds',
      help: 'Time to store one message',
      labelNames: ['kind'],
      buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5],
      registers: [registry],
    }),
    realtimeClients: new Gauge({
      name: 'ioc_realtime_clients',
      help: 'Connected socket.io clients, by audience (public or the role of their session)',
      labelNames: ['audience'],
      registers: [registry],
    }),
    alarmLeader: new Gauge({ name: 'ioc_alarm_leader', help: '1 on the instance that runs the alarm engine, 0 on the others', registers: [registry] }),
    alarmsOpen: new Gauge({ name: 'ioc_alarms_open', help: 'Alarms not yet cleared, by type and level (0: no level)', labelNames: ['type', 'level'], registers: [registry] }),
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('metrics', createIocMetrics({ defaultMetrics: true }))
  },
  { name: 'metrics' },
)
