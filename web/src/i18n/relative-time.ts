import { JUST_NOW_MS } from './time-ago.ts'
import { LOCALE, translate, type Lang } from './translate.ts'

export { JUST_NOW_MS }

const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
]

/**
 * How long ago `thenMs` was, seen at `nowMs`: "3 phút trước" / "3 minutes ago". A time slightly in the
 * future (device clock ahead) also reads "just now" rather than "in 5 seconds".
 */
export function formatRelative(thenMs: number, nowMs: number, lang: Lang): string {
  const ageMs = nowMs - thenMs
  if (Math.abs(ageMs) < JUST_NOW_MS) return translate(lang, 'time.justNow')
  const format = new Intl.RelativeTimeFormat(LOCALE[lang], { numeric: 'auto' })
  for (const [unit, size] of UNITS) {
    if (Math.abs(ageMs) >= size) return format.format(-Math.trunc(ageMs / size), unit)
  }
  return format.format(0, 'second')
}
