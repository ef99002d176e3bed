import type { UserView } from '@ioc/shared'
import { useEffect, useRef, useState } from 'preact/hooks'
import { ApiRequestError, type ApiFailure } from '../../api.ts'
import { contactApi } from '../../auth/contact-api.ts'
import { LanguageChoice } from '../../auth/contact-dialog.tsx'
import {
  accountContactBody,
  accountContactFormErrors,
  accountContactFormOf,
  MAX_GROUPS,
  type AccountContactFormValues,
  type ContactFormErrors,
} from '../../auth/contact-rules.ts'
import { t } from '../../i18n/lang.ts'
import { ChoiceList } from '../../ui/choice-list.tsx'
import { Field, useFocusFirstError } from '../../ui/field.tsx'
import { adminFailureText } from '../admin-errors.ts'
import { ListLoadFailed, ListLoading } from '../load-state.tsx'
import { GROUP_LABEL, KNOWN_GROUPS } from '../notifications/recipients.ts'

type Load = { status: 'loading' } | { status: 'ready' } | { status: 'error'; failure: ApiFailure }

/**
 * An account's contact settings as an admin sets them: the email notifications reach it at, their
 * language, and its groups — the ones the rules name (technicians, shift leaders, heads of office),
 * each explained, and any other by its name.
 */
export function AccountContact({ user, onSaved }: { user: UserView; onSaved: (notice: string) => void }) {
  const form = useRef<HTMLFormElement>(null)
  const [load, setLoad] = useState<Load>({ status: 'loading' })
  const [values, setValues] = useState<AccountContactFormValues>({ email: '', language: 'vi', groups: [], otherGroups: '' })
  const [errors, setErrors] = useState<ContactFormErrors>({})
  const [refusal, setRefusal] = useState<string | null>(null)
  const [pending, setPending] = useState(false)
  const [attempt, setAttempt] = useState(0)
  useFocusFirstError(form, attempt)

  const fetchContact = async () => {
    setLoad({ status: 'loading' })
    try {
      setValues(accountContactFormOf(await contactApi.of(user.username), KNOWN_GROUPS))
      setLoad({ status: 'ready' })
    } catch (error) {
      if (!(error instanceof ApiRequestError)) throw error
      setLoad({ status: 'error', failure: error.failure })
    }
  }
  useEffect(() => void fetchContact(), [user.username])

  const set = (patch: Partial<AccountContactFormValues>) => {
    const next = { ...values, ...patch }
    setValues(next)
    if (attempt > 0) setErrors(accountContactFormErrors(next))
  }

  const submit = async (event: Event) => {
    event.preventDefault()
    if (pending) return
    const found = accountContactFormErrors(values)
    setErrors(found)
    setRefusal(null)
    if (Object.keys(found).length > 0) return setAttempt((n) => n + 1)
    setPending(true)
    try {
      setValues(accountContactFormOf(await contactApi.set(user.username, accountContactBody(values)), KNOWN_GROUPS))
      onSaved(t('accountContact.done', { username: user.username }))
    } catch (error) {
      if (!(error instanceof ApiRequestError)) throw error
      setRefusal(adminFailureText(error.failure))
      setAttempt((n) => n + 1)
    } finally {
      setPending(false)
    }
  }

  return (
    <section class="account-contact" aria-labelledby="account-contact-title" data-testid="account-contact">
      <h3 id="account-contact-title">{t('accountContact.title')}</h3>
      {load.status === 'loading' && <ListLoading text={t('contact.loading')} />}
      {load.status === 'error' && <ListLoadFailed failure={load.failure} onRetry={() => void fetchContact()} />}
      {load.status === 'ready' && (
        <form ref={form} class="form user-form" noValidate onSubmit={submit} aria-busy={pending} data-testid="account-contact-form">
          {refusal && (
            <p class="form-error" role="alert" tabIndex={-1}>
              {refusal}
            </p>
          )}
          <Field id="account-contact-email" label={t('contact.email')} hint={t('accountContact.emailHint')} error={errors.email ? t(errors.email) : null}>
            {(control) => <input {...control} type="email" inputMode="email" autoComplete="off" value={values.email} onInput={(e) => set({ email: e.currentTarget.value })} />}
          </Field>
          <LanguageChoice idPrefix="account-contact" value={values.language} onChange={(language) => set({ language })} />
          <div class="wide">
            <ChoiceList
              id="account-contact-groups"
              legend={t('accountContact.groups')}
              hint={t('accountContact.groupsHint')}
              choices={KNOWN_GROUPS.map((group) => ({ value: group, label: `${t(GROUP_LABEL[group].name)} (${group})`, hint: t(GROUP_LABEL[group].hint) }))}
              selected={values.groups}
              onChange={(groups) => set({ groups })}
            />
          </div>
          <Field
            id="account-contact-other"
            label={t('accountContact.otherGroups')}
            hint={t('accountContact.otherGroupsHint')}
            error={errors.otherGroups ? t(errors.otherGroups, { max: MAX_GROUPS }) : null}
          >
            {(control) => (
              <input {...control} autoComplete="off" autoCapitalize="none" spellcheck={false} value={values.otherGroups} onInput={(e) => set({ otherGroups: e.currentTarget.value })} />
            )}
          </Field>
          <div class="form-actions">
            <button type="submit" class="primary" disabled={pending}>
              {pending && <span class="spinner" aria-hidden="true" />}
              {pending ? t('userForm.saving') : t('accountContact.save')}
            </button>
          </div>
        </form>
      )}
    </section>
  )
}
