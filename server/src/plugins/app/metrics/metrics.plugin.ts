import fp from 'fastify-plugin'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

export interface IocMetrics {
  registry: Registry
  ingestStored: Counter<'kind'>
  ingestDuplicates: Counter<'kind'>
  ingestRejected: Counter<'reason'>
  storeWriteSeconds: Histogram<'kind'>
  ingestGroupSize: Histogram
  realtimeClients: Gauge<'audience'>
  /** Open alarms by type and level; set by the alarm engine's collect callback. */
  alarmsOpen: Gauge<'type' | 'level'>
  /** 1 on the instance running the alarm engine (always, alone; the elected one among several). */
  alarmLeader: Gauge
  /** Embedded broker: connects refused, by reason (`bad_credentials`, `throttled`, `client_id`). */
  mqttConnectRefused: Counter<'reason'>
  /** Embedded broker: connections closed for a packet over IOC_MQTT_MAX_PACKET_BYTES, by packet type. */
  mqttOversizedPackets: Counter<'packet'>
  /** Refused messages whose dead letter the store refused as well: acknowledged with no record kept, by reason. */
  deadLettersLost: Counter<'reason'>
  /** socket.io handshakes refused, by reason (`origin`, `session_ended`). */
  realtimeRefused: Counter<'reason'>
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
      help: 'Time to store one group commit of messages of a kind (one statement)',
      labelNames: ['kind'],
      buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5],
      registers: [registry],
    }),
    ingestGroupSize: new Histogram({
      name: 'ioc_ingest_group_commit_messages',
      help: 'Messages stored together by one group commit (1 when idle; more under load)',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
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
    mqttConnectRefused: new Counter({
      name: 'ioc_mqtt_connect_refused_total',
      help: 'Embedded broker: connections refused with CONNACK 5, by reason (bad_credentials: checked and wrong; throttled: over the failure limits, not checked; client_id: not the credential\'s)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    mqttOversizedPackets: new Counter({
      name: 'ioc_mqtt_oversized_packets_total',
      help: 'Embedded broker: connections closed because a packet header declared more than IOC_MQTT_MAX_PACKET_BYTES, by packet type',
      labelNames: ['packet'],
      registers: [registry],
    }),
    deadLettersLost: new Counter({
      name: 'ioc_ingest_dead_letters_lost_total',
      help: 'Refused messages whose dead letter the store refused as well (kept nowhere), by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    realtimeRefused: new Counter({
      name: 'ioc_realtime_refused_total',
      help: 'socket.io handshakes refused, by reason (origin: a page of a foreign origin; session_ended: came back to recover a session that has ended)',
      labelNames: ['reason'],
      registers: [registry],
    }),
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('metrics', createIocMetrics({ defaultMetrics: true }))
  },
  { name: 'metrics' },
)
