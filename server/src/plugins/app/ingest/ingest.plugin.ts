import fp from 'fastify-plugin'
import { createDurableWriter } from './durable.ts'
import { createGroupCommit } from './group-commit.ts'
import { createIngestService, type IngestMessage, type IngestOutcome, type IngestService, type Refusal } from './ingest.service.ts'

declare module 'fastify' {
  interface FastifyInstance {
    ingest: {
      service: IngestService
      /**
       * One MQTT message in; resolves once its outcome is durable (stored, or kept as a dead letter),
       * retrying a store failure that passes until it succeeds or the server stops — the broker
       * acknowledges it only then. Messages in flight together are stored together (group-commit.ts).
       * `redelivered`: the broker's DUP flag.
       */
      handle(topic: string, payload: Buffer, redelivered?: boolean): Promise<IngestOutcome>
      /**
       * A message refused before it reached the ingest (a topic not allowed): kept and counted; resolves
       * once the dead letter is stored, rejects when the store failed in a way that passes.
       */
      refuse(refusal: Refusal): Promise<IngestOutcome>
      /** A dead letter of something its refuser counted and logged itself (IngestService.keep). */
      keep(refusal: Refusal): Promise<boolean>
      /** False from a failed store write until the next one succeeds. */
      storeHealthy(): boolean
      /** Abandons writes being retried (left unacknowledged, so redelivered after a restart). */
      stop(): void
    }
  }
}

/**
 * The ingest: every MQTT message validated, stored or refused with its reason, and each stored one
 * published on the event bus (`reading.stored`, `camera.status`) for realtime and alarms. Whatever
 * brings messages — the embedded broker (broker.plugin.ts) or a subscription on an external one
 * (broker-subscription.plugin.ts) — calls `handle` and acknowledges once it resolves.
 */
export default fp(
  async (fastify) => {
    const log = fastify.log.child({ component: 'ingest' })
    const service = createIngestService({
      readings: fastify.readings,
      cameraStatuses: fastify.cameraStatuses,
      snapshots: fastify.snapshots.repository,
      deadLetters: fastify.deadLetters,
      metrics: fastify.metrics,
      log,
      isKnownStation: (id) => fastify.city.stationsById.has(id),
      isKnownCamera: (id) => fastify.city.camerasById.has(id),
      events: fastify.events,
    })
    const durable = createDurableWriter({ log })
    // Every message goes through one group commit, whoever brought it: a failure that passes retries
    // the group as a whole (its settled messages are not stored twice, see handleBatch) until it is
    // durable or the server stops, and no message of it is acknowledged before.
    const groups = createGroupCommit<IngestMessage, IngestOutcome>({
      commit: (messages) => {
        fastify.metrics.ingestGroupSize.observe(messages.length)
        return durable.write({ messages: messages.length, firstTopic: messages[0]!.topic }, () => service.handleBatch(messages))
      },
    })
    fastify.decorate('ingest', {
      service,
      // A redelivered message (DUP) may have been stored by a process killed before it published it.
      handle: (topic, payload, redelivered = false) => groups.submit({ topic, payload, redelivered }),
      // Not retried here: a store failure rejects, the broker closes the connection unacknowledged, and
      // the device sends the message again.
      refuse: (refusal) => service.refuse(refusal),
      keep: (refusal) => service.keep(refusal),
      storeHealthy: durable.healthy,
      stop: durable.stop,
    })
    fastify.addHook('onClose', async () => durable.stop())
  },
  { name: 'ingest', dependencies: ['events', 'city', 'readings', 'snapshots', 'dead-letters', 'metrics'] },
)
