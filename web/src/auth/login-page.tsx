import { useRef, useState } from 'preact/hooks'
import { t } from '../i18n/lang.ts'
import type { MessageKey } from '../i18n/messages.ts'
import { Field, useFocusFirstError } from '../ui/field.tsx'
import { AuthLayout } from './auth-layout.tsx'
import type { LoginError, Session, SessionNotice } from './session.ts'

const NOTICE: Record<SessionNotice, MessageKey> = {
  ended: 'auth.notice.ended',
  loggedOut: 'auth.notice.loggedOut',
}

export function loginErrorText(error: LoginError): string {
  switch (error.kind) {
    case 'credentials':
      return t('auth.error.credentials')
    case 'disabled':
      return t('auth.error.disabled')
    case 'throttled':
      return error.minutes === 1 ? t('auth.error.throttledOne') : t('auth.error.throttled', { minutes: error.minutes })
    case 'network':
      return t('error.network')
    case 'server':
      return t('auth.error.server', { status: error.status })
  }
}

/** The login form: what the dashboard shows until someone logs in. */
export function LoginPage({ session, notice }: { session: Session; notice: SessionNotice | null }) {
  const form = useRef<HTMLFormElement>(null)
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [missing, setMissing] = useState<{ username: boolean; password: boolean }>({ username: false, password: false })
  const [failure, setFailure] = useState<LoginError | null>(null)
  const [pending, setPending] = useState(false)
  const [attempt, setAttempt] = useState(0)
  useFocusFirstError(form, attempt)

  const submit = async (event: Event) => {
    event.preventDefault()
    if (pending) return
    const empty = { username: username.trim() === '', password: password === '' }
    setMissing(empty)
    setFailure(null)
    if (empty.username || empty.password) return setAttempt((n) => n + 1)
    setPending(true)
    const error = await session.login(username, password)
    // On success this page is replaced by the next screen; only a failure comes back here.
    if (error) {
      setPending(false)
      setFailure(error)
      if (error.kind === 'credentials') setPassword('')
      setAttempt((n) => n + 1)
    }
  }

  return (
    <AuthLayout title={t('auth.title')}>
      <p class="muted">{t('auth.intro')}</p>
      {notice && !failure && (
        <p class="notice" role="status" data-testid="login-notice">
          {t(NOTICE[notice])}
        </p>
      )}
      <form ref={form} class="form" noValidate onSubmit={submit} aria-busy={pending} data-testid="login-form">
        {failure && (
          <p class="form-error" id="login-error" role="alert" tabIndex={-1} data-testid="login-error">
            {loginErrorText(failure)}
          </p>
        )}
        <Field id="login-username" label={t('auth.username')} error={missing.username ? t('auth.usernameRequired') : null}>
          {(control) => (
            <input
              {...control}
              name="username"
              type="text"
              autoComplete="username"
              autoCapitalize="none"
              spellcheck={false}
              required
              value={username}
              onInput={(e) => setUsername(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field
          id="login-password"
          label={t('auth.password')}
          error={missing.password ? t('auth.passwordRequired') : null}
        >
          {(control) => (
            <input
              {...control}
              // A wrong password marks the field, so focus lands there to type it again.
              aria-invalid={control['aria-invalid'] ?? (failure?.kind === 'credentials' ? 'true' : undefined)}
              aria-describedby={control['aria-describedby'] ?? (failure?.kind === 'credentials' ? 'login-error' : undefined)}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          )}
        </Field>
        <button type="submit" class="primary" disabled={pending}>
          {pending && <span class="spinner" aria-hidden="true" />}
          {pending ? t('auth.submitting') : t('auth.submit')}
        </button>
      </form>
      <p class="muted public-link">
        <a href="/muc-nuoc">{t('auth.publicPage')}</a>
      </p>
    </AuthLayout>
  )
}
