import { zoneOffsetMs } from '@ioc/shared'
import { message, PUBLIC_LOCALE, type PublicLang } from './messages.ts'

/** Below this age a reading is "vừa xong": "12 giây trước" would only flicker on a live page. */
export const JUST_NOW_MS = 45_000
const MINUTE = 60_000
const HOUR = 3_600_000
const DAY = 86_400_000

/**
 * How long ago `thenMs` was, seen at `nowMs`, in plain words: "vừa xong", "3 phút trước", "2 giờ trước",
 * then by the city's calendar "hôm qua", "3 ngày trước". A time ahead of now (a device clock running
 * fast) reads "vừa xong" rather than "in 5 minutes". Worded here rather than with
 * Intl.RelativeTimeFormat so every phone says the same ("Hôm qua" capitalised, "Hôm kia"… vary by ICU).
 */
export function timeAgo(thenMs: number, nowMs: number, lang: PublicLang, timeZone: string): string {
  const ageMs = nowMs - thenMs
  if (ageMs < JUST_NOW_MS) return message(lang, 'time.justNow')
  if (ageMs < HOUR) return message(lang, 'time.minutes', { n: Math.max(1, Math.floor(ageMs / MINUTE)) })
  if (ageMs < DAY) return message(lang, 'time.hours', { n: Math.floor(ageMs / HOUR) })
  const days = calendarDay(nowMs, timeZone) - calendarDay(thenMs, timeZone)
  return days <= 1 ? message(lang, 'time.yesterday') : message(lang, 'time.days', { n: days })
}

/** Days since the epoch on the city's wall calendar. */
function calendarDay(ms: number, timeZone: string): number {
  return Math.floor((ms + zoneOffsetMs(ms, timeZone)) / DAY)
}

const clockFormats = new Map<string, Intl.DateTimeFormat>()

/** "14:05" on the city's clock, whatever the phone's own zone. */
export function clockTime(ms: number, lang: PublicLang, timeZone: string): string {
  const key = `${lang}|${timeZone}`
  let format = clockFormats.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat(PUBLIC_LOCALE[lang], { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    clockFormats.set(key, format)
  }
  return format.format(ms)
}
