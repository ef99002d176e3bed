import Type, { type Static } from 'typebox'
import { VALUE_REFUSALS } from './indicator-rules.ts'
import { INTEGER_COLUMN_MAX } from '../schemas/common.ts'

const Timestamp = Type.String({ format: 'date-time' })
export const PeriodSchema = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2]|Q[1-4])$', description: 'YYYY-MM (month) or YYYY-Qn (quarter)' })

/** One area's value of one indicator for one period. `version` grows with every change. */
export const IndicatorValue = Type.Object({
  areaId: Type.String(),
  key: Type.String(),
  period: PeriodSchema,
  value: Type.Number(),
  version: Type.Integer({ minimum: 1 }),
  updatedAt: Timestamp,
  /** Username of who set it; `demo` for the pack's demo data. */
  updatedBy: Type.String(),
  note: Type.Union([Type.String(), Type.Null()]),
  /** From the pack's demo data, not entered by the city. */
  demo: Type.Boolean(),
})
export type IndicatorValue = Static<typeof IndicatorValue>

/** `GET /api/indicators?area=&key=&period=&from=&to=`. */
export const IndicatorQuery = Type.Object({
  area: Type.Optional(Type.String({ maxLength: 64 })),
  key: Type.Optional(Type.String({ maxLength: 64 })),
  period: Type.Optional(PeriodSchema),
  /** Periods from … to (inclusive). */
  from: Type.Optional(PeriodSchema),
  to: Type.Optional(PeriodSchema),
})
export type IndicatorQuery = Static<typeof IndicatorQuery>

export const IndicatorValueList = Type.Object({ values: Type.Array(IndicatorValue) })
export type IndicatorValueList = Static<typeof IndicatorValueList>

/**
 * `PUT /api/indicators/{area}/{key}/{period}`. `expectedVersion`: the version the editor started from
 * (0 for a value that did not exist); a different current version means someone else changed it
 * meanwhile, and the answer is 409 with the current value — never a lost update.
 */
export const PutIndicatorBody = Type.Object(
  // expectedVersion is matched against an integer (int4) column and becomes expectedVersion + 1 in it.
  { value: Type.Number(), note: Type.Optional(Type.String({ maxLength: 500 })), expectedVersion: Type.Integer({ minimum: 0, maximum: INTEGER_COLUMN_MAX - 1 }) },
  { additionalProperties: false },
)
export type PutIndicatorBody = Static<typeof PutIndicatorBody>

/** A refused value: the reason code the web words in the user's language, with the range. */
export const IndicatorRefusal = Type.Object({
  statusCode: Type.Literal(400),
  error: Type.String(),
  message: Type.String(),
  reason: Type.Enum(VALUE_REFUSALS),
  min: Type.Number(),
  max: Type.Number(),
})

export const IndicatorConflict = Type.Object({
  statusCode: Type.Literal(409),
  error: Type.String(),
  message: Type.String(),
  current: IndicatorValue,
})
export type IndicatorConflict = Static<typeof IndicatorConflict>

/** One change in a value's history: every value that period has had, never overwritten. */
export const IndicatorChange = Type.Object({
  version: Type.Integer(),
  value: Type.Number(),
  previous: Type.Union([Type.Number(), Type.Null()]),
  at: Timestamp,
  by: Type.String(),
  note: Type.Union([Type.String(), Type.Null()]),
})
export type IndicatorChange = Static<typeof IndicatorChange>

export const IndicatorHistory = Type.Object({ history: Type.Array(IndicatorChange) })
export type IndicatorHistory = Static<typeof IndicatorHistory>

/** `GET /api/indicators/city?key=&from=&to=`: the city's figure per period (sum or weighted mean, by the definition). */
export const CityIndicatorSeries = Type.Object({
  key: Type.String(),
  points: Type.Array(Type.Object({ period: PeriodSchema, value: Type.Union([Type.Number(), Type.Null()]), areasReporting: Type.Integer() })),
})
export type CityIndicatorSeries = Static<typeof CityIndicatorSeries>
