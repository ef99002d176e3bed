import { zoneOffsetMs, type DutyShift } from '@ioc/shared'

/**
 * The roster's week, Monday to Sunday, in the city's zone (Asia/Ho_Chi_Minh for Tam Kỳ) whatever zone
 * the browser is in: days are calendar dates there, `YYYY-MM-DD`, and instants are epoch milliseconds.
 */

const DAY_MS = 86_400_000

export interface WallClock {
  year: number
  /** 1–12 */
  month: number
  day: number
  hour: number
  minute: number
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** The wall clock of `timeZone` at `ms`. */
export function wallClockOf(ms: number, timeZone: string): WallClock {
  const local = new Date(ms + zoneOffsetMs(ms, timeZone))
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate(), hour: local.getUTCHours(), minute: local.getUTCMinutes() }
}

/** The instant a wall clock of `timeZone` shows (a time skipped by a daylight-saving change: the one after). */
export function instantOf(clock: WallClock, timeZone: string): number {
  const asUtc = Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute)
  const first = asUtc - zoneOffsetMs(asUtc, timeZone)
  const second = asUtc - zoneOffsetMs(first, timeZone)
  return second
}

/** `YYYY-MM-DD` of a wall clock. */
export const dateOf = (clock: Pick<WallClock, 'year' | 'month' | 'day'>): string => `${pad(clock.year, 4)}-${pad(clock.month)}-${pad(clock.day)}`

function parseDate(date: string): { year: number; month: number; day: number } {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number]
  return { year, month, day }
}

/** The calendar date `days` after `date` (before, when negative). */
export function addDays(date: string, days: number): string {
  const { year, month, day } = parseDate(date)
  const moved = new Date(Date.UTC(year, month - 1, day) + days * DAY_MS)
  return dateOf({ year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() })
}

/** 0 for Monday … 6 for Sunday. */
export function weekdayOf(date: string): number {
  const { year, month, day } = parseDate(date)
  return (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7
}

/** The Monday of the week `ms` falls in, in `timeZone`. */
export function mondayOf(ms: number, timeZone: string): string {
  const today = dateOf(wallClockOf(ms, timeZone))
  return addDays(today, -weekdayOf(today))
}

export interface WeekDay {
  date: string
  /** 00:00 of the day in the zone … */
  startMs: number
  /** … and of the next one. */
  endMs: number
}

/** The seven days from `monday`, each from its midnight to the next, in `timeZone`. */
export function weekDays(monday: string, timeZone: string): WeekDay[] {
  return Array.from({ length: 7 }, (_, i) => {
    const date = addDays(monday, i)
    return { date, startMs: midnightOf(date, timeZone), endMs: midnightOf(addDays(date, 1), timeZone) }
  })
}

const midnightOf = (date: string, timeZone: string) => instantOf({ ...parseDate(date), hour: 0, minute: 0 }, timeZone)

/** `GET /api/roster?from&to` for the week of `monday`: Monday 00:00 to the next Monday 00:00. */
export function weekRange(monday: string, timeZone: string): { from: string; to: string } {
  return { from: new Date(midnightOf(monday, timeZone)).toISOString(), to: new Date(midnightOf(addDays(monday, 7), timeZone)).toISOString() }
}

export interface DayShift {
  shift: DutyShift
  /** The shift began on an earlier day (a night shift seen on its second day). */
  fromBefore: boolean
  /** The shift goes on past midnight. */
  untilAfter: boolean
}

/** The shifts that cover part of `day`, by start then by name; a shift over midnight shows on each day it covers. */
export function shiftsOfDay(shifts: readonly DutyShift[], day: WeekDay): DayShift[] {
  return shifts
    .map((shift) => ({ shift, start: Date.parse(shift.startsAt), end: Date.parse(shift.endsAt) }))
    .filter(({ start, end }) => start < day.endMs && end > day.startMs)
    .sort((a, b) => a.start - b.start || a.shift.fullName.localeCompare(b.shift.fullName) || a.shift.id - b.shift.id)
    .map(({ shift, start, end }) => ({ shift, fromBefore: start < day.startMs, untilAfter: end > day.endMs }))
}

/** "07:00" in `timeZone`. */
export function timeOfDay(ms: number, timeZone: string): string {
  const clock = wallClockOf(ms, timeZone)
  return `${pad(clock.hour)}:${pad(clock.minute)}`
}

/** A `datetime-local` input's value (`YYYY-MM-DDTHH:MM`) for `ms`, read as the wall clock of `timeZone`. */
export function localInputOf(ms: number, timeZone: string): string {
  return `${dateOf(wallClockOf(ms, timeZone))}T${timeOfDay(ms, timeZone)}`
}

/** A `datetime-local` value read as the wall clock of `timeZone` (not the browser's): its instant, or null. */
export function instantOfLocalInput(text: string, timeZone: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(text.trim())
  if (!match) return null
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number]
  if (month < 1 || month > 12 || hour > 23 || minute > 59) return null
  if (day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null
  return instantOf({ year, month, day, hour, minute }, timeZone)
}
