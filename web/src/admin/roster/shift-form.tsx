import { useRef, useState } from 'preact/hooks'
import { ApiRequestError } from '../../api.ts'
import { t } from '../../i18n/lang.ts'
import { ScopePicker, type Choice } from '../../ui/choice-list.tsx'
import { Field, useFocusFirstError } from '../../ui/field.tsx'
import { adminFailureText } from '../admin-errors.ts'
import { rosterApi } from '../notifications/notifications-api.ts'
import type { AccountOption } from '../notifications/recipients-editor.tsx'
import { shiftBody, shiftFormErrors, shiftFormFor, type ShiftFormErrors, type ShiftFormValues } from './shift-form-rules.ts'

interface ShiftFormProps {
  /** The day the shift is added on (`YYYY-MM-DD` in the city). */
  date: string
  timeZone: string
  /** "GMT+7": the zone the times are read in, named beside them. */
  zoneName: string
  /** Accounts to choose from; null when this user may not list accounts (then a username is typed). */
  accounts: readonly AccountOption[] | null
  /** Usernames to suggest when typing (those already on the roster). */
  suggestions: readonly AccountOption[]
  areas: readonly Choice[]
  onAdded: (startsAt: string, username: string) => void
  onCancel: () => void
}

/** A shift on the duty roster: who, from when to when (city time), and for the whole city or some areas. */
export function ShiftForm({ date, timeZone, zoneName, accounts, suggestions, areas, onAdded, onCancel }: ShiftFormProps) {
  const form = useRef<HTMLFormElement>(null)
  const [values, setValues] = useState<ShiftFormValues>(() => shiftFormFor(date, timeZone))
  const [errors, setErrors] = useState<ShiftFormErrors>({})
  const [refusal, setRefusal] = useState<string | null>(null)
  const [pending, setPending] = useState(false)
  const [attempt, setAttempt] = useState(0)
  useFocusFirstError(form, attempt)

  const set = (patch: Partial<ShiftFormValues>) => {
    const next = { ...values, ...patch }
    setValues(next)
    if (attempt > 0) setErrors(shiftFormErrors(next, timeZone))
  }

  const submit = async (event: Event) => {
    event.preventDefault()
    if (pending) return
    const found = shiftFormErrors(values, timeZone)
    setErrors(found)
    setRefusal(null)
    if (Object.keys(found).length > 0) return setAttempt((n) => n + 1)
    setPending(true)
    try {
      const body = shiftBody(values, timeZone)
      await rosterApi.create(body)
      onAdded(body.startsAt, body.username)
    } catch (error) {
      if (!(error instanceof ApiRequestError)) throw error
      setRefusal(adminFailureText(error.failure))
      setAttempt((n) => n + 1)
    } finally {
      setPending(false)
    }
  }

  return (
    <form ref={form} class="form user-form shift-form" noValidate onSubmit={submit} aria-busy={pending} data-testid="shift-form">
      {refusal && (
        <p class="form-error" role="alert" tabIndex={-1} data-testid="shift-form-error">
          {refusal}
        </p>
      )}
      {accounts ? (
        <Field id="shift-user" label={t('shiftForm.user')} error={errors.username ? t(errors.username) : null}>
          {(control) => (
            <select {...control} value={values.username} onChange={(e) => set({ username: e.currentTarget.value })}>
              <option value="">{t('shiftForm.userChoose')}</option>
              {accounts.map((a) => (
                <option key={a.username} value={a.username}>
                  {a.fullName} ({a.username})
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : (
        <Field id="shift-user" label={t('shiftForm.username')} hint={t('shiftForm.usernameHint')} error={errors.username ? t(errors.username) : null}>
          {(control) => (
            <>
              <input
                {...control}
                list="shift-user-suggestions"
                autoComplete="off"
                autoCapitalize="none"
                spellcheck={false}
                value={values.username}
                onInput={(e) => set({ username: e.currentTarget.value })}
              />
              <datalist id="shift-user-suggestions">
                {suggestions.map((a) => (
                  <option key={a.username} value={a.username}>
                    {a.fullName}
                  </option>
                ))}
              </datalist>
            </>
          )}
        </Field>
      )}
      <Field id="shift-start" label={t('shiftForm.start', { zone: zoneName })} error={errors.startsAt ? t(errors.startsAt) : null}>
        {(control) => <input {...control} type="datetime-local" value={values.startsAt} onInput={(e) => set({ startsAt: e.currentTarget.value })} />}
      </Field>
      <Field id="shift-end" label={t('shiftForm.end', { zone: zoneName })} error={errors.endsAt ? t(errors.endsAt) : null}>
        {(control) => <input {...control} type="datetime-local" value={values.endsAt} onInput={(e) => set({ endsAt: e.currentTarget.value })} />}
      </Field>
      <div class="shift-areas">
        <ScopePicker
          id="shift-areas"
          legend={t('shiftForm.areas')}
          allLabel={t('shiftForm.areas.all')}
          someLabel={t('shiftForm.areas.some')}
          mode={values.areaMode}
          onMode={(areaMode) => set({ areaMode })}
          choices={areas}
          selected={values.areaIds}
          onChange={(areaIds) => set({ areaIds })}
          error={errors.areaIds ? t(errors.areaIds) : null}
        />
      </div>
      <div class="form-actions">
        <button type="submit" class="primary" disabled={pending}>
          {pending && <span class="spinner" aria-hidden="true" />}
          {pending ? t('userForm.saving') : t('shiftForm.add')}
        </button>
        <button type="button" class="secondary" disabled={pending} onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  )
}
