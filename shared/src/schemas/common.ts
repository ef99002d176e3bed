import Type from 'typebox'

/**
 * A device timestamp: an ISO-8601 date-time string or epoch milliseconds.
 * Sensors in the field send both; the server normalises to epoch ms.
 */
export const DeviceTimestamp = Type.Union(
  [
    Type.String({ format: 'date-time', description: 'ISO-8601 date-time, e.g. 2024-10-30T07:00:00+07:00' }),
    // 8.64e15 ms is the last instant a JavaScript Date can hold.
    Type.Integer({ minimum: 0, maximum: 8_640_000_000_000_000, description: 'Epoch milliseconds' }),
  ],
  { description: 'When the device measured the value' },
)

/** Identifiers of stations, cameras and areas: short, URL- and topic-safe. */
export const DeviceId = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$', description: 'lower-case letters, digits and dashes' })

/** Vietnamese first, English second: every human-facing name in a city pack carries both. */
export const LocalizedText = Type.Object({
  vi: Type.String({ minLength: 1 }),
  en: Type.String({ minLength: 1 }),
})
