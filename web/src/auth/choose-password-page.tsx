import { PASSWORD_MIN_LENGTH, type CurrentUser } from '@ioc/shared'
import { useRef, useState } from 'preact/hooks'
import { t } from '../i18n/lang.ts'
import { Field, useFocusFirstError } from '../ui/field.tsx'
import { AuthLayout } from './auth-layout.tsx'
import { passwordErrors, type FieldError, type PasswordErrors } from './password-rules.ts'
import type { Session } from './session.ts'

const text = (error: FieldError | undefined) => (error ? t(error.key, error.params) : null)

/**
 * Right after a first login (or a reset), the server refuses everything until the user picks their own
 * password. The one-time password typed at login is reused; it is asked again only after a reload.
 */
export function ChoosePasswordPage({ session, user }: { session: Session; user: CurrentUser }) {
  const remembered = session.oneTimePassword()
  const form = useRef<HTMLFormElement>(null)
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [repeat, setRepeat] = useState('')
  const [errors, setErrors] = useState<PasswordErrors>({})
  const [refused, setRefused] = useState(false)
  const [pending, setPending] = useState(false)
  const [attempt, setAttempt] = useState(0)
  useFocusFirstError(form, attempt)

  const choice = () => ({ current: remembered ?? current, next, repeat })

  const submit = async (event: Event) => {
    event.preventDefault()
    if (pending) return
    const found = passwordErrors(choice())
    setErrors(found)
    setRefused(false)
    if (Object.keys(found).length > 0) return setAttempt((n) => n + 1)
    setPending(true)
    const failure = await session.changePassword(choice().current, next)
    if (failure) {
      setPending(false)
      setRefused(true)
      setAttempt((n) => n + 1)
    }
  }

  // Errors already shown are re-judged as the user types, so a fixed field stops being marked at once.
  const revalidate = (patch: Partial<ReturnType<typeof choice>>) => {
    if (attempt === 0) return
    const found = passwordErrors({ ...choice(), ...patch })
    setErrors((shown) => Object.fromEntries(Object.entries(found).filter(([field]) => field in shown)))
  }

  return (
    <AuthLayout title={t('password.title')}>
      <p>{t('password.intro', { name: user.fullName })}</p>
      <form ref={form} class="form" noValidate onSubmit={submit} aria-busy={pending} data-testid="choose-password-form">
        {refused && (
          <p class="form-error" role="alert" tabIndex={-1}>
            {t('password.error.refused')}
          </p>
        )}
        {/* For password managers: which account this new password belongs to. */}
        <input type="text" name="username" autoComplete="username" value={user.username} hidden readOnly />
        {remembered === null && (
          <Field id="password-current" label={t('password.current')} error={text(errors.current)}>
            {(control) => (
              <input
                {...control}
                type="password"
                autoComplete="current-password"
                value={current}
                onInput={(e) => {
                  setCurrent(e.currentTarget.value)
                  revalidate({ current: e.currentTarget.value })
                }}
              />
            )}
          </Field>
        )}
        <Field id="password-new" label={t('password.new')} hint={t('password.newHint', { min: PASSWORD_MIN_LENGTH })} error={text(errors.next)}>
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="new-password"
              value={next}
              onInput={(e) => {
                setNext(e.currentTarget.value)
                revalidate({ next: e.currentTarget.value })
              }}
            />
          )}
        </Field>
        <Field id="password-repeat" label={t('password.repeat')} error={text(errors.repeat)}>
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="new-password"
              value={repeat}
              onInput={(e) => {
                setRepeat(e.currentTarget.value)
                revalidate({ repeat: e.currentTarget.value })
              }}
            />
          )}
        </Field>
        <div class="form-actions">
          <button type="submit" class="primary" disabled={pending}>
            {pending && <span class="spinner" aria-hidden="true" />}
            {pending ? t('password.submitting') : t('password.submit')}
          </button>
          <button type="button" class="secondary" onClick={() => void session.logout()}>
            {t('user.logout')}
          </button>
        </div>
      </form>
    </AuthLayout>
  )
}
