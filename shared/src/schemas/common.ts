import Type from 'typebox'

/**
 * The largest value of an `integer` column (int4 in PostgreSQL): a bigger one makes the write fail
 * (SQLSTATE 22003), so no schema lets one through to such a column.
 */
export const INTEGER_COLUMN_MAX = 2_147_483_647

/**
 * The largest value a schema lets through to a `bigint` column. PostgreSQL's bigint holds 2^63 − 1,
 * but the server reads and writes these as JavaScript numbers, exact only up to 2^53 − 1: a larger
 * sequence number would not come back as it was sent (and 1e20 does not fit bigint at all).
 */
export const BIGINT_COLUMN_MAX = Number.MAX_SAFE_INTEGER

/** The id of a stored row (a `bigserial` in PostgreSQL) as a route's path parameter. */
export const RowId = Type.Integer({ minimum: 1, maximum: BIGINT_COLUMN_MAX })

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
