import type { FastifyBaseLogger } from 'fastify'
import { checkSnapshot, decodeMessage, parseSnapshotTopic, RejectReason, type DecodeOptions } from '@ioc/shared'
import type { IocMetrics } from '../metrics/metrics.plugin.ts'
import { classifyStoreError, describeStoreError } from '../storage/store-errors.ts'
import type { CameraStatusesRepository } from '../readings/camera-statuses.repository.ts'
import type { ReadingsRepository } from '../readings/readings.repository.ts'
import type { SnapshotsRepository } from '../snapshots/snapshots.repository.ts'
import { createThrottledWarn } from '../../../throttled-warn.ts'
import type { DomainEvents } from '../events/domain-events.ts'
import { keepDeadLetter, type DeadLetterDeps } from './keep-dead-letter.ts'

export interface IngestDeps {
  readings: Pick<ReadingsRepository, 'insert' | 'insertBatch'>
  cameraStatuses: Pick<CameraStatusesRepository, 'insert' | 'insertBatch'>
  /** Where camera snapshots go (`ioc/v1/camera/{id}/snapshot`); `camera.snapshot` is published once one is stored. */
  snapshots: Pick<SnapshotsRepository, 'insert'>
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

/** One MQTT message as the ingest takes it. */
export interface IngestMessage {
  topic: string
  payload: Uint8Array
  /**
   * The broker's DUP flag: a redelivery of a message this cluster may have stored without publishing
   * it (an instance killed between the two), so a duplicate is published as if new, once more.
   */
  redelivered: boolean
  /** Set once the message's outcome is durable (see IngestService.handleBatch). */
  outcome?: IngestOutcome
}

type Decoded = { message: IngestMessage; decoded: DecodedFlood | DecodedCamera }
type Accepted = Extract<ReturnType<typeof decodeMessage>, { ok: true }>
type DecodedFlood = Extract<Accepted, { kind: 'flood' }>
type DecodedCamera = Extract<Accepted, { kind: 'camera' }>

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
  function safeDecode(topic: string, payload: Uint8Array, options: DecodeOptions): ReturnType<typeof decodeMessage> {
    try {
      return decodeMessage(topic, payload, options)
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

  /** A message's outcome once durable: counted, and a new observation (or a redelivery told to) published. */
  function settle(item: Decoded, stored: boolean): IngestOutcome {
    if (stored) deps.metrics.ingestStored.inc({ kind: item.decoded.kind })
    else deps.metrics.ingestDuplicates.inc({ kind: item.decoded.kind })
    if (stored || item.message.redelivered) {
      if (item.decoded.kind === 'flood') deps.events.emit('reading.stored', item.decoded.reading)
      else deps.events.emit('camera.status', item.decoded.status)
    }
    return (item.message.outcome = stored ? 'stored' : 'duplicate')
  }

  /**
   * Stores one kind's messages in one statement and settles them. When the store refuses the group for
   * what it holds, one message is poison: each is stored alone, so only that one becomes a dead letter
   * (`store_rejected`) and the rest are stored. A failure that passes is thrown, the group unsettled.
   */
  async function store(kind: 'flood' | 'camera', items: Decoded[], receivedAtMs: number): Promise<void> {
    if (items.length === 0) return
    // One message alone takes the plain insert: no RETURNING, a statement the driver has seen before.
    const insertOne = ({ decoded }: Decoded) =>
      decoded.kind === 'flood' ? deps.readings.insert(decoded.reading, decoded.tsMs) : deps.cameraStatuses.insert(decoded.status, decoded.tsMs)
    const insert = async (group: Decoded[]): Promise<boolean[]> =>
      group.length === 1
        ? [await insertOne(group[0]!)]
        : kind === 'flood'
          ? deps.readings.insertBatch(group.map(({ decoded }) => decoded as DecodedFlood))
          : deps.cameraStatuses.insertBatch(group.map(({ decoded }) => decoded as DecodedCamera))
    const endTimer = deps.metrics.storeWriteSeconds.startTimer({ kind })
    let stored: boolean[]
    try {
      stored = await insert(items)
    } catch (error) {
      if (classifyStoreError(error) === 'transient') throw error
      if (items.length === 1) return refuseStored(items[0]!, error, receivedAtMs)
      for (const item of items) {
        if (item.message.outcome) continue
        let alone: boolean
        try {
          alone = await insertOne(item)
        } catch (aloneError) {
          if (classifyStoreError(aloneError) === 'transient') throw aloneError
          await refuseStored(item, aloneError, receivedAtMs)
          continue
        }
        settle(item, alone)
      }
      return
    }
    endTimer()
    items.forEach((item, i) => settle(item, stored[i]!))
  }

  /**
   * One snapshot, stored alone (a picture is its own write: a file, or a row of up to 512 KB). Its
   * time is when it arrived: a JPEG carries no time the server could trust.
   */
  async function storeSnapshot({ message, cameraId, width, height }: { message: IngestMessage; cameraId: string; width: number; height: number }, receivedAtMs: number): Promise<void> {
    const endTimer = deps.metrics.storeWriteSeconds.startTimer({ kind: 'snapshot' })
    let stored: boolean
    try {
      stored = await deps.snapshots.insert({ cameraId, tsMs: receivedAtMs, width, height, jpeg: message.payload }, receivedAtMs)
    } catch (error) {
      if (classifyStoreError(error) === 'transient') throw error
      message.outcome = await refuse({ topic: message.topic, payload: message.payload, reason: RejectReason.storeRejected, detail: `the store refused it: ${describeStoreError(error)}` }, receivedAtMs)
      return
    }
    endTimer()
    if (stored) {
      deps.metrics.ingestStored.inc({ kind: 'snapshot' })
      deps.events.emit('camera.snapshot', { cameraId, ts: new Date(receivedAtMs).toISOString(), width, height })
    } else deps.metrics.ingestDuplicates.inc({ kind: 'snapshot' })
    message.outcome = stored ? 'stored' : 'duplicate'
  }

  /** A message the store refused for what it holds: retried, it would fail forever and stall every device. */
  async function refuseStored({ message }: Decoded, error: unknown, receivedAtMs: number): Promise<void> {
    // Logged, as every refusal, by the rejection log (once a minute per reason).
    const detail = `the store refused it: ${describeStoreError(error)}`
    message.outcome = await refuse({ topic: message.topic, payload: message.payload, reason: RejectReason.storeRejected, detail }, receivedAtMs)
  }

  /**
   * A group of MQTT messages in, one outcome each out (the group commit, group-commit.ts): valid
   * readings stored in one statement, camera statuses in another, refusals kept as dead letters.
   * Resolves once every outcome is durable. A message settles (its `outcome` set) as soon as it is;
   * when a later step fails in a way that passes, this rejects, and the caller passes the same messages
   * again: settled ones are not stored, counted or published twice.
   */
  async function handleBatch(messages: IngestMessage[]): Promise<IngestOutcome[]> {
    const receivedAtMs = now()
    const floods: Decoded[] = []
    const cameras: Decoded[] = []
    const snapshots: { message: IngestMessage; cameraId: string; width: number; height: number }[] = []
    const refusals: { message: IngestMessage; reason: string; detail: string }[] = []
    // Once for the whole group: spread for each message, this object cost more than half the decode.
    const options: DecodeOptions = { ...decodeOptions, now: receivedAtMs }
    for (const message of messages) {
      if (message.outcome) continue
      // A snapshot is a JPEG, not JSON: routed before the JSON decode.
      const snapshotOf = parseSnapshotTopic(message.topic)
      if (snapshotOf !== null) {
        const checked = checkSnapshot(message.payload)
        if (!deps.isKnownCamera(snapshotOf)) refusals.push({ message, reason: RejectReason.unknownCamera, detail: `no camera "${snapshotOf}" in the city pack` })
        else if (!checked.ok) refusals.push({ message, reason: checked.reason === 'oversized' ? RejectReason.oversized : RejectReason.badSnapshot, detail: checked.detail })
        else snapshots.push({ message, cameraId: snapshotOf, width: checked.width, height: checked.height })
        continue
      }
      const decoded = safeDecode(message.topic, message.payload, options)
      if (!decoded.ok) refusals.push({ message, reason: decoded.reason, detail: decoded.detail })
      else (decoded.kind === 'flood' ? floods : cameras).push({ message, decoded })
    }
    await store('flood', floods, receivedAtMs)
    await store('camera', cameras, receivedAtMs)
    for (const snapshot of snapshots) await storeSnapshot(snapshot, receivedAtMs)
    for (const { message, reason, detail } of refusals) {
      message.outcome = await refuse({ topic: message.topic, payload: message.payload, reason, detail }, receivedAtMs)
    }
    return messages.map((message) => message.outcome!)
  }

  return {
    refuse: (refusal: Refusal) => refuse(refusal),
    /**
     * Keeps a dead letter of something its refuser has counted and logged already, in its own terms
     * (the embedded broker's oversized packets: ioc_mqtt_oversized_packets_total); resolves true once
     * stored, false when the store refused the dead letter itself (keep-dead-letter.ts).
     */
    keep: ({ topic, payload, reason, detail }: Refusal) => keepDeadLetter(deps, { receivedAtMs: now(), topic, payload, reason, detail }),
    handleBatch,
    /**
     * One message alone (handleBatch of one). `republishDuplicate`: a broker's redelivery of a message
     * this cluster may have stored without publishing it (an instance killed between the two): pass a
     * duplicate on as if new, once more.
     */
    async handle(topic: string, payload: Uint8Array, options: { republishDuplicate?: boolean } = {}): Promise<IngestOutcome> {
      const [outcome] = await handleBatch([{ topic, payload, redelivered: options.republishDuplicate ?? false }])
      return outcome!
    },
  }
}
export type IngestService = ReturnType<typeof createIngestService>
