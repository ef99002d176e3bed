/**
 * The most a station's water can really move in one minute, in cm, when its city pack does not say:
 * the default of `maxChangeCmPerMinute` in the pack schema (city-pack.schema.ts), kept here with the
 * setting's bounds so the browser has it without TypeBox. 5 cm/min, 3 m an hour, is ten times the
 * rapid-rise alarm's 30 cm/h — more than a river rises even in a flash flood, so water that really
 * moves is not taken for a sensor fault — while a gauge's typical fault (a bird or a leaf on an
 * ultrasonic sensor, a loose wire, a car under a street sensor: a metre or more in one reading) is.
 * Counted over at least one reporting interval, it allows 25 cm between two readings of a station
 * reporting every 5 minutes. See docs/alarms.md, "Suspect readings".
 */
export const DEFAULT_MAX_CHANGE_CM_PER_MINUTE = 5

/**
 * The bounds of a station's alarm settings as plain values: the API schema (alarm-api.ts) is built
 * from them and the admin form checks them before sending, without TypeBox in the browser.
 */
export const STATION_SETTING_LIMITS = {
  /** A stage value (BĐ1–BĐ3), in cm above the datum: within the range a reading may have. */
  levelCm: { min: -1000, max: 5000 },
  hysteresisCm: { min: 0, max: 500 },
  holdMinutes: { min: 0, max: 1440 },
  /** Strictly above `min`: a zero limit would raise a rapid-rise alarm on any rise at all. */
  riseCmPerHour: { min: 0, max: 10_000, exclusiveMin: true },
  riseWindowMinutes: { min: 1, max: 1440 },
  silentAfterIntervals: { min: 1, max: 1000, integer: true },
  lowBatteryPct: { min: 0, max: 100 },
  /** Strictly above `min`: at zero every reading that moved at all would be suspect. The pack's schema allows the same. */
  maxChangeCmPerMinute: { min: 0, max: 1000, exclusiveMin: true },
} as const satisfies Record<string, { min: number; max: number; exclusiveMin?: boolean; integer?: boolean }>

export type StationSettingLimit = (typeof STATION_SETTING_LIMITS)[keyof typeof STATION_SETTING_LIMITS]

/** Whether `value` is allowed by `limit`. */
export function withinLimit(value: number, limit: { min: number; max: number; exclusiveMin?: boolean; integer?: boolean }): boolean {
  if (!Number.isFinite(value) || value > limit.max) return false
  if (limit.exclusiveMin ? value <= limit.min : value < limit.min) return false
  return !limit.integer || Number.isInteger(value)
}

/** The three stage values must rise, BĐ1 < BĐ2 < BĐ3: a higher alarm level is a higher water level. */
export const levelsRise = (levels: { bd1: number; bd2: number; bd3: number }): boolean => levels.bd1 < levels.bd2 && levels.bd2 < levels.bd3
