import Type, { type Static } from 'typebox'
import { AlarmView } from '../alarms/alarm-api.ts'
import { FloodForecastSchema } from '../alarms/forecast-api.ts'
import { LocalizedText } from '../schemas/common.ts'

/** One flood point as the public page shows it: no staff names, no device health, nothing but water. */
export const PublicFloodPoint = Type.Object({
  id: Type.String(),
  name: LocalizedText,
  place: LocalizedText,
  areaId: Type.String(),
  areaName: LocalizedText,
  lon: Type.Number(),
  lat: Type.Number(),
  levels: Type.Object({ bd1: Type.Number(), bd2: Type.Number(), bd3: Type.Number() }),
  /** The newest reading; null before the first. */
  latest: Type.Union([Type.Object({ ts: Type.String({ format: 'date-time' }), waterLevelCm: Type.Number() }), Type.Null()]),
  /** 0 below BĐ1, 1–3 for BĐ1–BĐ3, from the latest reading. */
  floodLevel: Type.Integer({ minimum: 0, maximum: 3 }),
  /** When the water would reach the next alarm level if it kept rising as over the last hour; null when withheld. */
  forecast: FloodForecastSchema,
  /** The last 24 hours, one average per hour (oldest first), for a sparkline and the trend. */
  spark: Type.Array(Type.Object({ ts: Type.String({ format: 'date-time' }), cm: Type.Number() })),
  /** Seconds between readings in normal operation (how old "old" is). */
  expectedIntervalS: Type.Integer(),
})
export type PublicFloodPoint = Static<typeof PublicFloodPoint>

const Advice = Type.Object({ meaning: LocalizedText, action: LocalizedText })

/** `GET /api/public/flood`: everything the public page needs in one cached answer. */
export const PublicFloodResponse = Type.Object({
  city: Type.Object({ name: LocalizedText, timezone: Type.String() }),
  /** When this answer was made (it may be served from a cache for a few seconds). */
  generatedAt: Type.String({ format: 'date-time' }),
  points: Type.Array(PublicFloodPoint),
  /** Open flood alarms (flood_level, rapid_rise), without who acknowledged them. */
  alarms: Type.Array(Type.Omit(AlarmView, ['acknowledged'])),
  /** The city's words for each alarm level: what it means, what to do. Null when the pack has none. */
  advice: Type.Union([Type.Object({ '1': Advice, '2': Advice, '3': Advice }), Type.Null()]),
})
export type PublicFloodResponse = Static<typeof PublicFloodResponse>
