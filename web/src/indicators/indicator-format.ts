import type { IndicatorDef } from '@ioc/shared'
import { LOCALE, translate, type Lang } from '../i18n/translate.ts'

type Unit = IndicatorDef['unit']

const formats = new Map<string, Intl.NumberFormat>()

function numberFormat(lang: Lang, unit: Unit | 'delta'): Intl.NumberFormat {
  const id = `${lang}|${unit}`
  let format = formats.get(id)
  if (!format) {
    const options: Intl.NumberFormatOptions =
      unit === 'vnd' ? { style: 'currency', currency: 'VND', maximumFractionDigits: 0 } : unit === 'count' ? { maximumFractionDigits: 0 } : { maximumFractionDigits: 1 }
    format = new Intl.NumberFormat(LOCALE[lang], options)
    formats.set(id, format)
  }
  return format
}

/** A value as people read it in the language: "72,5%", "12.345", "1.500.000 ₫" (Vietnamese). */
export function formatIndicatorValue(value: number, unit: Unit, lang: Lang): string {
  const text = numberFormat(lang, unit).format(value)
  return unit === 'percent' ? `${text}%` : text
}

/**
 * A change between two periods, always signed: a rate changes by percentage points ("+2,5 điểm %"),
 * never by "2,5%", which would read as a relative change.
 */
export function formatIndicatorChange(delta: number, unit: Unit, lang: Lang): string {
  const sign = delta > 0 ? '+' : delta < 0 ? '−' : '±'
  const size = Math.abs(delta)
  if (unit === 'percent') return translate(lang, 'indicators.points', { value: `${sign}${numberFormat(lang, 'percent').format(size)}` })
  return `${sign}${numberFormat(lang, unit).format(size)}`
}

const MONTH = /^(\d{4})-(\d{2})$/
const QUARTER = /^(\d{4})-Q([1-4])$/

/** A period in words: "Tháng 3/2025", "Quý 1/2025" / "March 2025", "Q1 2025". */
export function formatPeriod(period: string, lang: Lang): string {
  const month = MONTH.exec(period)
  if (month) {
    // "Tháng 3" in Vietnamese, "March" in English.
    const name = lang === 'vi' ? Number(month[2]) : new Intl.DateTimeFormat(LOCALE[lang], { month: 'long', timeZone: 'UTC' }).format(Date.UTC(2000, Number(month[2]) - 1, 15))
    return translate(lang, 'indicators.month', { month: name, year: month[1]! })
  }
  const quarter = QUARTER.exec(period)
  if (quarter) return translate(lang, 'indicators.quarter', { quarter: quarter[2]!, year: quarter[1]! })
  return period
}

/** A period short enough for a chart axis: "3/2025", "Q1/2025" in both languages. */
export function formatPeriodShort(period: string): string {
  const month = MONTH.exec(period)
  if (month) return `${Number(month[2])}/${month[1]}`
  const quarter = QUARTER.exec(period)
  return quarter ? `Q${quarter[2]}/${quarter[1]}` : period
}

/** The unit in words for a form label or a table header: "%", "hộ/người", "đồng". */
export function unitText(unit: Unit, lang: Lang): string {
  return translate(lang, `indicators.unit.${unit}`)
}

/**
 * A number as people type it: a decimal comma or point; for whole numbers, dots or spaces grouping
 * thousands ("12.345" is twelve thousand in Vietnamese). NaN when it is not a number.
 */
export function parseIndicatorInput(text: string, integer: boolean): number {
  const compact = text.trim().replace(/\s+/g, '')
  if (integer && /^\d{1,3}([.,]\d{3})+$/.test(compact)) return Number(compact.replace(/[.,]/g, ''))
  const cleaned = compact.replace(',', '.')
  return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(cleaned) ? Number(cleaned) : Number.NaN
}
