import Type, { type Static } from 'typebox'
import { ALARM_STATES, ALARM_TRANSITIONS, ALARM_TYPES } from './alarm-rules.ts'
import { STATION_SETTING_LIMITS } from './station-settings-rules.ts'

const Timestamp = Type.String({ format: 'date-time' })
export const AlarmTypeSchema = Type.Enum(ALARM_TYPES)
export const AlarmStateSchema = Type.Enum(ALARM_STATES)

/** An alarm as logged-in users see it (`GET /api/alarms`, and the `alarm:*` events); the public gets `PublicAlarmView`. */
export const AlarmView = Type.Object({
  id: Type.Integer(),
  type: AlarmTypeSchema,
  /** The station or camera it is about. */
  source: Type.Object({ kind: Type.Union([Type.Literal('station'), Type.Literal('camera')]), id: Type.String() }),
  /** The GSO code of the ward or commune the source is in. */
  areaId: Type.String(),
  /** Flood level 1–3 (BĐ1–BĐ3) of a `flood_level` alarm; null for other types. */
  level: Type.Union([Type.Integer({ minimum: 1, maximum: 3 }), Type.Null()]),
  /** The level it was raised at (a chart marks the raise with it); null for other types. */
  raisedLevel: Type.Union([Type.Integer({ minimum: 1, maximum: 3 }), Type.Null()]),
  /** Higher is more urgent (see `alarmSeverity`): lists sort by it, then by time. */
  severity: Type.Integer(),
  state: AlarmStateSchema,
  /** The value behind the latest change: cm for a level, cm/h for a rise, % for a battery, minutes silent, suspect readings in the last hour. */
  value: Type.Union([Type.Number(), Type.Null()]),
  raisedAt: Timestamp,
  updatedAt: Timestamp,
  clearedAt: Type.Union([Timestamp, Type.Null()]),
  /** Who acknowledged it, when and why; null until acknowledged, and again after it escalates. */
  acknowledged: Type.Union([Type.Object({ by: Type.String(), at: Timestamp, note: Type.String() }), Type.Null()]),
})
export type AlarmView = Static<typeof AlarmView>

/**
 * The fields of an alarm the public may see — the citizens' page, anonymous API calls, and the socket
 * of anyone not logged in (or who must still choose a password): what, where, how high, when, and
 * whether someone has acknowledged it. Listed, not derived by leaving fields out, so that a field
 * added to `AlarmView` stays staff-only until someone decides otherwise here.
 */
const PUBLIC_ALARM_FIELDS = ['id', 'type', 'source', 'areaId', 'level', 'raisedLevel', 'severity', 'state', 'value', 'raisedAt', 'updatedAt', 'clearedAt'] as const

/**
 * An alarm as the public sees it: no names, no notes — a note may hold a phone number. Whether it was
 * acknowledged, and when, but not by whom or why. `additionalProperties: false`: as a response schema,
 * Fastify's serializer writes nothing else, whatever the handler hands it.
 */
export const PublicAlarmView = Type.Object(
  {
    ...Type.Pick(AlarmView, PUBLIC_ALARM_FIELDS).properties,
    /** When it was acknowledged; null until then, and again after it escalates. */
    acknowledged: Type.Union([Type.Object({ at: Timestamp }, { additionalProperties: false }), Type.Null()]),
  },
  { additionalProperties: false },
)
export type PublicAlarmView = Static<typeof PublicAlarmView>

/**
 * The public view of an alarm (see `PublicAlarmView`): what the public — a null principal, anonymous
 * or a user who must still choose a password — is given; everyone logged in gets the `AlarmView`.
 */
export function toPublicAlarmView(alarm: AlarmView): PublicAlarmView {
  // Built field by field: an object literal of exactly the public type, never the full alarm with parts removed.
  const { id, type, source, areaId, level, raisedLevel, severity, state, value, raisedAt, updatedAt, clearedAt, acknowledged } = alarm
  return {
    id,
    type,
    source: { kind: source.kind, id: source.id },
    areaId,
    level,
    raisedLevel,
    severity,
    state,
    value,
    raisedAt,
    updatedAt,
    clearedAt,
    acknowledged: acknowledged && { at: acknowledged.at },
  }
}

export const AlarmTransition = Type.Object({
  at: Timestamp,
  kind: Type.Enum(ALARM_TRANSITIONS),
  level: Type.Union([Type.Integer(), Type.Null()]),
  value: Type.Union([Type.Number(), Type.Null()]),
  /** Username for acknowledgements; null for what the engine did. */
  actor: Type.Union([Type.String(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
})
export type AlarmTransition = Static<typeof AlarmTransition>

export const AlarmDetail = Type.Object({ alarm: AlarmView, transitions: Type.Array(AlarmTransition) })
export type AlarmDetail = Static<typeof AlarmDetail>

/** A transition as the public sees it: what happened and when, not who did it or their note. */
export const PublicAlarmTransition = Type.Object({ at: Timestamp, kind: Type.Enum(ALARM_TRANSITIONS), level: Type.Union([Type.Integer(), Type.Null()]), value: Type.Union([Type.Number(), Type.Null()]) }, { additionalProperties: false })
export type PublicAlarmTransition = Static<typeof PublicAlarmTransition>

export function toPublicAlarmTransition(transition: AlarmTransition): PublicAlarmTransition {
  return { at: transition.at, kind: transition.kind, level: transition.level, value: transition.value }
}

/** `GET /api/alarms/{id}` for the public. */
export const PublicAlarmDetail = Type.Object({ alarm: PublicAlarmView, transitions: Type.Array(PublicAlarmTransition) }, { additionalProperties: false })
export type PublicAlarmDetail = Static<typeof PublicAlarmDetail>

/**
 * `GET /api/alarms`: `state=active` lists alarms not yet cleared (acknowledged or not);
 * `acknowledged` and `cleared` filter further. Acknowledging says someone is on it, not that the
 * water went down, so an acknowledged alarm stays active until it clears.
 */
export const AlarmQuery = Type.Object({
  state: Type.Optional(AlarmStateSchema),
  type: Type.Optional(AlarmTypeSchema),
  station: Type.Optional(Type.String({ maxLength: 64 })),
  camera: Type.Optional(Type.String({ maxLength: 64 })),
  area: Type.Optional(Type.String({ maxLength: 64 })),
  /** Raised at or after. */
  from: Type.Optional(Timestamp),
  /** Raised at or before. */
  to: Type.Optional(Timestamp),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
})
export type AlarmQuery = Static<typeof AlarmQuery>

export const AlarmList = Type.Object({ alarms: Type.Array(AlarmView) })
export type AlarmList = Static<typeof AlarmList>
/** `GET /api/alarms` for the public. */
export const PublicAlarmList = Type.Object({ alarms: Type.Array(PublicAlarmView) }, { additionalProperties: false })
export type PublicAlarmList = Static<typeof PublicAlarmList>

/** `POST /api/alarms/{id}/ack`. */
export const AckBody = Type.Object({ note: Type.String({ maxLength: 500, default: '' }) }, { additionalProperties: false })
export type AckBody = Static<typeof AckBody>

/** A station's alarm settings as the API shows and takes them (`PATCH /api/stations/{id}`, admins). */
const L = STATION_SETTING_LIMITS
const LevelCm = Type.Number({ minimum: L.levelCm.min, maximum: L.levelCm.max })
export const StationAlarmSettingsSchema = Type.Object({
  /** BĐ1 < BĐ2 < BĐ3, in cm above the station datum (the order is checked by the service). */
  levels: Type.Object({ bd1: LevelCm, bd2: LevelCm, bd3: LevelCm }),
  hysteresisCm: Type.Number({ minimum: L.hysteresisCm.min, maximum: L.hysteresisCm.max }),
  holdMinutes: Type.Number({ minimum: L.holdMinutes.min, maximum: L.holdMinutes.max }),
  riseCmPerHour: Type.Number({ exclusiveMinimum: L.riseCmPerHour.min, maximum: L.riseCmPerHour.max }),
  riseWindowMinutes: Type.Number({ minimum: L.riseWindowMinutes.min, maximum: L.riseWindowMinutes.max }),
  silentAfterIntervals: Type.Integer({ minimum: L.silentAfterIntervals.min, maximum: L.silentAfterIntervals.max }),
  lowBatteryPct: Type.Number({ minimum: L.lowBatteryPct.min, maximum: L.lowBatteryPct.max }),
  /** How far the water can move in a minute before a reading is held as suspect (docs/alarms.md). */
  maxChangeCmPerMinute: Type.Number({ exclusiveMinimum: L.maxChangeCmPerMinute.min, maximum: L.maxChangeCmPerMinute.max }),
})

export const UpdateStationBody = Type.Partial(StationAlarmSettingsSchema, { additionalProperties: false, minProperties: 1 })
export type UpdateStationBody = Static<typeof UpdateStationBody>
