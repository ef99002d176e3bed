import Type, { type Static } from 'typebox'
import { CameraDef, StationDef } from './city-packs/city-pack.schema.ts'
import { CameraStatus } from './schemas/camera-status.ts'

/** The latest reading of a station, as the map needs it. */
export const LatestReading = Type.Object({
  ts: Type.String({ format: 'date-time' }),
  waterLevelCm: Type.Number(),
  rainfallMm: Type.Optional(Type.Number()),
  batteryPct: Type.Optional(Type.Number()),
})
export type LatestReading = Static<typeof LatestReading>

/** `GET /api/stations` item: the station, its alarm levels, its latest reading and the level it stands at. */
export const StationView = Type.Intersect([
  StationDef,
  Type.Object({
    latest: Type.Union([LatestReading, Type.Null()]),
    /** 0 below BĐ1, 1..3 for BĐ1..BĐ3, from the latest reading. */
    floodLevel: Type.Integer({ minimum: 0, maximum: 3 }),
  }),
])
export type StationView = Static<typeof StationView>

export const CameraView = Type.Intersect([
  CameraDef,
  Type.Object({ latest: Type.Union([Type.Omit(CameraStatus, ['cameraId']), Type.Null()]) }),
])
export type CameraView = Static<typeof CameraView>

/** Named history buckets; `raw` returns every stored point. */
export const BucketSchema = Type.Enum(['raw', '1m', '5m', '15m', '1h', '6h', '1d'], { description: 'raw, or the width of one bucket' })
export type Bucket = Static<typeof BucketSchema>
/** Each bucket's width in milliseconds (0 for raw). */
export const BUCKETS: Readonly<Record<Bucket, number>> = { raw: 0, '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000, '6h': 21_600_000, '1d': 86_400_000 }

export const ReadingPoint = Type.Object({
  ts: Type.String({ format: 'date-time' }),
  /** Raw: the reading. Bucketed: the bucket's average. */
  waterLevelCm: Type.Number(),
  rainfallMm: Type.Optional(Type.Number()),
  min: Type.Optional(Type.Number()),
  max: Type.Optional(Type.Number()),
  avg: Type.Optional(Type.Number()),
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

/** Every error the API returns (design.md). */
export const ApiError = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
})
export type ApiError = Static<typeof ApiError>
