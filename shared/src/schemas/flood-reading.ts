import Type, { type Static } from 'typebox'
import { BIGINT_COLUMN_MAX, DeviceTimestamp } from './common.ts'

// One range per field, shared by the payload a sensor sends and the reading the server keeps.
const WaterLevelCm = Type.Number({
  minimum: -1000,
  maximum: 5000,
  description: 'Stage above the station datum, in centimetres (physical range -10 m .. 50 m)',
})
const RainfallMm = Type.Number({ minimum: 0, maximum: 2000, description: 'Rainfall since the previous reading, mm' })
const BatteryPct = Type.Number({ minimum: 0, maximum: 100 })
/** Stored as a bigint and read back as a JavaScript number: at most 2^53 − 1 (BIGINT_COLUMN_MAX). */
const Seq = Type.Integer({ minimum: 0, maximum: BIGINT_COLUMN_MAX, description: 'Device sequence number' })

/**
 * Payload a flood sensor publishes on `ioc/v1/flood/{stationId}/reading`.
 * Unknown extra properties are ignored (not stored) so a firmware update that adds a field never
 * makes the IOC drop a reading; wrong types and absurd values are rejected.
 */
export const FloodReadingPayload = Type.Object({
  ts: DeviceTimestamp,
  waterLevelCm: WaterLevelCm,
  rainfallMm: Type.Optional(RainfallMm),
  batteryPct: Type.Optional(BatteryPct),
  seq: Type.Optional(Seq),
})
export type FloodReadingPayload = Static<typeof FloodReadingPayload>

/** A validated reading as the server stores and pushes it: ts normalised to an ISO-8601 string. */
export const FloodReading = Type.Object({
  stationId: Type.String(),
  ts: Type.String({ format: 'date-time' }),
  waterLevelCm: WaterLevelCm,
  rainfallMm: Type.Optional(RainfallMm),
  batteryPct: Type.Optional(BatteryPct),
  seq: Type.Optional(Seq),
})
export type FloodReading = Static<typeof FloodReading>
