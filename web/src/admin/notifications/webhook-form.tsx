import type { WebhookChannel } from '@ioc/shared'
import { useRef, useState } from 'preact/hooks'
import { ApiRequestError } from '../../api.ts'
import { t } from '../../i18n/lang.ts'
import { Field, useFocusFirstError } from '../../ui/field.tsx'
import { adminFailureText } from '../admin-errors.ts'
import { webhooksApi, type CreatedWebhook } from './notifications-api.ts'
import { emptyWebhookForm, WEBHOOK_LIMITS, webhookBody, webhookFormErrors, webhookFormOf, type WebhookFormErrors, type WebhookFormValues } from './webhook-form-rules.ts'

type WebhookFormProps = { onCancel: () => void } & (
  | { mode: 'create'; onCreated: (webhook: CreatedWebhook) => void }
  | { mode: 'edit'; channel: WebhookChannel; onSaved: (channel: WebhookChannel) => void }
)

/** Adding a webhook (the server makes its secret unless one is given), or changing one (a new secret replaces the old). */
export function WebhookForm(props: WebhookFormProps) {
  const { mode, onCancel } = props
  const form = useRef<HTMLFormElement>(null)
  const [values, setValues] = useState<WebhookFormValues>(() => (props.mode === 'edit' ? webhookFormOf(props.channel) : emptyWebhookForm()))
  const [errors, setErrors] = useState<WebhookFormErrors>({})
  const [refusal, setRefusal] = useState<string | null>(null)
  const [pending, setPending] = useState(false)
  const [attempt, setAttempt] = useState(0)
  useFocusFirstError(form, attempt)

  const set = (patch: Partial<WebhookFormValues>) => {
    const next = { ...values, ...patch }
    setValues(next)
    if (attempt > 0) setErrors(webhookFormErrors(next))
  }

  const submit = async (event: Event) => {
    event.preventDefault()
    if (pending) return
    const found = webhookFormErrors(values)
    setErrors(found)
    setRefusal(null)
    if (Object.keys(found).length > 0) return setAttempt((n) => n + 1)
    setPending(true)
    try {
      const body = webhookBody(values)
      if (props.mode === 'create') props.onCreated(await webhooksApi.create(body))
      else props.onSaved(await webhooksApi.update(props.channel.id, body))
    } catch (error) {
      if (!(error instanceof ApiRequestError)) throw error
      setRefusal(adminFailureText(error.failure))
      setAttempt((n) => n + 1)
    } finally {
      setPending(false)
    }
  }

  const id = (field: string) => `webhook-${mode}-${field}`
  return (
    <form ref={form} class="form user-form" noValidate onSubmit={submit} aria-busy={pending} data-testid={`webhook-${mode}-form`}>
      {refusal && (
        <p class="form-error" role="alert" tabIndex={-1}>
          {refusal}
        </p>
      )}
      <Field id={id('name')} label={t('webhookForm.name')} hint={t('webhookForm.nameHint')} error={errors.name ? t(errors.name, { max: WEBHOOK_LIMITS.nameMax }) : null}>
        {(control) => <input {...control} name="name" autoComplete="off" value={values.name} onInput={(e) => set({ name: e.currentTarget.value })} />}
      </Field>
      <Field id={id('url')} label={t('webhookForm.url')} hint={t('webhookForm.urlHint')} error={errors.url ? t(errors.url) : null}>
        {(control) => (
          <input {...control} name="url" type="url" inputMode="url" autoComplete="off" autoCapitalize="none" spellcheck={false} value={values.url} onInput={(e) => set({ url: e.currentTarget.value })} />
        )}
      </Field>
      <Field
        id={id('secret')}
        label={t(mode === 'create' ? 'webhookForm.secret' : 'webhookForm.newSecret')}
        hint={t(mode === 'create' ? 'webhookForm.secretHint' : 'webhookForm.newSecretHint', { min: WEBHOOK_LIMITS.secretMin })}
        error={errors.secret ? t(errors.secret, { min: WEBHOOK_LIMITS.secretMin, max: WEBHOOK_LIMITS.secretMax }) : null}
      >
        {(control) => (
          <input {...control} name="secret" autoComplete="off" autoCapitalize="none" spellcheck={false} value={values.secret} onInput={(e) => set({ secret: e.currentTarget.value })} />
        )}
      </Field>
      <label class="checkbox">
        <input type="checkbox" checked={values.enabled} onChange={(e) => set({ enabled: e.currentTarget.checked })} />
        {t('webhookForm.enabled')}
      </label>
      <div class="form-actions">
        <button type="submit" class="primary" disabled={pending}>
          {pending && <span class="spinner" aria-hidden="true" />}
          {pending ? t('userForm.saving') : mode === 'create' ? t('webhookForm.create') : t('webhookForm.save')}
        </button>
        <button type="button" class="secondary" disabled={pending} onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  )
}
