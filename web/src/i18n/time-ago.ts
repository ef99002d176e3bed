import { zoneOffsetMs } from '@ioc/shared'
import { LOCALE, type Lang } from './locale.ts'

/** Below this age a reading is "vừa xong": "12 giây trước" would only flicker on a live page. */
export const JUST_NOW_MS = 45_000
const MINUTE = 60_000
const HOUR = 3_600_000
const DAY = 86_400_000

/** The words of a time ago, kept with it so a page can say them without a message catalogue. */
const WORDS: Record<Lang, { justNow: string; minutes: string; hours: string; yesterday: string; days: string }> = {
  vi: { justNow: 'vừa xong', minutes: '{n} phút trước', hours: '{n} giờ trước', yesterday: 'hôm qua', days: '{n} ngày trước' },
  en: { justNow: 'just now', minutes: '{n} min ago', hours: '{n} h ago', yesterday: 'yesterday', days: '{n} days ago' },
}

const counted = (template: string, n: number) => template.replace('{n}', String(n))

/**
 * How long ago `thenMs` was, seen at `nowMs`, in plain words: "vừa xong", "3 phút trước", "2 giờ trước",
 * then by the city's calendar "hôm qua", "3 ngày trước". A time ahead of now (a device clock running
 * fast) reads "vừa xong" rather than "in 5 minutes". Worded here rather than with
 * Intl.RelativeTimeFormat so every phone says the same ("Hôm qua" capitalised, "Hôm kia"… vary by ICU).
 */
export function timeAgo(thenMs: number, nowMs: number, lang: Lang, timeZone: string): string {
  const words = WORDS[lang]
  const ageMs = nowMs - thenMs
  if (ageMs < JUST_NOW_MS) return words.justNow
  if (ageMs < HOUR) return counted(words.minutes, Math.max(1, Math.floor(ageMs / MINUTE)))
  if (ageMs < DAY) return counted(words.hours, Math.floor(ageMs / HOUR))
  const days = calendarDay(nowMs, timeZone) - calendarDay(thenMs, timeZone)
  return days <= 1 ? words.yesterday : counted(words.days, days)
}

/** Days since the epoch on the city's wall calendar. */
function calendarDay(ms: number, timeZone: string): number {
  return Math.floor((ms + zoneOffsetMs(ms, timeZone)) / DAY)
}

const clockFormats = new Map<string, Intl.DateTimeFormat>()

/** "14:05" on the city's clock, whatever the phone's own zone. */
export function clockTime(ms: number, lang: Lang, timeZone: string): string {
  const key = `${lang}|${timeZone}`
  let format = clockFormats.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALE[lang], { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    clockFormats.set(key, format)
  }
  return format.format(ms)
}
