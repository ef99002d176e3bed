import type { FastifyBaseLogger } from 'fastify'
import { decodeMessage, RejectReason } from '@ioc/shared'
import type { IocMetrics } from '../metrics/metrics.plugin.ts'
import { classifyStoreError, describeStoreError } from '../storage/store-errors.ts'
import type { CameraStatusesRepository } from '../readings/camera-statuses.repository.ts'
import type { ReadingsRepository } from '../readings/readings.repository.ts'
import { createThrottledWarn } from '../../../throttled-warn.ts'
import type { DomainEvents } from '../events/domain-events.ts'
import { keepDeadLetter, type DeadLetterDeps } from './keep-dead-letter.ts'

export interface IngestDeps {
  readings: Pick<ReadingsRepository, 'insert'>
  cameraStatuses: Pick<CameraStatusesRepository, 'insert'>
  deadLetters: DeadLetterDeps['deadLetters']
  metrics: IocMetrics
  log: FastifyBaseLogger
  isKnownStation: (id: string) => boolean
  isKnownCamera: (id: string) => boolean
  /**
   * Where `reading.stored` and `camera.status` go: once per newly stored observation, and for a
   * duplicate only when `handle` is told to republish it.
   */
  events: Pick<DomainEvents, 'emit'>
  now?: () => number
}

export type IngestOutcome = 'stored' | 'duplicate' | 'rejected'

/** A message refused before it reached the ingest's own checks (the embedded broker's `unauthorized_topic`). */
export interface Refusal {
  topic: string
  payload: Uint8Array
  reason: string
  detail: string
}

/**
 * One MQTT message in, one outcome out. Resolves only once the outcome is durable (stored, or kept
 * as a dead letter); rejects when the store fails in a way that passes (classifyStoreError), so the
 * caller withholds the PUBACK and the broker redelivers. A message the store refuses for what it
 * holds is refused as `store_rejected` instead: retried, it would fail forever and stall every device.
 */
export function createIngestService(deps: IngestDeps) {
  const now = deps.now ?? Date.now
  // One warning per reason a minute: one broken sensor sending every second must not flood the log.
  const warnOnce = createThrottledWarn(deps.log, 60_000, now)
  const decodeOptions = { isKnownStation: deps.isKnownStation, isKnownCamera: deps.isKnownCamera }

  /**
   * A validator that throws would otherwise look like a store failure and be retried forever, holding
   * every message behind it: such a payload is refused as `decode_error` and kept for the bug report.
   */
  function safeDecode(topic: string, payload: Uint8Array, receivedAtMs: number): ReturnType<typeof decodeMessage> {
    try {
      return decodeMessage(topic, payload, { ...decodeOptions, now: receivedAtMs })
    } catch (error) {
      deps.log.error({ err: error, topic }, 'the validator failed on a message: refused as decode_error')
      return { ok: false, reason: RejectReason.decodeError, detail: `validator error: ${error instanceof Error ? error.message : String(error)}` }
    }
  }

  /**
   * Every refusal, whoever refused: kept as a dead letter (durable before this resolves, as a stored
   * reading is), counted in ioc_ingest_rejected_total{reason} and logged once a minute per reason.
   */
  async function refuse({ topic, payload, reason, detail }: Refusal, receivedAtMs = now()): Promise<'rejected'> {
    await keepDeadLetter(deps, { receivedAtMs, topic, payload, reason, detail })
    deps.metrics.ingestRejected.inc({ reason })
    warnOnce(reason, { reason, topic, detail }, 'ingest rejected a message')
    return 'rejected'
  }

  return {
    refuse: (refusal: Refusal) => refuse(refusal),
    /**
     * Keeps a dead letter of something its refuser has counted and logged already, in its own terms
     * (the embedded broker's oversized packets: ioc_mqtt_oversized_packets_total); resolves true once
     * stored, false when the store refused the dead letter itself (keep-dead-letter.ts).
     */
    keep: ({ topic, payload, reason, detail }: Refusal) => keepDeadLetter(deps, { receivedAtMs: now(), topic, payload, reason, detail }),
    /**
     * `republishDuplicate`: a broker's redelivery of a message this cluster may have stored without
     * publishing it (an instance killed between the two): pass a duplicate on as if new, once more.
     */
    async handle(topic: string, payload: Uint8Array, options: { republishDuplicate?: boolean } = {}): Promise<IngestOutcome> {
      const receivedAtMs = now()
      const decoded = safeDecode(topic, payload, receivedAtMs)
      if (!decoded.ok) return refuse({ topic, payload, reason: decoded.reason, detail: decoded.detail }, receivedAtMs)
      const endTimer = deps.metrics.storeWriteSeconds.startTimer({ kind: decoded.kind })
      let stored: boolean
      try {
        stored =
          decoded.kind === 'flood'
            ? await deps.readings.insert(decoded.reading, decoded.tsMs)
            : await deps.cameraStatuses.insert(decoded.status, decoded.tsMs)
      } catch (error) {
        if (classifyStoreError(error) === 'transient') throw error
        // Logged, as every refusal, by the rejection log (once a minute per reason).
        return refuse({ topic, payload, reason: RejectReason.storeRejected, detail: `the store refused it: ${describeStoreError(error)}` }, receivedAtMs)
      }
      endTimer()
      if (stored) deps.metrics.ingestStored.inc({ kind: decoded.kind })
      else deps.metrics.ingestDuplicates.inc({ kind: decoded.kind })
      if (stored || options.republishDuplicate) {
        if (decoded.kind === 'flood') deps.events.emit('reading.stored', decoded.reading)
        else deps.events.emit('camera.status', decoded.status)
      }
      return stored ? 'stored' : 'duplicate'
    },
  }
}
export type IngestService = ReturnType<typeof createIngestService>
