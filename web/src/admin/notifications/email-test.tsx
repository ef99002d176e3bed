import { useState } from 'preact/hooks'
import { ApiRequestError } from '../../api.ts'
import { contactFormErrors } from '../../auth/contact-rules.ts'
import { t } from '../../i18n/lang.ts'
import { Field } from '../../ui/field.tsx'
import { adminFailureText } from '../admin-errors.ts'
import { webhooksApi, type SendTestResult } from './notifications-api.ts'
import { TestResult } from './test-result.tsx'

/** Sends a test email through the server's mail settings (IOC_SMTP_URL) and shows what the mail server answered. */
export function EmailTest() {
  const [to, setTo] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [pending, setPending] = useState(false)
  const [result, setResult] = useState<SendTestResult | null>(null)

  const submit = async (event: Event) => {
    event.preventDefault()
    if (pending) return
    setResult(null)
    const problem = to.trim() === '' ? 'emailTest.error.required' : contactFormErrors({ email: to, language: 'vi' }).email
    if (problem) {
      setError(t(problem))
      document.getElementById('email-test-to')?.focus()
      return
    }
    setError(null)
    setPending(true)
    try {
      setResult(await webhooksApi.emailTest(to.trim()))
    } catch (failure) {
      if (!(failure instanceof ApiRequestError)) throw failure
      setResult({ ok: false, detail: adminFailureText(failure.failure) })
    } finally {
      setPending(false)
    }
  }

  return (
    <section class="panel admin-panel" aria-labelledby="email-test-title" data-testid="email-test">
      <h2 id="email-test-title">{t('emailTest.title')}</h2>
      <p class="muted">{t('emailTest.intro')}</p>
      <form class="form email-test-form" noValidate onSubmit={submit} aria-busy={pending}>
        <Field id="email-test-to" label={t('emailTest.to')} error={error}>
          {(control) => <input {...control} type="email" inputMode="email" autoComplete="email" value={to} onInput={(e) => setTo(e.currentTarget.value)} />}
        </Field>
        <div class="form-actions">
          <button type="submit" class="primary" disabled={pending} data-testid="email-test-send">
            {pending && <span class="spinner" aria-hidden="true" />}
            {pending ? t('sendTest.sending') : t('emailTest.send')}
          </button>
        </div>
      </form>
      <div aria-live="polite">{result && <TestResult result={result} testId="email-test-result" />}</div>
    </section>
  )
}
