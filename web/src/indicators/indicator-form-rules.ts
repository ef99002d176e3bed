import { checkIndicatorValue, VALUE_REFUSALS, type IndicatorDef, type IndicatorValue, type ValueRefusal } from '@ioc/shared'
import type { ApiFailure } from '../api.ts'
import { translate, type Lang } from '../i18n/translate.ts'
import { formatIndicatorValue, formatPeriod, parseIndicatorInput } from './indicator-format.ts'

export type InputRefusal = ValueRefusal | 'required'

/**
 * What the typed text says for an indicator and period: the number to send, or why it would be
 * refused — by the very rules the server applies (`checkIndicatorValue`).
 */
export function checkInput(def: IndicatorDef, period: string, text: string, currentPeriod: string): { value: number } | { refusal: InputRefusal } {
  if (text.trim() === '') return { refusal: 'required' }
  const value = parseIndicatorInput(text, def.integer)
  const refusal = checkIndicatorValue(def, period, value, currentPeriod)
  return refusal ? { refusal } : { value }
}

/** A refusal in the user's language, with the allowed range in the indicator's unit ("từ 0% đến 100%"). */
export function refusalText(refusal: InputRefusal, def: Pick<IndicatorDef, 'unit' | 'min' | 'max'>, period: string, lang: Lang): string {
  return translate(lang, `indicators.refusal.${refusal}`, {
    min: formatIndicatorValue(def.min, def.unit, lang),
    max: formatIndicatorValue(def.max, def.unit, lang),
    period: formatPeriod(period, lang),
  })
}

const bodyOf = (failure: ApiFailure, status: number): Record<string, unknown> | null =>
  failure.kind === 'http' && failure.status === status && failure.body && typeof failure.body === 'object' ? (failure.body as Record<string, unknown>) : null

/** The server's refusal of a value (400 with a `reason`), or null when the failure is something else. */
export function serverRefusal(failure: ApiFailure): ValueRefusal | null {
  const reason = bodyOf(failure, 400)?.['reason']
  return typeof reason === 'string' && (VALUE_REFUSALS as readonly string[]).includes(reason) ? (reason as ValueRefusal) : null
}

/** The value someone else saved meanwhile (409 `IndicatorConflict.current`), or null. */
export function conflictValue(failure: ApiFailure): IndicatorValue | null {
  const current = bodyOf(failure, 409)?.['current']
  return current && typeof current === 'object' && 'version' in current ? (current as IndicatorValue) : null
}
