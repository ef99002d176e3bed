import { zoneOffsetMs } from '@ioc/shared'
import { LOCALE, type Lang } from '../../i18n/translate.ts'

const HOUR = 3_600_000
const DAY = 86_400_000

/** Tick spacings the time axis may use, finest first; each below a day divides a day evenly. */
const STEPS = [HOUR, 2 * HOUR, 3 * HOUR, 4 * HOUR, 6 * HOUR, 8 * HOUR, 12 * HOUR, DAY, 2 * DAY, 3 * DAY, 7 * DAY] as const


export interface CityTicks {
  /** Tick times (epoch ms), on round hours or midnights of the city's clock. */
  values: number[]
  stepMs: number
}

/**
 * Tick positions on the city's wall clock, whatever zone the browser is in: every 1–12 hours or every
 * 1, 2, 3 or 7 days, the finest spacing that gives at most `maxTicks` (7 days when none does). Chart.js would place them on the
 * browser's clock, which for an operator abroad puts "midnight" at 07:00 in Tam Kỳ.
 */
export function cityTicks(fromMs: number, toMs: number, timeZone: string, maxTicks: number): CityTicks {
  const span = Math.max(toMs - fromMs, 0)
  const stepMs: number = STEPS.find((step) => span / step <= maxTicks) ?? 7 * DAY
  const values: number[] = []
  // Work in "wall-clock ms" (the city's local time read as if it were UTC), where round hours and
  // midnights are multiples of the step; convert each back with the offset in force at that time.
  const offset = zoneOffsetMs(fromMs, timeZone)
  for (let wall = Math.ceil((fromMs + offset) / stepMs) * stepMs; ; wall += stepMs) {
    const ms = wall - zoneOffsetMs(wall - offset, timeZone)
    if (ms > toMs) break
    if (ms >= fromMs) values.push(ms)
  }
  return { values, stepMs }
}

const labelFormats = new Map<string, Intl.DateTimeFormat>()

function labelFormat(lang: Lang, timeZone: string, kind: 'date' | 'time'): Intl.DateTimeFormat {
  const key = `${lang}|${timeZone}|${kind}`
  let format = labelFormats.get(key)
  if (!format) {
    const fields: Intl.DateTimeFormatOptions =
      kind === 'date' ? { day: '2-digit', month: '2-digit' } : { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
    format = new Intl.DateTimeFormat(LOCALE[lang], { timeZone, ...fields })
    labelFormats.set(key, format)
  }
  return format
}

/**
 * A tick's label on the city's clock: the date ("30/10") at midnight and on day-spaced axes, the time
 * ("14:00") otherwise, so a 24-hour chart still shows where one day turns into the next.
 */
export function cityTickLabel(ms: number, stepMs: number, lang: Lang, timeZone: string): string {
  const midnight = (ms + zoneOffsetMs(ms, timeZone)) % DAY === 0
  if (stepMs < DAY && !midnight) return labelFormat(lang, timeZone, 'time').format(ms)
  // Day and month joined by hand: CLDR writes "30-10" in Vietnamese, where people (and the rest of
  // this dashboard, "30/10/2025") write "30/10".
  const parts = labelFormat(lang, timeZone, 'date').formatToParts(ms)
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? ''
  return `${part('day')}/${part('month')}`
}
