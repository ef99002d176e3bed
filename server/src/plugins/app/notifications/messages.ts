import type { AlarmType, AlarmView, Language, NotificationEvent } from '@ioc/shared'

/** What a message says about one alarm, besides the alarm itself. */
export interface AlarmContext {
  /** The station's or camera's name in the reader's language. */
  sourceName: string
  /** Where it is, in words a resident recognises. */
  place: string
  /** The water's least-squares trend over the last hour, cm/h; null when it says nothing (too few readings). */
  trendCmPerHour: number | null
  /** Opens the dashboard on this alarm's acknowledge dialog (after login). */
  url: string
}

export interface RenderedMessage {
  subject: string
  text: string
}

const TYPE_LABEL: Record<Language, Partial<Record<AlarmType, string>>> = {
  vi: {
    rapid_rise: 'Nước lên nhanh',
    station_silent: 'Trạm mất tín hiệu',
    low_battery: 'Pin yếu',
    camera_offline: 'Camera mất kết nối',
    camera_degraded: 'Camera chất lượng kém',
    camera_tampered: 'Camera bị che/xoay',
    sensor_suspect: 'Cảm biến gửi số đo bất thường',
  },
  en: {
    rapid_rise: 'Rapid rise',
    station_silent: 'Station silent',
    low_battery: 'Low battery',
    camera_offline: 'Camera offline',
    camera_degraded: 'Camera degraded',
    camera_tampered: 'Camera tampered',
    sensor_suspect: 'Sensor sending suspect readings',
  },
}
const LEVEL_LABEL: Record<Language, readonly string[]> = {
  vi: ['', 'Báo động I (BĐ1)', 'Báo động II (BĐ2)', 'Báo động III (BĐ3)'],
  en: ['', 'Alarm level I (BĐ1)', 'Alarm level II (BĐ2)', 'Alarm level III (BĐ3)'],
}
const EVENT_PREFIX: Record<Language, Record<Exclude<NotificationEvent, 'digest'>, string>> = {
  vi: {
    'alarm.raised': 'Cảnh báo',
    'alarm.escalated': 'Cảnh báo tăng mức',
    'alarm.updated': 'Cập nhật cảnh báo',
    'alarm.acknowledged': 'Đã xác nhận',
    'alarm.cleared': 'Hết cảnh báo',
  },
  en: {
    'alarm.raised': 'Alarm',
    'alarm.escalated': 'Alarm level up',
    'alarm.updated': 'Alarm updated',
    'alarm.acknowledged': 'Acknowledged',
    'alarm.cleared': 'Alarm cleared',
  },
}

/** An escalation step: nobody acknowledged the alarm in time, so the next people are told. */
const UNACKNOWLEDGED: Record<Language, string> = { vi: 'Chưa ai xác nhận', en: 'Not yet acknowledged' }

/** "Báo động II (BĐ2)", "Nước lên nhanh": what the alarm is, in the reader's language. */
export function alarmLabel(alarm: Pick<AlarmView, 'type' | 'level'>, language: Language): string {
  if (alarm.type === 'flood_level') return LEVEL_LABEL[language][alarm.level ?? 1] ?? alarm.type
  return TYPE_LABEL[language][alarm.type] ?? alarm.type
}

function valueText(alarm: AlarmView, language: Language): string | null {
  if (alarm.value === null) return null
  const n = Math.round(alarm.value * 10) / 10
  switch (alarm.type) {
    case 'flood_level':
      return language === 'vi' ? `Mực nước: ${n} cm` : `Water level: ${n} cm`
    case 'rapid_rise':
      return language === 'vi' ? `Tốc độ lên: ${n} cm/giờ` : `Rising at ${n} cm/h`
    case 'low_battery':
      return language === 'vi' ? `Pin: ${n}%` : `Battery: ${n}%`
    case 'station_silent':
      return language === 'vi' ? `Không có số liệu ${Math.round(n)} phút` : `No reading for ${Math.round(n)} min`
    default:
      return null
  }
}

function trendText(cmPerHour: number | null, language: Language): string | null {
  if (cmPerHour === null) return null
  const rate = Math.abs(Math.round(cmPerHour))
  if (rate < 2) return language === 'vi' ? 'Xu hướng: đứng' : 'Trend: steady'
  if (cmPerHour > 0) return language === 'vi' ? `Xu hướng: đang lên ${rate} cm/giờ` : `Trend: rising ${rate} cm/h`
  return language === 'vi' ? `Xu hướng: đang xuống ${rate} cm/giờ` : `Trend: falling ${rate} cm/h`
}

/** "14:05 06/12/2026" in the city's time zone. */
export function localTime(iso: string, timeZone: string, language: Language): string {
  return new Intl.DateTimeFormat(language === 'vi' ? 'vi-VN' : 'en-GB', { timeZone, hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date(iso))
}

/**
 * One alarm's message: the subject says what and where (a phone's lock screen shows little more), the
 * body the value, the trend, when, and the link that opens the acknowledge dialog.
 */
export function renderAlarmMessage(event: Exclude<NotificationEvent, 'digest'>, alarm: AlarmView, context: AlarmContext, language: Language, timeZone: string, step = 0): RenderedMessage {
  const vi = language === 'vi'
  const what = alarmLabel(alarm, language)
  const prefix = step > 0 ? UNACKNOWLEDGED[language] : EVENT_PREFIX[language][event]
  const subject = `[IOC] ${prefix}: ${what} — ${context.sourceName}`
  const lines = [
    `${prefix}: ${what}`,
    `${vi ? 'Tại' : 'At'}: ${context.sourceName} (${context.place})`,
    valueText(alarm, language),
    alarm.type === 'flood_level' || alarm.type === 'rapid_rise' ? trendText(context.trendCmPerHour, language) : null,
    `${vi ? 'Bắt đầu' : 'Raised'}: ${localTime(alarm.raisedAt, timeZone, language)}`,
    alarm.acknowledged ? `${vi ? 'Đã xác nhận bởi' : 'Acknowledged by'} ${alarm.acknowledged.by}` : null,
    alarm.clearedAt ? `${vi ? 'Kết thúc' : 'Cleared'}: ${localTime(alarm.clearedAt, timeZone, language)}` : null,
    '',
    alarm.state === 'active'
      ? `${vi ? 'Mở và xác nhận cảnh báo' : 'Open and acknowledge the alarm'}: ${context.url}`
      : `${vi ? 'Xem cảnh báo' : 'View the alarm'}: ${context.url}`,
    '',
    vi ? 'Trung tâm Giám sát, điều hành đô thị thông minh (IOC)' : 'Intelligent Operations Centre (IOC)',
  ]
  return { subject, text: lines.filter((line) => line !== null).join('\n') }
}

/** Several alarms opened within a minute, to one recipient: one message listing them. */
export function renderDigest(items: readonly { alarm: AlarmView; context: AlarmContext }[], language: Language, timeZone: string): RenderedMessage {
  const vi = language === 'vi'
  const floods = items.filter((i) => i.alarm.type === 'flood_level')
  const top = Math.max(0, ...floods.map((i) => i.alarm.level ?? 0))
  // A station may be in the digest twice (its level and its rise): named once.
  const names = [...new Set(items.map((i) => i.context.sourceName))]
  const lowest = Math.min(...floods.map((i) => i.alarm.level ?? 1))
  const headline =
    top > 0 && floods.length === items.length
      ? vi
        ? `${names.length} điểm vượt BĐ${lowest}`
        : `${names.length} points above BĐ${lowest}`
      : top > 0
        ? vi
          ? `${items.length} cảnh báo, cao nhất BĐ${top}`
          : `${items.length} alarms, up to BĐ${top}`
        : vi
          ? `${items.length} cảnh báo`
          : `${items.length} alarms`
  const subject = `[IOC] ${headline}: ${names.join(', ')}`
  const lines = [
    headline,
    '',
    ...items.map(({ alarm, context }) => {
      const value = valueText(alarm, language)
      return `• ${alarmLabel(alarm, language)} — ${context.sourceName}${value ? ` — ${value}` : ''} (${localTime(alarm.raisedAt, timeZone, language)})\n  ${context.url}`
    }),
    '',
    vi ? 'Trung tâm Giám sát, điều hành đô thị thông minh (IOC)' : 'Intelligent Operations Centre (IOC)',
  ]
  return { subject, text: lines.join('\n') }
}

/**
 * What a citizen's phone shows for the flood point they follow: where the water stands now, in plain
 * words — the level's name spelled out, not only "BĐ2".
 */
export function citizenPushText(alarm: AlarmView, pointName: string, language: Language): { title: string; body: string } {
  const vi = language === 'vi'
  const cm = alarm.value === null ? '' : ` (${Math.round(alarm.value)} cm)`
  if (alarm.state === 'cleared') {
    return {
      title: pointName,
      body: vi ? `Nước đã rút xuống dưới mức báo động I${cm}.` : `The water is back below alarm level I${cm}.`,
    }
  }
  const level = alarmLabel(alarm, language)
  return {
    title: `${pointName}: ${level}`,
    body: vi ? `Mực nước đang ở ${level}${cm}. Mở để xem chi tiết và hướng dẫn.` : `The water stands at ${level}${cm}. Open for details and advice.`,
  }
}
