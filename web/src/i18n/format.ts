import { LOCALE, type Lang } from './locale.ts'

/** The city pack's zone; used until the city definition says otherwise. */
export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh'

const numberFormats = new Map<string, Intl.NumberFormat>()

/** No digit grouping: a stage of 1 234 cm must never read like "1.234" (one point two) to a Vietnamese reader. */
function plainNumber(value: number, lang: Lang, digits: number): string {
  const key = `${lang}|${digits}`
  let format = numberFormats.get(key)
  if (!format) {
    format = new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: digits, useGrouping: false })
    numberFormats.set(key, format)
  }
  return format.format(value)
}

/** A water level as people read it: "235 cm", "12,5 cm" in Vietnamese. */
export function formatCm(valueCm: number, lang: Lang): string {
  return `${plainNumber(valueCm, lang, 1)} cm`
}

/** A rate without its sign (the words say up or down): "6", "2,5"; a decimal only below 10. */
export function formatRate(cmPerHour: number, lang: Lang): string {
  return plainNumber(Math.abs(cmPerHour), lang, Math.abs(cmPerHour) < 10 ? 1 : 0)
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
