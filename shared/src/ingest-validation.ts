import { Compile } from 'typebox/compile'
import { CameraStatusPayload, type CameraStatus } from './schemas/camera-status.ts'
import { FloodReadingPayload, type FloodReading } from './schemas/flood-reading.ts'
import { parseTopic } from './topics.ts'

/** Why an MQTT message was refused. Each reason is a metrics label and a dead-letter record. */
export const RejectReason = {
  badTopic: 'bad_topic',
  oversized: 'oversized',
  invalidUtf8: 'invalid_utf8',
  malformedJson: 'malformed_json',
  schema: 'schema',
  unknownStation: 'unknown_station',
  unknownCamera: 'unknown_camera',
  futureTimestamp: 'future_timestamp',
  ancientTimestamp: 'ancient_timestamp',
  /** The validator itself failed on this payload (a bug to report): refused and kept, never retried forever. */
  decodeError: 'decode_error',
  /**
   * Valid to the validator, but the store refused to write it (a data exception or a constraint,
   * e.g. a CHECK a database administrator added): no retry could change that, so it is kept as a dead
   * letter and acknowledged rather than retried forever with every other message behind it.
   */
  storeRejected: 'store_rejected',
  /** A camera snapshot that is not a JPEG the IOC can show (camera-snapshot.ts says why). */
  badSnapshot: 'bad_snapshot',
} as const
export type RejectReason = (typeof RejectReason)[keyof typeof RejectReason]

export interface DecodeOptions {
  /** Current time in epoch ms (injected so tests control the clock). */
  now: number
  isKnownStation: (id: string) => boolean
  isKnownCamera: (id: string) => boolean
  /** @defaultValue 4096 */
  maxBytes?: number
  /** How far ahead of `now` a device clock may be. @defaultValue 5 minutes */
  maxFutureMs?: number
}

export type Decoded =
  | { ok: true; kind: 'flood'; tsMs: number; reading: FloodReading }
  | { ok: true; kind: 'camera'; tsMs: number; status: CameraStatus }
  | { ok: false; reason: RejectReason; detail: string }

/** Earliest timestamp accepted: anything before this is a device with an unset clock. */
export const EARLIEST_TS_MS = Date.UTC(2000, 0, 1)
const DEFAULT_MAX_BYTES = 4096
const DEFAULT_MAX_FUTURE_MS = 5 * 60_000

const floodValidator = Compile(FloodReadingPayload)
const cameraValidator = Compile(CameraStatusPayload)
const utf8 = new TextDecoder('utf-8', { fatal: true })

function reject(reason: RejectReason, detail: string): Decoded {
  return { ok: false, reason, detail }
}

/** The first schema error as one readable line, e.g. `/waterLevelCm must be <= 5000`. */
function firstError(errors: Iterable<{ instancePath: string; message: string }>): string {
  for (const error of errors) return `${error.instancePath || '(payload)'} ${error.message}`
  return 'invalid payload'
}

function toEpochMs(ts: string | number): number {
  return typeof ts === 'number' ? ts : Date.parse(ts)
}

/**
 * Turns one MQTT message into a validated reading or camera status, or says exactly why not.
 * Pure: no I/O, no clock of its own, so the server, the simulators and the fuzz tests share it.
 */
export function decodeMessage(topic: string, payload: Uint8Array, options: DecodeOptions): Decoded {
  const target = parseTopic(topic)
  if (!target) return reject(RejectReason.badTopic, `topic "${topic.slice(0, 200)}" is not ioc/v1/flood/{id}/reading or ioc/v1/camera/{id}/status`)

  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  if (payload.byteLength > maxBytes) return reject(RejectReason.oversized, `payload is ${payload.byteLength} bytes, limit ${maxBytes}`)

  let text: string
  try {
    text = utf8.decode(payload)
  } catch {
    return reject(RejectReason.invalidUtf8, 'payload is not valid UTF-8')
  }

  let body: unknown
  try {
    body = JSON.parse(text)
  } catch (error) {
    return reject(RejectReason.malformedJson, (error as Error).message)
  }

  const validator = target.kind === 'flood' ? floodValidator : cameraValidator
  if (!validator.Check(body)) return reject(RejectReason.schema, firstError(validator.Errors(body)))

  const tsMs = toEpochMs(body.ts)
  // RFC 3339 allows what a JavaScript Date cannot hold: a leap second (23:59:60) or an RFC 9557
  // suffix ("…Z[Asia/Ho_Chi_Minh]"). Date.parse gives NaN for those; refuse them rather than throw.
  if (Number.isNaN(tsMs)) return reject(RejectReason.schema, `/ts "${String(body.ts).slice(0, 100)}" is not a time this server can represent (leap second or time-zone suffix)`)
  if (tsMs < EARLIEST_TS_MS) return reject(RejectReason.ancientTimestamp, `ts ${new Date(tsMs).toISOString()} is before 2000: device clock not set`)
  const maxFutureMs = options.maxFutureMs ?? DEFAULT_MAX_FUTURE_MS
  if (tsMs > options.now + maxFutureMs) {
    return reject(RejectReason.futureTimestamp, `ts ${new Date(tsMs).toISOString()} is more than ${Math.round(maxFutureMs / 1000)} s ahead of the server clock`)
  }
  const ts = new Date(tsMs).toISOString()

  if (target.kind === 'flood') {
    if (!options.isKnownStation(target.stationId)) return reject(RejectReason.unknownStation, `no station "${target.stationId}" in the city pack`)
    const { waterLevelCm, rainfallMm, batteryPct, seq } = body as FloodReadingPayload
    const reading: FloodReading = { stationId: target.stationId, ts, waterLevelCm }
    if (rainfallMm !== undefined) reading.rainfallMm = rainfallMm
    if (batteryPct !== undefined) reading.batteryPct = batteryPct
    if (seq !== undefined) reading.seq = seq
    return { ok: true, kind: 'flood', tsMs, reading }
  }

  if (!options.isKnownCamera(target.cameraId)) return reject(RejectReason.unknownCamera, `no camera "${target.cameraId}" in the city pack`)
  const camera = body as CameraStatusPayload
  const status: CameraStatus = { cameraId: target.cameraId, ts, state: camera.state }
  if (camera.fps !== undefined) status.fps = camera.fps
  if (camera.bitrateKbps !== undefined) status.bitrateKbps = camera.bitrateKbps
  if (camera.lastFrameAt !== undefined) status.lastFrameAt = camera.lastFrameAt
  if (camera.tamper !== undefined) status.tamper = camera.tamper
  return { ok: true, kind: 'camera', tsMs, status }
}
