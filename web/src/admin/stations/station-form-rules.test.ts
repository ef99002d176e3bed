import { describe, expect, it } from 'vitest'
import { DEFAULT_ALARM_SETTINGS, type StationAlarmSettings } from '@ioc/shared'
import { translate } from '../../i18n/translate.ts'
import { parseNumber, stationFormErrors, stationFormOf, updateBody, type StationFormValues } from './station-form-rules.ts'

const settings: StationAlarmSettings = { levels: { bd1: 170, bd2: 220, bd3: 270 }, ...DEFAULT_ALARM_SETTINGS }
const values = (over: Partial<StationFormValues> = {}): StationFormValues => ({ ...stationFormOf(settings), ...over })

describe('parseNumber', () => {
  it('reads a decimal comma or point, and nothing else', () => {
    expect(parseNumber('12,5')).toBe(12.5)
    expect(parseNumber(' 12.5 ')).toBe(12.5)
    expect(parseNumber('-20')).toBe(-20)
    for (const text of ['', 'abc', '12cm', '1,2,3', '1e3', '.']) expect(parseNumber(text)).toBeNaN()
  })
})

describe('stationFormErrors', () => {
  it("accepts a station's current settings", () => {
    expect(stationFormOf(settings)).toMatchObject({ bd1: '170', bd2: '220', bd3: '270', hysteresisCm: '10', silentAfterIntervals: '5' })
    expect(stationFormErrors(values())).toEqual({})
  })

  it('asks for a number in every field', () => {
    expect(stationFormErrors(values({ hysteresisCm: '' })).hysteresisCm?.key).toBe('stationForm.error.required')
    expect(stationFormErrors(values({ holdMinutes: 'mười lăm' })).holdMinutes?.key).toBe('stationForm.error.number')
  })

  it('wants the levels to rise, marking the higher level of a pair out of order', () => {
    expect(stationFormErrors(values({ bd2: '170' }))).toEqual({ bd2: { key: 'stationForm.error.bd2AboveBd1' } })
    expect(stationFormErrors(values({ bd3: '219,5' }))).toEqual({ bd3: { key: 'stationForm.error.bd3AboveBd2' } })
    expect(stationFormErrors(values({ bd1: '300' }))).toEqual({ bd2: { key: 'stationForm.error.bd2AboveBd1' } })
    expect(stationFormErrors(values({ bd1: '150', bd2: '200', bd3: '250' }))).toEqual({})
  })

  it('does not judge the order against a level that is not a number yet', () => {
    expect(stationFormErrors(values({ bd2: '' }))).toEqual({ bd2: { key: 'stationForm.error.required' } })
  })

  it('holds each value to the bounds the server takes, and says which', () => {
    expect(stationFormErrors(values({ hysteresisCm: '-1' })).hysteresisCm).toEqual({ key: 'stationForm.error.range', params: { min: 0, max: 500 } })
    expect(stationFormErrors(values({ holdMinutes: '1441' })).holdMinutes).toEqual({ key: 'stationForm.error.range', params: { min: 0, max: 1440 } })
    expect(stationFormErrors(values({ lowBatteryPct: '101' })).lowBatteryPct?.key).toBe('stationForm.error.range')
    expect(stationFormErrors(values({ riseCmPerHour: '0' })).riseCmPerHour?.key).toBe('stationForm.error.aboveRange')
    expect(stationFormErrors(values({ riseWindowMinutes: '0' })).riseWindowMinutes?.key).toBe('stationForm.error.range')
    expect(stationFormErrors(values({ silentAfterIntervals: '2,5' })).silentAfterIntervals?.key).toBe('stationForm.error.integer')
    expect(stationFormErrors(values({ maxChangeCmPerMinute: '0' })).maxChangeCmPerMinute).toEqual({ key: 'stationForm.error.aboveRange', params: { min: 0, max: 1000 } })
    expect(stationFormErrors(values({ maxChangeCmPerMinute: '2,5' }))).toEqual({})
    expect(stationFormErrors(values({ bd3: '5001' })).bd3?.key).toBe('stationForm.error.range')
    expect(stationFormErrors(values({ hysteresisCm: '0', holdMinutes: '0', lowBatteryPct: '100', riseCmPerHour: '0,5' }))).toEqual({})
  })

  it('words every error in both languages with its bounds filled in', () => {
    const error = stationFormErrors(values({ hysteresisCm: '600' })).hysteresisCm!
    expect(translate('vi', error.key, error.params)).toBe('Nhập số từ 0 đến 500.')
    expect(translate('en', error.key, error.params)).toBe('Enter a number from 0 to 500.')
  })
})

describe('updateBody', () => {
  it('is null when nothing changed, whatever the spelling', () => {
    expect(updateBody(settings, values())).toBeNull()
    expect(updateBody(settings, values({ hysteresisCm: '10,0', bd1: ' 170 ' }))).toBeNull()
  })

  it('sends only what changed, and the levels whole', () => {
    expect(updateBody(settings, values({ bd2: '225' }))).toEqual({ levels: { bd1: 170, bd2: 225, bd3: 270 } })
    expect(updateBody(settings, values({ hysteresisCm: '12,5', silentAfterIntervals: '3' }))).toEqual({ hysteresisCm: 12.5, silentAfterIntervals: 3 })
    expect(updateBody(settings, values({ maxChangeCmPerMinute: '8' }))).toEqual({ maxChangeCmPerMinute: 8 })
  })
})
