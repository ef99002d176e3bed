import { useEffect, useId, useRef, useState } from 'preact/hooks'
import type { IndicatorDef, IndicatorValue } from '@ioc/shared'
import { ApiRequestError, type ApiFailure } from '../api.ts'
import { formatDateTime } from '../i18n/format.ts'
import { lang, t } from '../i18n/lang.ts'
import { LOCALE, type Lang } from '../i18n/translate.ts'
import { Field } from '../ui/field.tsx'
import { indicatorApi } from './indicator-api.ts'
import { formatIndicatorValue, formatPeriod, unitText } from './indicator-format.ts'
import { checkInput, conflictValue, refusalText, serverRefusal, type InputRefusal } from './indicator-form-rules.ts'

/** A value as the input shows it: no grouping, the language's decimal sign ("72,5"). */
const inputText = (value: number | undefined, language: Lang): string =>
  value === undefined ? '' : new Intl.NumberFormat(LOCALE[language], { useGrouping: false, maximumFractionDigits: 6 }).format(value)

type Status = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved'; value: IndicatorValue } | { kind: 'failed'; message: string }

interface IndicatorFormProps {
  def: IndicatorDef
  areaId: string
  period: string
  /** The value as the store holds it now (live). */
  value: IndicatorValue | null
  currentPeriod: string
  timeZone: string
  /** A value the server answered with (saved, or someone else's in a conflict): into the store. */
  onValue: (value: IndicatorValue) => void
}

/**
 * Enters or corrects one area's value for one period. Checked as typed (after a first attempt) by
 * the server's own rules; sent with the version the form started from, so a change someone else made
 * meanwhile comes back as a conflict to settle — keep mine, or take theirs — never lost.
 */
export function IndicatorForm({ def, areaId, period, value, currentPeriod, timeZone, onValue }: IndicatorFormProps) {
  const id = useId()
  const input = useRef<HTMLInputElement>(null)
  const [text, setText] = useState(() => inputText(value?.value, lang.peek()))
  const [note, setNote] = useState('')
  /** The version this edit started from: 0 when the period had no value. */
  const [baseVersion, setBaseVersion] = useState(value?.version ?? 0)
  const [dirty, setDirty] = useState(false)
  const [attempted, setAttempted] = useState(false)
  const [refusal, setRefusal] = useState<InputRefusal | null>(null)
  const [conflict, setConflict] = useState<IndicatorValue | null>(null)
  const [status, setStatus] = useState<Status>({ kind: 'idle' })
  const current = lang.value

  // Someone else's change arriving live while nothing is typed here: show it and start from it.
  useEffect(() => {
    if (dirty || !value || value.version === baseVersion) return
    setText(inputText(value.value, lang.peek()))
    setBaseVersion(value.version)
  }, [value?.version])

  const judge = (next: string) => {
    const checked = checkInput(def, period, next, currentPeriod)
    return 'refusal' in checked ? checked.refusal : null
  }

  const failureText = (failure: ApiFailure): string => {
    if (failure.kind === 'network') return t('error.network')
    if (failure.kind === 'http' && failure.status === 403) return t('indicators.forbidden')
    if (failure.kind === 'http') return t('common.saveError', { status: failure.status, message: failure.message })
    return t('error.parse', { path: failure.path })
  }

  const save = async (expectedVersion: number) => {
    const checked = checkInput(def, period, text, currentPeriod)
    setAttempted(true)
    if ('refusal' in checked) {
      setRefusal(checked.refusal)
      input.current?.focus()
      return
    }
    setRefusal(null)
    setConflict(null)
    setStatus({ kind: 'saving' })
    try {
      const body = { value: checked.value, expectedVersion, ...(note.trim() ? { note: note.trim() } : {}) }
      const saved = await indicatorApi.put(areaId, def.key, period, body)
      onValue(saved)
      setBaseVersion(saved.version)
      setText(inputText(saved.value, lang.peek()))
      setNote('')
      setDirty(false)
      setStatus({ kind: 'saved', value: saved })
    } catch (error) {
      if (!(error instanceof ApiRequestError)) throw error
      const theirs = conflictValue(error.failure)
      const reason = serverRefusal(error.failure)
      if (theirs) {
        onValue(theirs)
        setConflict(theirs)
        setStatus({ kind: 'idle' })
      } else if (reason) {
        setRefusal(reason)
        setStatus({ kind: 'idle' })
        input.current?.focus()
      } else {
        setStatus({ kind: 'failed', message: failureText(error.failure) })
      }
    }
  }

  const keepMine = () => {
    if (!conflict) return
    setBaseVersion(conflict.version)
    void save(conflict.version)
  }
  const takeTheirs = () => {
    if (!conflict) return
    setText(inputText(conflict.value, lang.peek()))
    setBaseVersion(conflict.version)
    setDirty(false)
    setConflict(null)
    setStatus({ kind: 'idle' })
  }

  const saving = status.kind === 'saving'
  const error = refusal ? refusalText(refusal, def, period, current) : null
  const hint = t(def.integer ? 'indicators.form.hintInteger' : 'indicators.form.hint', {
    min: formatIndicatorValue(def.min, def.unit, current),
    max: formatIndicatorValue(def.max, def.unit, current),
  })
  const typed = checkInput(def, period, text, currentPeriod)

  return (
    <form
      class="form indicator-form"
      data-testid="indicator-form"
      data-state={saving ? 'saving' : conflict ? 'conflict' : status.kind}
      data-base-version={baseVersion}
      aria-busy={saving}
      aria-labelledby={`${id}-title`}
      noValidate
      onSubmit={(event) => {
        event.preventDefault()
        if (!saving) void save(baseVersion)
      }}
    >
      <h3 id={`${id}-title`}>{t('indicators.form.title', { period: formatPeriod(period, current) })}</h3>
      <Field id={`${id}-value`} label={t('indicators.form.value', { unit: unitText(def.unit, current) })} hint={hint} error={error}>
        {(control) => (
          <input
            {...control}
            ref={input}
            type="text"
            inputMode={def.integer ? 'numeric' : 'decimal'}
            autoComplete="off"
            value={text}
            disabled={saving}
            onInput={(event) => {
              const next = event.currentTarget.value
              setText(next)
              setDirty(true)
              if (status.kind === 'saved') setStatus({ kind: 'idle' })
              // Judged as typed only once a save was tried: no red text while someone is still typing the first time.
              if (attempted) setRefusal(judge(next))
            }}
          />
        )}
      </Field>
      <Field id={`${id}-note`} label={t('indicators.form.note')}>
        {(control) => (
          <input {...control} type="text" maxLength={500} value={note} disabled={saving} onInput={(event) => (setNote(event.currentTarget.value), setDirty(true))} />
        )}
      </Field>
      {conflict && (
        <div class="conflict" role="alert" data-testid="indicator-conflict" data-version={conflict.version}>
          <p>
            {t('indicators.conflict', {
              by: conflict.updatedBy,
              value: formatIndicatorValue(conflict.value, def.unit, current),
              time: formatDateTime(conflict.updatedAt, current, timeZone),
            })}
          </p>
          <div class="form-actions">
            <button type="button" class="primary" data-testid="conflict-keep-mine" onClick={keepMine}>
              {t('indicators.conflict.keepMine', { value: 'value' in typed ? formatIndicatorValue(typed.value, def.unit, current) : text })}
            </button>
            <button type="button" class="secondary" data-testid="conflict-take-theirs" onClick={takeTheirs}>
              {t('indicators.conflict.takeTheirs')}
            </button>
          </div>
        </div>
      )}
      {status.kind === 'failed' && (
        <p class="form-error" role="alert" tabIndex={-1}>
          {status.message}
        </p>
      )}
      <div class="form-actions">
        <button type="submit" class="primary" data-testid="indicator-save" disabled={saving || conflict !== null}>
          {saving && <span class="spinner" aria-hidden="true" />}
          {saving ? t('indicators.form.saving') : t('indicators.form.save')}
        </button>
        <p class="form-status" role="status">
          {status.kind === 'saved' ? t('indicators.form.saved', { value: formatIndicatorValue(status.value.value, def.unit, current) }) : ''}
        </p>
      </div>
    </form>
  )
}
