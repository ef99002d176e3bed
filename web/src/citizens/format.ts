import { PUBLIC_LOCALE, type PublicLang } from './messages.ts'

const formats = new Map<string, Intl.NumberFormat>()

function number(value: number, lang: PublicLang, digits: number): string {
  const key = `${lang}|${digits}`
  let format = formats.get(key)
  if (!format) {
    // No digit grouping: 1234 cm must not read "1.234" (one point two) to a Vietnamese reader.
    format = new Intl.NumberFormat(PUBLIC_LOCALE[lang], { maximumFractionDigits: digits, useGrouping: false })
    formats.set(key, format)
  }
  return format.format(value)
}

/** "182 cm", "12,5 cm" in Vietnamese. */
export function formatCm(valueCm: number, lang: PublicLang): string {
  return `${number(valueCm, lang, 1)} cm`
}

/** A rate without its sign (the words say up or down): "6", "2,5". */
export function formatRate(cmPerHour: number, lang: PublicLang): string {
  return number(Math.abs(cmPerHour), lang, Math.abs(cmPerHour) < 10 ? 1 : 0)
}
