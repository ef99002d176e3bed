import Type, { type Static } from 'typebox'
import { CameraDef, StationDef } from './city-packs/city-pack.schema.ts'
import { CameraStatus } from './schemas/camera-status.ts'
import { SnapshotInfo } from './camera-snapshot.ts'
import { BUCKET_NAMES } from './buckets.ts'
import { StationAlarmSettingsSchema } from './alarms/alarm-api.ts'
import { FloodForecastSchema } from './alarms/forecast-api.ts'

/** The latest reading of a station, as the map needs it. */
export const LatestReading = Type.Object({
  ts: Type.String({ format: 'date-time' }),
  waterLevelCm: Type.Number(),
  rainfallMm: Type.Optional(Type.Number()),
  batteryPct: Type.Optional(Type.Number()),
  /** True while the alarm engine holds this reading as suspect (docs/alarms.md); absent otherwise. */
  suspect: Type.Optional(Type.Boolean()),
})
export type LatestReading = Static<typeof LatestReading>

/**
 * `GET /api/stations` item: the station, its alarm levels, its latest reading and the level it stands at.
 * `levels` and `maxChangeCmPerMinute` are the effective ones (the pack's, or what an admin set): the same as in `alarmSettings`.
 */
export const StationView = Type.Intersect([
  StationDef,
  Type.Object({
    latest: Type.Union([LatestReading, Type.Null()]),
    /** 0 below BĐ1, 1..3 for BĐ1..BĐ3, from the latest reading against the effective levels. */
    floodLevel: Type.Integer({ minimum: 0, maximum: 3 }),
    /** What the alarm engine judges this station by: levels, hysteresis, hold time and the other limits. */
    alarmSettings: StationAlarmSettingsSchema,
    /** When the water would reach the next alarm level at the last hour's rise; null when withheld (docs/alarms.md). */
    forecast: FloodForecastSchema,
  }),
])
export type StationView = Static<typeof StationView>

export const CameraView = Type.Intersect([
  CameraDef,
  Type.Object({
    latest: Type.Union([Type.Omit(CameraStatus, ['cameraId']), Type.Null()]),
    /** The newest snapshot kept (its JPEG: `/api/cameras/{id}/snapshots/latest.jpg`), or null. */
    latestSnapshot: Type.Union([SnapshotInfo, Type.Null()]),
  }),
])
export type CameraView = Static<typeof CameraView>

/** Named history buckets; `raw` returns every stored point. */
export const BucketSchema = Type.Enum(BUCKET_NAMES, { description: 'raw, or the width of one bucket' })

export const ReadingPoint = Type.Object({
  ts: Type.String({ format: 'date-time' }),
  /** Raw: the reading. Bucketed: the bucket's average. */
  waterLevelCm: Type.Number(),
  rainfallMm: Type.Optional(Type.Number()),
  min: Type.Optional(Type.Number()),
  max: Type.Optional(Type.Number()),
  avg: Type.Optional(Type.Number()),
  /** Raw points only: true when the alarm engine held this reading as suspect and nothing confirmed it. */
  suspect: Type.Optional(Type.Boolean()),
})
export type ReadingPoint = Static<typeof ReadingPoint>

export const ReadingsResponse = Type.Object({
  stationId: Type.String(),
  bucket: BucketSchema,
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  points: Type.Array(ReadingPoint),
})
export type ReadingsResponse = Static<typeof ReadingsResponse>

/** `GET /api/cameras/{id}/history`: what a camera reported per bucket, and the share of it online. */
export const CameraHistoryResponse = Type.Object({
  cameraId: Type.String(),
  bucket: BucketSchema,
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  points: Type.Array(
    Type.Object({
      ts: Type.String({ format: 'date-time' }),
      reports: Type.Integer(),
      online: Type.Integer(),
      degraded: Type.Integer(),
      offline: Type.Integer(),
      /** online / reports, 0..1 */
      uptime: Type.Number(),
    }),
  ),
})
export type CameraHistoryResponse = Static<typeof CameraHistoryResponse>

/** Every error the API returns has this one shape, so a client handles failures in one place. */
export const ApiError = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
})
export type ApiError = Static<typeof ApiError>

/** A refused MQTT message as admins read it (`GET /api/dead-letters`), newest first. */
export const DeadLetterView = Type.Object({
  id: Type.Integer(),
  receivedAt: Type.String({ format: 'date-time' }),
  topic: Type.String(),
  /** The raw payload, base64: it may not be text. */
  payloadBase64: Type.String(),
  /** The payload as text when it is valid UTF-8 (at most 4 KB are kept); null otherwise. */
  payloadText: Type.Union([Type.String(), Type.Null()]),
  /** A reject reason (docs/devices-and-mqtt.md, "Connecting devices"), e.g. `schema`, `unknown_station`, `unauthorized_topic`. */
  reason: Type.String(),
  detail: Type.String(),
})
export type DeadLetterView = Static<typeof DeadLetterView>

export const DeadLetterList = Type.Object({ deadLetters: Type.Array(DeadLetterView) })
export type DeadLetterList = Static<typeof DeadLetterList>
