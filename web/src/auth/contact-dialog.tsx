import type { Language } from '@ioc/shared'
import { useEffect, useRef, useState } from 'preact/hooks'
import { ApiRequestError, type ApiFailure } from '../api.ts'
import { adminFailureText } from '../admin/admin-errors.ts'
import { t } from '../i18n/lang.ts'
import { Field, useFocusFirstError } from '../ui/field.tsx'
import { failureText } from '../ui/load-error.tsx'
import { contactApi } from './contact-api.ts'
import { DevicePush } from './device-push.tsx'
import { contactBody, contactFormErrors, contactFormOf, type ContactFormErrors, type ContactFormValues } from './contact-rules.ts'

type Load = { status: 'loading' } | { status: 'ready' } | { status: 'error'; failure: ApiFailure }

/** The language a notification is written in: a radio per language, in its own words. */
export function LanguageChoice({ idPrefix, value, onChange }: { idPrefix: string; value: Language; onChange: (language: Language) => void }) {
  return (
    <fieldset class="radio-field">
      <legend>{t('contact.language')}</legend>
      <div class="radio-row">
        {(['vi', 'en'] as const).map((language) => (
          <label key={language} class="radio">
            <input type="radio" name={`${idPrefix}-language`} value={language} checked={value === language} onChange={() => onChange(language)} />
            {t(language === 'vi' ? 'lang.vi' : 'lang.en')}
          </label>
        ))}
      </div>
    </fieldset>
  )
}

/**
 * A logged-in user's own contact settings: the email notifications reach them at, and their language.
 * A modal `<dialog>` opened from the user menu, like changing one's password; Escape closes it.
 */
export function ContactDialog({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null)
  const form = useRef<HTMLFormElement>(null)
  const [load, setLoad] = useState<Load>({ status: 'loading' })
  const [values, setValues] = useState<ContactFormValues>({ email: '', language: 'vi' })
  const [errors, setErrors] = useState<ContactFormErrors>({})
  const [refusal, setRefusal] = useState<string | null>(null)
  const [pending, setPending] = useState(false)
  const [done, setDone] = useState(false)
  const [attempt, setAttempt] = useState(0)
  useFocusFirstError(form, attempt)

  const fetchOwn = async () => {
    setLoad({ status: 'loading' })
    try {
      setValues(contactFormOf(await contactApi.own()))
      setLoad({ status: 'ready' })
    } catch (error) {
      if (!(error instanceof ApiRequestError)) throw error
      setLoad({ status: 'error', failure: error.failure })
    }
  }

  useEffect(() => {
    const element = dialog.current
    if (!element) return
    if (!element.open) element.showModal()
    void fetchOwn()
    return () => {
      if (element.open) element.close()
    }
  }, [])
  // Once loaded, the email field takes the focus; after saving, the close button (the message is read with it).
  useEffect(() => {
    if (load.status === 'ready' && !done) dialog.current?.querySelector<HTMLElement>('#contact-email')?.focus()
  }, [load.status])
  useEffect(() => {
    if (done) dialog.current?.querySelector<HTMLElement>('[data-testid="contact-close"]')?.focus()
  }, [done])

  const close = () => dialog.current?.close()

  const set = (patch: Partial<ContactFormValues>) => {
    const next = { ...values, ...patch }
    setValues(next)
    // Once a save was refused, the field is judged again as it is fixed.
    if (attempt > 0) setErrors(contactFormErrors(next))
  }

  const submit = async (event: Event) => {
    event.preventDefault()
    if (pending) return
    const found = contactFormErrors(values)
    setErrors(found)
    setRefusal(null)
    if (Object.keys(found).length > 0) return setAttempt((n) => n + 1)
    setPending(true)
    try {
      setValues(contactFormOf(await contactApi.setOwn(contactBody(values))))
      setDone(true)
    } catch (error) {
      if (!(error instanceof ApiRequestError)) throw error
      setRefusal(adminFailureText(error.failure))
      setAttempt((n) => n + 1)
    } finally {
      setPending(false)
    }
  }

  return (
    <dialog
      ref={dialog}
      class="dialog"
      aria-labelledby="contact-title"
      aria-describedby="contact-intro"
      data-testid="contact-dialog"
      onClose={onClose}
      onKeyDown={(event) => {
        if (event.key === 'Escape') event.stopPropagation()
      }}
    >
      <h2 id="contact-title">{t('contact.title')}</h2>
      {done ? (
        <>
          <p class="notice" id="contact-intro" role="status" data-testid="contact-done">
            {values.email ? t('contact.done', { email: values.email }) : t('contact.doneNoEmail')}
          </p>
          <div class="form-actions">
            <button type="button" class="primary" data-testid="contact-close" onClick={close}>
              {t('common.close')}
            </button>
          </div>
        </>
      ) : (
        <>
          <p class="muted" id="contact-intro">
            {t('contact.intro')}
          </p>
          {load.status === 'loading' && (
            <p class="muted" role="status">
              <span class="spinner" aria-hidden="true" />
              {t('contact.loading')}
            </p>
          )}
          {load.status === 'error' && (
            <div class="form-error" role="alert">
              <p>{t('common.loadError', { reason: failureText(load.failure) })}</p>
              <div class="form-actions">
                <button type="button" class="secondary" onClick={() => void fetchOwn()}>
                  {t('error.retry')}
                </button>
                <button type="button" class="secondary" onClick={close}>
                  {t('common.close')}
                </button>
              </div>
            </div>
          )}
          {load.status === 'ready' && (
            <form ref={form} class="form" noValidate onSubmit={submit} aria-busy={pending} data-testid="contact-form">
              {refusal && (
                <p class="form-error" role="alert" tabIndex={-1}>
                  {refusal}
                </p>
              )}
              <Field id="contact-email" label={t('contact.email')} hint={t('contact.emailHint')} error={errors.email ? t(errors.email) : null}>
                {(control) => (
                  <input {...control} type="email" inputMode="email" autoComplete="email" value={values.email} onInput={(e) => set({ email: e.currentTarget.value })} />
                )}
              </Field>
              <LanguageChoice idPrefix="contact" value={values.language} onChange={(language) => set({ language })} />
              <div class="form-actions">
                <button type="submit" class="primary" disabled={pending}>
                  {pending && <span class="spinner" aria-hidden="true" />}
                  {pending ? t('userForm.saving') : t('contact.save')}
                </button>
                <button type="button" class="secondary" disabled={pending} onClick={close}>
                  {t('common.cancel')}
                </button>
              </div>
            </form>
          )}
          {load.status === 'ready' && <DevicePush />}
        </>
      )}
    </dialog>
  )
}
