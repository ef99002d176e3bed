import type { AlarmType, AlarmView, CameraView, StationView } from '@ioc/shared'
import { formatCm, formatQuantity } from '../i18n/format.ts'
import type { MessageKey } from '../i18n/messages.ts'
import { localized, translate, type Lang } from '../i18n/translate.ts'
import { levelSlug, stationLevel } from '../levels.ts'

const TYPE_TEXT: Readonly<Record<Exclude<AlarmType, 'flood_level'>, MessageKey>> = {
  rapid_rise: 'alarm.type.rapid_rise',
  station_silent: 'alarm.type.station_silent',
  low_battery: 'alarm.type.low_battery',
  sensor_suspect: 'alarm.type.sensor_suspect',
  camera_offline: 'alarm.type.camera_offline',
  camera_degraded: 'alarm.type.camera_degraded',
  camera_tampered: 'alarm.type.camera_tampered',
}

/** What the alarm is, in words: "Báo động II (BĐ2)", "Nước lên nhanh", "Camera mất kết nối". */
export function alarmTypeKey(alarm: Pick<AlarmView, 'type' | 'level'>): MessageKey {
  if (alarm.type !== 'flood_level') return TYPE_TEXT[alarm.type]
  const level = Math.min(3, Math.max(1, alarm.level ?? 1)) as 1 | 2 | 3
  return `alarm.type.flood_level.${level}`
}

/** The value behind the alarm with its unit ("280 cm", "45 cm/giờ", "12%", "9 phút", "3 số đo bất thường"); null when it has none. */
export function alarmValueText(alarm: Pick<AlarmView, 'type' | 'value'>, lang: Lang): string | null {
  const { value } = alarm
  if (value === null) return null
  switch (alarm.type) {
    case 'flood_level':
      return formatCm(value, lang)
    case 'rapid_rise':
      return formatQuantity(value, translate(lang, 'unit.cmPerHour'), lang)
    case 'low_battery':
      return formatQuantity(value, '%', lang)
    case 'station_silent':
      return formatQuantity(value, translate(lang, 'unit.minutes'), lang)
    case 'sensor_suspect':
      return formatQuantity(value, translate(lang, 'unit.suspectReadings'), lang)
    default:
      return null
  }
}

/** The station's or camera's name in the chosen language; its id while the lists are not loaded. */
export function alarmSourceName(
  alarm: Pick<AlarmView, 'source'>,
  stations: readonly StationView[],
  cameras: readonly CameraView[],
  lang: Lang,
): string {
  const list: ReadonlyArray<StationView | CameraView> = alarm.source.kind === 'station' ? stations : cameras
  const found = list.find((item) => item.id === alarm.source.id)
  return found ? localized(found.name, lang) : alarm.source.id
}

/**
 * The colour class of the alarm's mark, from the map's palette: a flood alarm its level's colour; a
 * rapid rise the level its station stands at; device faults the camera and no-data colours (a station
 * silent or with readings not to be trusted: no data to go by).
 */
export function alarmColourClass(alarm: Pick<AlarmView, 'type' | 'level' | 'source'>, stations: readonly StationView[]): string {
  switch (alarm.type) {
    case 'flood_level':
      return `level-${alarm.level ?? 1}`
    case 'rapid_rise': {
      const station = stations.find((s) => s.id === alarm.source.id)
      return `level-${station ? levelSlug(stationLevel(station)) : 'nodata'}`
    }
    case 'station_silent':
    case 'sensor_suspect':
      return 'level-nodata'
    case 'camera_offline':
      return 'camera-offline'
    default:
      return 'camera-degraded'
  }
}
