import { STORM_REPORT_MAX_DAYS, zoneOffsetMs } from '@ioc/shared'
import type { MessageKey } from '../i18n/messages.ts'

/** The window a storm report covers, [fromMs, toMs). */
export interface ReportWindow {
  fromMs: number
  toMs: number
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE

/** The windows one click picks, ending now: a night's storm, a few days' flood, a week, a month. */
export const PRESETS = [
  { hours: 24, label: 'report.preset.day' },
  { hours: 72, label: 'report.preset.threeDays' },
  { hours: 168, label: 'report.preset.week' },
  { hours: 720, label: 'report.preset.month' },
] as const satisfies ReadonlyArray<{ hours: number; label: MessageKey }>

/** The last `hours` up to the next whole minute: the same window for a minute, whoever asks. */
export function lastHours(hours: number, nowMs: number): ReportWindow {
  const toMs = Math.ceil(nowMs / MINUTE) * MINUTE
  return { fromMs: toMs - hours * HOUR, toMs }
}

/** `2024-10-30T14:05`: an instant as a `datetime-local` field shows it, on the city's clock. */
export function toLocalInput(ms: number, timeZone: string): string {
  return new Date(ms + zoneOffsetMs(ms, timeZone)).toISOString().slice(0, 16)
}

/**
 * A `datetime-local` value read on the city's clock, whatever the browser's own zone; null when it is
 * not one. The offset is looked up at the guessed instant and once more, so a value near a daylight
 * saving change (in a city that has one) lands on the right side of it.
 */
export function fromLocalInput(value: string, timeZone: string): number | null {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?$/.test(value)) return null
  const wall = Date.parse(`${value.length === 16 ? `${value}:00` : value}Z`)
  if (Number.isNaN(wall)) return null
  const guess = wall - zoneOffsetMs(wall, timeZone)
  return wall - zoneOffsetMs(guess, timeZone)
}

/** Why the server would refuse this window, said before asking it; null when it is fine. */
export function windowProblem(window: ReportWindow | null): MessageKey | null {
  if (!window) return 'report.error.invalid'
  if (window.fromMs >= window.toMs) return 'report.error.order'
  if (window.toMs - window.fromMs > STORM_REPORT_MAX_DAYS * 24 * HOUR) return 'report.error.tooLong'
  return null
}

/** `/api/reports/storm.csv?from=…&to=…`: the CSV of the window, downloaded by the browser itself. */
export function reportQuery(window: ReportWindow): string {
  return `from=${new Date(window.fromMs).toISOString()}&to=${new Date(window.toMs).toISOString()}`
}

/** A duration as a report reads it: `3 giờ 05 phút` / `3 h 05 min`, minutes alone under an hour, seconds under a minute, none as `0`. */
export function formatDuration(seconds: number, lang: 'vi' | 'en'): string {
  if (seconds === 0) return '0'
  const words = lang === 'vi' ? { h: 'giờ', m: 'phút', s: 'giây' } : { h: 'h', m: 'min', s: 's' }
  if (seconds < 60) return `${Math.round(seconds)} ${words.s}`
  const minutes = Math.round(seconds / 60)
  if (minutes < 60) return `${minutes} ${words.m}`
  return `${Math.floor(minutes / 60)} ${words.h} ${String(minutes % 60).padStart(2, '0')} ${words.m}`
}
