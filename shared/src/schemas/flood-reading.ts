import Type, { type Static } from 'typebox'
import { DeviceTimestamp } from './common.ts'

/**
 * Payload a flood sensor publishes on `ioc/v1/flood/{stationId}/reading`.
 * Unknown extra properties are ignored (not stored) so a firmware update that adds a field never
 * makes the IOC drop a reading; wrong types and absurd values are rejected.
 */
export const FloodReadingPayload = Type.Object({
  ts: DeviceTimestamp,
  waterLevelCm: Type.Number({
    minimum: -1000,
    maximum: 5000,
    description: 'Stage above the station datum, in centimetres (physical range -10 m .. 50 m)',
  }),
  rainfallMm: Type.Optional(Type.Number({ minimum: 0, maximum: 2000, description: 'Rainfall since the previous reading, mm' })),
  batteryPct: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  seq: Type.Optional(Type.Integer({ minimum: 0, description: 'Device sequence number' })),
})
export type FloodReadingPayload = Static<typeof FloodReadingPayload>

/** A validated reading as the server stores and pushes it: ts normalised to an ISO-8601 string. */
export const FloodReading = Type.Object({
  stationId: Type.String(),
  ts: Type.String({ format: 'date-time' }),
  waterLevelCm: Type.Number(),
  rainfallMm: Type.Optional(Type.Number()),
  batteryPct: Type.Optional(Type.Number()),
  seq: Type.Optional(Type.Integer()),
})
export type FloodReading = Static<typeof FloodReading>
