import { LOCALE, type Lang } from './translate.ts'

/** The city pack's zone; used until the city definition says otherwise. */
export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh'

const cmFormats = new Map<Lang, Intl.NumberFormat>()

/**
 * A water level as people read it: "235 cm", "12,5 cm" in Vietnamese. No digit grouping, so a stage of
 * 1 234 cm never reads like "1.234" (one point two) to a Vietnamese reader.
 */
export function formatCm(valueCm: number, lang: Lang): string {
  let format = cmFormats.get(lang)
  if (!format) {
    format = new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: 1, useGrouping: false })
    cmFormats.set(lang, format)
  }
  return `${format.format(valueCm)} cm`
}

/** A number with a unit, at most one decimal: "12,5 fps", "2048 kbps". */
export function formatQuantity(value: number, unit: string, lang: Lang): string {
  const text = new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: 1, useGrouping: false }).format(value)
  return unit === '%' ? `${text}%` : `${text} ${unit}`
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>()

function dateTimeFormat(lang: Lang, timeZone: string): Intl.DateTimeFormat {
  const key = `${lang}|${timeZone}`
  let format = dateTimeFormats.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALE[lang], {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      timeZoneName: 'short',
      hourCycle: 'h23',
    })
    dateTimeFormats.set(key, format)
  }
  return format
}

/**
 * An instant as wall-clock time in the city's zone, the zone named so an operator working from
 * elsewhere still reads the city's time: "14:05:09 30/10/2025 (GMT+7)" / "30/10/2025, 14:05:09 (GMT+7)".
 */
export function formatDateTime(iso: string, lang: Lang, timeZone: string = DEFAULT_TIME_ZONE): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  const parts = dateTimeFormat(lang, timeZone).formatToParts(date)
  const zone = parts.find((p) => p.type === 'timeZoneName')?.value
  const rest = parts
    .filter((p) => p.type !== 'timeZoneName')
    .map((p) => p.value)
    .join('')
    .replace(/\s+/g, ' ')
    .trim()
  return zone ? `${rest} (${zone})` : rest
}
