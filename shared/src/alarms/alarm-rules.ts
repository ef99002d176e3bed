import { Permission } from '../auth/permissions.ts'
import { DEFAULT_MAX_CHANGE_CM_PER_MINUTE } from './station-settings-rules.ts'

/** What an alarm is about (docs/alarms.md). */
export const AlarmType = {
  /** The water level stands at BĐ1, BĐ2 or BĐ3 (`level` 1–3). */
  floodLevel: 'flood_level',
  /** The water level rises faster than the station's cm-per-hour limit. */
  rapidRise: 'rapid_rise',
  /** No reading for `silentAfterIntervals` × the station's expected interval. */
  stationSilent: 'station_silent',
  /** The sensor's battery is below the station's limit. */
  lowBattery: 'low_battery',
  /**
   * The station keeps sending readings the water cannot make — three glitches (suspect readings the
   * next one did not confirm) within an hour: a sensor for a technician to look at. See `judgeReading`
   * (plausibility.ts) and SUSPECT_RUN (server alarm-conditions.ts).
   */
  sensorSuspect: 'sensor_suspect',
  cameraOffline: 'camera_offline',
  cameraDegraded: 'camera_degraded',
  cameraTampered: 'camera_tampered',
} as const
export type AlarmType = (typeof AlarmType)[keyof typeof AlarmType]
export const ALARM_TYPES: readonly AlarmType[] = Object.values(AlarmType)

export const AlarmState = { active: 'active', acknowledged: 'acknowledged', cleared: 'cleared' } as const
export type AlarmState = (typeof AlarmState)[keyof typeof AlarmState]
export const ALARM_STATES: readonly AlarmState[] = Object.values(AlarmState)

/** What happened to an alarm, in its history. */
export const ALARM_TRANSITIONS = ['raised', 'escalated', 'deescalated', 'acknowledged', 'reactivated', 'cleared'] as const
export type AlarmTransitionKind = (typeof ALARM_TRANSITIONS)[number]

/**
 * Who may see each alarm type. Flood alarms are the public's too; a station's or camera's health is for
 * logged-in staff.
 */
export const ALARM_PERMISSION: Readonly<Record<AlarmType, Permission>> = {
  flood_level: Permission.floodRead,
  rapid_rise: Permission.floodRead,
  station_silent: Permission.healthRead,
  low_battery: Permission.healthRead,
  sensor_suspect: Permission.healthRead,
  camera_offline: Permission.cameraRead,
  camera_degraded: Permission.cameraRead,
  camera_tampered: Permission.cameraRead,
}

/**
 * How urgent an alarm is, for ordering (higher first): BĐ3 above everything, a rapid rise between
 * BĐ1 and BĐ2 (it warns of what comes next), device health below flood levels — a station whose
 * readings cannot be trusted below a silent one or a camera offline, above a low battery.
 */
export function alarmSeverity(type: AlarmType, level: number | null): number {
  switch (type) {
    case 'flood_level':
      return 10 * (level ?? 1) + 10
    case 'rapid_rise':
      return 25
    case 'station_silent':
      return 15
    case 'camera_offline':
    case 'camera_tampered':
      return 12
    case 'sensor_suspect':
      return 10
    case 'low_battery':
      return 6
    case 'camera_degraded':
      return 5
  }
}

/** A station's alarm settings: the pack's levels, then these, each editable by admins. */
export interface StationAlarmSettings {
  levels: { bd1: number; bd2: number; bd3: number }
  /** A level is left only once the water is this far below its threshold … */
  hysteresisCm: number
  /** … for this long (in reading time): a level hovering at a threshold does not flap. */
  holdMinutes: number
  /** A rise faster than this over `riseWindowMinutes` raises a rapid-rise alarm. */
  riseCmPerHour: number
  riseWindowMinutes: number
  /** Silent after this many expected intervals without a reading (the interval is the pack's). */
  silentAfterIntervals: number
  /** Below this battery percentage, a low-battery alarm. */
  lowBatteryPct: number
  /**
   * The most the water can change in a minute (cm, either way), counted over at least one expected
   * interval: a reading further than that from the last one taken is suspect until the next confirms it.
   */
  maxChangeCmPerMinute: number
}

/**
 * Defaults for whatever a station does not set: sensible for a river gauge reporting every minute.
 * `maxChangeCmPerMinute` is the city pack's default; a pack may set its own per station.
 */
export const DEFAULT_ALARM_SETTINGS: Omit<StationAlarmSettings, 'levels'> = {
  hysteresisCm: 10,
  holdMinutes: 15,
  riseCmPerHour: 30,
  riseWindowMinutes: 60,
  silentAfterIntervals: 5,
  lowBatteryPct: 20,
  maxChangeCmPerMinute: DEFAULT_MAX_CHANGE_CM_PER_MINUTE,
}
