import { PASSWORD_MIN_LENGTH } from '@ioc/shared'
import type { ComponentChildren } from 'preact'
import { useRef, useState } from 'preact/hooks'
import type { ApiFailure } from '../api.ts'
import { t } from '../i18n/lang.ts'
import { Field, useFocusFirstError } from '../ui/field.tsx'
import { passwordErrors, passwordRefusal, type FieldError, type PasswordChoice, type PasswordErrors, type PasswordRefusal, type PasswordWording } from './password-rules.ts'

const text = (error: FieldError | undefined) => (error ? t(error.key, error.params) : null)

interface PasswordFormProps {
  /** Prefix of the fields' ids (`${idPrefix}-current`, `-new`, `-repeat`). */
  idPrefix: string
  /** For password managers: which account the new password belongs to. */
  username: string
  /** The current password when already known (typed at login): its field is then not shown. */
  knownCurrent?: string | null
  wording: PasswordWording
  /** Sends the change; null when done (the caller then moves on), otherwise the server's refusal. */
  onSubmit: (currentPassword: string, newPassword: string) => Promise<ApiFailure | null>
  /** Buttons after "save" (log out, cancel). */
  actions?: ComponentChildren
  testId?: string
}

/**
 * Current password, new password, and the new one again: checked as typed against the server's rules
 * before sending, and the server's refusal worded on the field it is about. Used for the first-login
 * password and for a change from the user menu.
 */
export function PasswordForm({ idPrefix, username, knownCurrent = null, wording, onSubmit, actions, testId }: PasswordFormProps) {
  const form = useRef<HTMLFormElement>(null)
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [repeat, setRepeat] = useState('')
  const [errors, setErrors] = useState<PasswordErrors>({})
  const [refusal, setRefusal] = useState<PasswordRefusal | null>(null)
  const [pending, setPending] = useState(false)
  const [attempt, setAttempt] = useState(0)
  useFocusFirstError(form, attempt)

  const askCurrent = knownCurrent === null
  const choice = (): PasswordChoice => ({ current: knownCurrent ?? current, next, repeat })

  const submit = async (event: Event) => {
    event.preventDefault()
    if (pending) return
    const found = passwordErrors(choice(), wording)
    setErrors(found)
    setRefusal(null)
    if (Object.keys(found).length > 0) return setAttempt((n) => n + 1)
    setPending(true)
    const failure = await onSubmit(choice().current, next)
    if (failure) {
      const refused = passwordRefusal(failure, wording)
      // Refused over a field that is not shown (the remembered one-time password): said on the form.
      setRefusal(refused.field === 'current' && !askCurrent ? { field: null, error: refused.error } : refused)
      setPending(false)
      setAttempt((n) => n + 1)
    }
  }

  // Errors already shown are re-judged as the user types, so a fixed field stops being marked at once;
  // the server's refusal of a field stays until that field is edited.
  const edited = (field: keyof PasswordChoice, patch: Partial<PasswordChoice>) => {
    if (refusal?.field === field) setRefusal(null)
    if (attempt === 0) return
    const found = passwordErrors({ ...choice(), ...patch }, wording)
    setErrors((shown) => Object.fromEntries(Object.entries(found).filter(([name]) => name in shown)))
  }

  const fieldError = (field: keyof PasswordChoice) => text(errors[field] ?? (refusal?.field === field ? refusal.error : undefined))

  return (
    <form ref={form} class="form" noValidate onSubmit={submit} aria-busy={pending} data-testid={testId}>
      {refusal?.field === null && (
        <p class="form-error" role="alert" tabIndex={-1} data-testid="password-refused">
          {text(refusal.error)}
        </p>
      )}
      <input type="text" name="username" autoComplete="username" value={username} hidden readOnly />
      {askCurrent && (
        <Field id={`${idPrefix}-current`} label={t(wording.current)} error={fieldError('current')}>
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="current-password"
              value={current}
              onInput={(e) => {
                setCurrent(e.currentTarget.value)
                edited('current', { current: e.currentTarget.value })
              }}
            />
          )}
        </Field>
      )}
      <Field id={`${idPrefix}-new`} label={t('password.new')} hint={t('password.newHint', { min: PASSWORD_MIN_LENGTH })} error={fieldError('next')}>
        {(control) => (
          <input
            {...control}
            type="password"
            autoComplete="new-password"
            value={next}
            onInput={(e) => {
              setNext(e.currentTarget.value)
              edited('next', { next: e.currentTarget.value })
            }}
          />
        )}
      </Field>
      <Field id={`${idPrefix}-repeat`} label={t('password.repeat')} error={fieldError('repeat')}>
        {(control) => (
          <input
            {...control}
            type="password"
            autoComplete="new-password"
            value={repeat}
            onInput={(e) => {
              setRepeat(e.currentTarget.value)
              edited('repeat', { repeat: e.currentTarget.value })
            }}
          />
        )}
      </Field>
      <div class="form-actions">
        <button type="submit" class="primary" disabled={pending}>
          {pending && <span class="spinner" aria-hidden="true" />}
          {pending ? t('password.submitting') : t('password.submit')}
        </button>
        {actions}
      </div>
    </form>
  )
}
