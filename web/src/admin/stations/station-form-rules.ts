import { STATION_SETTING_LIMITS, withinLimit, type StationAlarmSettings, type StationSettingLimit, type UpdateStationBody } from '@ioc/shared'
import type { MessageKey } from '../../i18n/messages.ts'
import type { MessageParams } from '../../i18n/translate.ts'

/** The form's fields, in the order they are shown. */
export const STATION_FIELDS = ['bd1', 'bd2', 'bd3', 'hysteresisCm', 'holdMinutes', 'riseCmPerHour', 'riseWindowMinutes', 'silentAfterIntervals', 'lowBatteryPct', 'maxChangeCmPerMinute'] as const
export type StationField = (typeof STATION_FIELDS)[number]
const LEVELS = ['bd1', 'bd2', 'bd3'] as const
type LevelField = (typeof LEVELS)[number]
type OtherField = Exclude<StationField, LevelField>

/** What the admin typed, field by field: text, so "12,5" and a half-typed value can be judged. */
export type StationFormValues = Record<StationField, string>

export interface FieldError {
  key: MessageKey
  params?: MessageParams
}
export type StationFormErrors = Partial<Record<StationField, FieldError>>

const isLevel = (field: StationField): field is LevelField => (LEVELS as readonly string[]).includes(field)
const limitOf = (field: StationField): StationSettingLimit => (isLevel(field) ? STATION_SETTING_LIMITS.levelCm : STATION_SETTING_LIMITS[field])

export function stationFormOf(settings: StationAlarmSettings): StationFormValues {
  const { levels, ...rest } = settings
  return Object.fromEntries(STATION_FIELDS.map((field) => [field, String(isLevel(field) ? levels[field] : rest[field])])) as StationFormValues
}

/** A number as people type it: a decimal comma (Vietnamese) or point, spaces ignored; NaN otherwise. */
export function parseNumber(text: string): number {
  const cleaned = text.trim().replace(/\s+/g, '').replace(',', '.')
  return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(cleaned) ? Number(cleaned) : Number.NaN
}

function fieldError(field: StationField, text: string): FieldError | null {
  const value = parseNumber(text)
  const limit = limitOf(field)
  if (text.trim() === '') return { key: 'stationForm.error.required' }
  if (Number.isNaN(value)) return { key: 'stationForm.error.number' }
  if (withinLimit(value, limit)) return null
  if ('integer' in limit && !Number.isInteger(value)) return { key: 'stationForm.error.integer', params: { min: limit.min, max: limit.max } }
  if ('exclusiveMin' in limit) return { key: 'stationForm.error.aboveRange', params: { min: limit.min, max: limit.max } }
  return { key: 'stationForm.error.range', params: { min: limit.min, max: limit.max } }
}

/**
 * The server's rules, checked before sending so the form can say what to fix field by field: every
 * value a number within its bounds, and the levels rising BĐ1 < BĐ2 < BĐ3 (marked on the higher one).
 */
export function stationFormErrors(values: StationFormValues): StationFormErrors {
  const errors: StationFormErrors = {}
  for (const field of STATION_FIELDS) {
    const error = fieldError(field, values[field])
    if (error) errors[field] = error
  }
  const [bd1, bd2, bd3] = LEVELS.map((field) => parseNumber(values[field]))
  if (!errors.bd1 && !errors.bd2 && !(bd1! < bd2!)) errors.bd2 = { key: 'stationForm.error.bd2AboveBd1' }
  if (!errors.bd2 && !errors.bd3 && !(bd2! < bd3!)) errors.bd3 = { key: 'stationForm.error.bd3AboveBd2' }
  return errors
}

/** The settings that changed (the levels whole, when any of them did), or null when nothing did. Call on valid values only. */
export function updateBody(settings: StationAlarmSettings, values: StationFormValues): UpdateStationBody | null {
  const body: UpdateStationBody = {}
  const levels = { bd1: parseNumber(values.bd1), bd2: parseNumber(values.bd2), bd3: parseNumber(values.bd3) }
  if (LEVELS.some((field) => levels[field] !== settings.levels[field])) body.levels = levels
  for (const field of STATION_FIELDS) {
    if (isLevel(field)) continue
    const value = parseNumber(values[field])
    if (value !== settings[field]) body[field as OtherField] = value
  }
  return Object.keys(body).length > 0 ? body : null
}
