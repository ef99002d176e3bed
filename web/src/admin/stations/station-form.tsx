import type { StationView } from '@ioc/shared'
import { useRef, useState } from 'preact/hooks'
import { ApiRequestError } from '../../api.ts'
import { formatCm, formatQuantity } from '../../i18n/format.ts'
import { lang, t } from '../../i18n/lang.ts'
import type { MessageKey } from '../../i18n/messages.ts'
import { Field, useFocusFirstError } from '../../ui/field.tsx'
import { adminFailureText } from '../admin-errors.ts'
import { stationsApi } from './stations-api.ts'
import { parseNumber, stationFormErrors, stationFormOf, updateBody, type StationField, type StationFormErrors, type StationFormValues } from './station-form-rules.ts'

const LABEL: Record<StationField, MessageKey> = {
  bd1: 'stationForm.bd1',
  bd2: 'stationForm.bd2',
  bd3: 'stationForm.bd3',
  hysteresisCm: 'stationForm.hysteresisCm',
  holdMinutes: 'stationForm.holdMinutes',
  riseCmPerHour: 'stationForm.riseCmPerHour',
  riseWindowMinutes: 'stationForm.riseWindowMinutes',
  silentAfterIntervals: 'stationForm.silentAfterIntervals',
  lowBatteryPct: 'stationForm.lowBatteryPct',
  maxChangeCmPerMinute: 'stationForm.maxChangeCmPerMinute',
}
const HINT: Partial<Record<StationField, MessageKey>> = {
  hysteresisCm: 'stationForm.hysteresisHint',
  holdMinutes: 'stationForm.holdHint',
  riseWindowMinutes: 'stationForm.riseWindowHint',
}

interface StationFormProps {
  station: StationView
  onSaved: (station: StationView) => void
  onCancel: () => void
}

/** A station's alarm settings: the three stage values, then what keeps alarms from flapping, then the device limits. */
export function StationForm({ station, onSaved, onCancel }: StationFormProps) {
  const form = useRef<HTMLFormElement>(null)
  const [values, setValues] = useState<StationFormValues>(() => stationFormOf(station.alarmSettings))
  const [errors, setErrors] = useState<StationFormErrors>({})
  const [refusal, setRefusal] = useState<string | null>(null)
  const [pending, setPending] = useState(false)
  const [attempt, setAttempt] = useState(0)
  useFocusFirstError(form, attempt)

  const set = (field: StationField, text: string) => {
    const next = { ...values, [field]: text }
    setValues(next)
    // Once a submit was refused, the fields are judged again as they are typed.
    if (attempt > 0) setErrors(stationFormErrors(next))
  }

  const submit = async (event: Event) => {
    event.preventDefault()
    if (pending) return
    const found = stationFormErrors(values)
    setErrors(found)
    setRefusal(null)
    if (Object.keys(found).length > 0) return setAttempt((n) => n + 1)
    const body = updateBody(station.alarmSettings, values)
    if (!body) {
      setRefusal(t('stationForm.error.unchanged'))
      return setAttempt((n) => n + 1)
    }
    setPending(true)
    try {
      onSaved(await stationsApi.update(station.id, body))
    } catch (error) {
      if (!(error instanceof ApiRequestError)) throw error
      setRefusal(adminFailureText(error.failure))
      setAttempt((n) => n + 1)
    } finally {
      setPending(false)
    }
  }

  const silentHint = () => {
    const intervals = parseNumber(values.silentAfterIntervals)
    const minutes = Number.isFinite(intervals) ? (intervals * station.expectedIntervalS) / 60 : null
    return t('stationForm.silentHint', {
      interval: formatQuantity(station.expectedIntervalS / 60, t('unit.minutes'), lang.value),
      after: minutes === null ? '–' : formatQuantity(minutes, t('unit.minutes'), lang.value),
    })
  }

  /** What the limit allows between two readings on time: the engine counts at least one interval. */
  const maxChangeHint = () => {
    const perMinute = parseNumber(values.maxChangeCmPerMinute)
    return t('stationForm.maxChangeHint', {
      interval: formatQuantity(station.expectedIntervalS / 60, t('unit.minutes'), lang.value),
      perReading: Number.isFinite(perMinute) ? formatCm((perMinute * station.expectedIntervalS) / 60, lang.value) : '–',
    })
  }

  const hintOf = (name: StationField) => (name === 'silentAfterIntervals' ? silentHint() : name === 'maxChangeCmPerMinute' ? maxChangeHint() : HINT[name] && t(HINT[name]))

  const field = (name: StationField) => {
    const error = errors[name]
    return (
      <Field
        key={name}
        id={`station-${name}`}
        label={t(LABEL[name])}
        hint={hintOf(name)}
        error={error ? t(error.key, error.params) : null}
      >
        {(control) => (
          <input
            {...control}
            name={name}
            inputMode={name === 'silentAfterIntervals' ? 'numeric' : 'decimal'}
            autoComplete="off"
            value={values[name]}
            onInput={(e) => set(name, e.currentTarget.value)}
          />
        )}
      </Field>
    )
  }

  return (
    <form ref={form} class="form station-form" noValidate onSubmit={submit} aria-busy={pending} data-testid="station-form">
      {refusal && (
        <p class="form-error" role="alert" tabIndex={-1} data-testid="station-form-error">
          {refusal}
        </p>
      )}
      <fieldset>
        <legend>{t('stationForm.levels')}</legend>
        <p class={station.levelsSource === 'official' ? 'levels-source official' : 'levels-source demo'}>
          {t(station.levelsSource === 'official' ? 'stationForm.officialWarning' : 'stationForm.demoNote')}
        </p>
        <div class="station-form-grid">{(['bd1', 'bd2', 'bd3'] as const).map(field)}</div>
      </fieldset>
      <fieldset>
        <legend>{t('stationForm.stepDown')}</legend>
        <div class="station-form-grid">{(['hysteresisCm', 'holdMinutes'] as const).map(field)}</div>
      </fieldset>
      <fieldset>
        <legend>{t('stationForm.device')}</legend>
        <div class="station-form-grid">{(['riseCmPerHour', 'riseWindowMinutes', 'silentAfterIntervals', 'lowBatteryPct', 'maxChangeCmPerMinute'] as const).map(field)}</div>
      </fieldset>
      <div class="form-actions">
        <button type="submit" class="primary" disabled={pending}>
          {pending && <span class="spinner" aria-hidden="true" />}
          {pending ? t('stationForm.saving') : t('stationForm.save')}
        </button>
        <button type="button" class="secondary" disabled={pending} onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  )
}
