import type { FastifyBaseLogger } from 'fastify'
import { decodeMessage, RejectReason, type CameraStatus, type FloodReading } from '@ioc/shared'
import type { IocMetrics } from '../metrics/metrics.plugin.ts'
import { classifyStoreError, describeStoreError } from '../storage/store-errors.ts'
import type { Store } from '../storage/store.ts'
import { keepDeadLetter } from './keep-dead-letter.ts'
import { createRejectLog } from './reject-log.ts'

export interface IngestDeps {
  store: Store
  metrics: IocMetrics
  log: FastifyBaseLogger
  isKnownStation: (id: string) => boolean
  isKnownCamera: (id: string) => boolean
  /** Called once per newly stored reading, and for a duplicate only when `handle` is told to republish it. */
  onReading: (reading: FloodReading) => void
  onCameraStatus: (status: CameraStatus) => void
  now?: () => number
}

export type IngestOutcome = 'stored' | 'duplicate' | 'rejected'

/**
 * One MQTT message in, one outcome out. Resolves only once the outcome is durable (stored, or kept
 * as a dead letter); rejects when the store fails in a way that passes (classifyStoreError), so the
 * caller withholds the PUBACK and the broker redelivers. A message the store refuses for what it
 * holds is refused as `store_rejected` instead: retried, it would fail forever and stall every device.
 */
export function createIngestService(deps: IngestDeps) {
  const now = deps.now ?? Date.now
  const logReject = createRejectLog(deps.log, 60_000, now)
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

  return {
    /**
     * `republishDuplicate`: a broker's redelivery of a message this cluster may have stored without
     * publishing it (an instance killed between the two): pass a duplicate on as if new, once more.
     */
    async handle(topic: string, payload: Uint8Array, options: { republishDuplicate?: boolean } = {}): Promise<IngestOutcome> {
      const receivedAtMs = now()
      const refuse = async (reason: RejectReason, detail: string): Promise<IngestOutcome> => {
        await keepDeadLetter(deps, { receivedAtMs, topic, payload, reason, detail })
        deps.metrics.ingestRejected.inc({ reason })
        logReject(reason, topic, detail)
        return 'rejected'
      }
      const decoded = safeDecode(topic, payload, receivedAtMs)
      if (!decoded.ok) return refuse(decoded.reason, decoded.detail)
      const endTimer = deps.metrics.storeWriteSeconds.startTimer({ kind: decoded.kind })
      let stored: boolean
      try {
        stored =
          decoded.kind === 'flood'
            ? await deps.store.insertReading(decoded.reading, decoded.tsMs)
            : await deps.store.insertCameraStatus(decoded.status, decoded.tsMs)
      } catch (error) {
        if (classifyStoreError(error) === 'transient') throw error
        // Logged, as every refusal, by the rejection log (once a minute per reason).
        return refuse(RejectReason.storeRejected, `the store refused it: ${describeStoreError(error)}`)
      }
      endTimer()
      if (stored) deps.metrics.ingestStored.inc({ kind: decoded.kind })
      else deps.metrics.ingestDuplicates.inc({ kind: decoded.kind })
      if (stored || options.republishDuplicate) {
        if (decoded.kind === 'flood') deps.onReading(decoded.reading)
        else deps.onCameraStatus(decoded.status)
      }
      return stored ? 'stored' : 'duplicate'
    },
  }
}
export type IngestService = ReturnType<typeof createIngestService>
