import { FULL_NAME_MAX_LENGTH, ROLES, roleNeedsArea, type Role, type UserView, type UserWithPassword } from '@ioc/shared'
import { useRef, useState } from 'preact/hooks'
import { ApiRequestError } from '../../api.ts'
import { ROLE_LABEL } from '../../auth/roles.ts'
import { t } from '../../i18n/lang.ts'
import { Field, useFocusFirstError } from '../../ui/field.tsx'
import { usersApi } from '../admin-api.ts'
import { adminFailureText } from '../admin-errors.ts'
import type { AreaOption } from '../area-options.ts'
import { createBody, emptyUserForm, updateBody, userFormErrors, userFormOf, type UserFormErrors, type UserFormValues } from './user-form-rules.ts'

type UserFormProps = {
  areas: readonly AreaOption[]
  onCancel: () => void
} & (
  | { mode: 'create'; onCreated: (result: UserWithPassword) => void }
  | { mode: 'edit'; user: UserView; onSaved: (user: UserView) => void }
)

/** Creating an account, or editing one's name, role and area. The server makes the one-time password. */
export function UserForm(props: UserFormProps) {
  const { mode, areas, onCancel } = props
  const form = useRef<HTMLFormElement>(null)
  const [values, setValues] = useState<UserFormValues>(() => (props.mode === 'edit' ? userFormOf(props.user) : emptyUserForm()))
  const [errors, setErrors] = useState<UserFormErrors>({})
  const [refusal, setRefusal] = useState<string | null>(null)
  const [pending, setPending] = useState(false)
  const [attempt, setAttempt] = useState(0)
  useFocusFirstError(form, attempt)

  const set = (patch: Partial<UserFormValues>) => {
    const next = { ...values, ...patch }
    setValues(next)
    // Marked fields are judged again as they are fixed; nothing new is marked before the next submit.
    if (attempt > 0) {
      const found = userFormErrors(next, mode)
      setErrors((shown) => Object.fromEntries(Object.entries(found).filter(([field]) => field in shown)))
    }
  }

  const refuse = (text: string, field?: keyof UserFormValues) => {
    setPending(false)
    if (field) setErrors({ [field]: 'userForm.error.taken' })
    else setRefusal(text)
    setAttempt((n) => n + 1)
  }

  const submit = async (event: Event) => {
    event.preventDefault()
    if (pending) return
    const found = userFormErrors(values, mode)
    setErrors(found)
    setRefusal(null)
    if (Object.keys(found).length > 0) return setAttempt((n) => n + 1)
    try {
      if (props.mode === 'create') {
        setPending(true)
        props.onCreated(await usersApi.create(createBody(values)))
      } else {
        const body = updateBody(props.user, values)
        if (!body) return refuse(t('userForm.error.unchanged'))
        setPending(true)
        props.onSaved((await usersApi.update(props.user.id, body)).user)
      }
    } catch (error) {
      if (!(error instanceof ApiRequestError)) throw error
      const failure = error.failure
      if (mode === 'create' && failure.kind === 'http' && failure.status === 409) return refuse('', 'username')
      refuse(adminFailureText(failure, 'users.error.lastAdmin'))
    }
  }

  const id = (field: string) => `user-${mode}-${field}`
  const needsArea = roleNeedsArea(values.role)
  return (
    <form ref={form} class="form user-form" noValidate onSubmit={submit} aria-busy={pending} data-testid={`user-${mode}-form`}>
      {refusal && (
        <p class="form-error" role="alert" tabIndex={-1}>
          {refusal}
        </p>
      )}
      {mode === 'create' && (
        <Field id={id('username')} label={t('userForm.username')} hint={t('userForm.usernameHint')} error={errors.username ? t(errors.username) : null}>
          {(control) => (
            <input
              {...control}
              name="username"
              autoComplete="off"
              autoCapitalize="none"
              spellcheck={false}
              value={values.username}
              onInput={(e) => set({ username: e.currentTarget.value })}
            />
          )}
        </Field>
      )}
      <Field id={id('fullName')} label={t('userForm.fullName')} error={errors.fullName ? t(errors.fullName, { max: FULL_NAME_MAX_LENGTH }) : null}>
        {(control) => (
          <input {...control} name="fullName" autoComplete="off" value={values.fullName} onInput={(e) => set({ fullName: e.currentTarget.value })} />
        )}
      </Field>
      <Field id={id('role')} label={t('userForm.role')}>
        {(control) => (
          <select {...control} name="role" value={values.role} onChange={(e) => set({ role: e.currentTarget.value as Role })}>
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {t(ROLE_LABEL[role])}
              </option>
            ))}
          </select>
        )}
      </Field>
      {needsArea && (
        <Field id={id('area')} label={t('userForm.area')} hint={t('userForm.areaHint')} error={errors.areaId ? t(errors.areaId) : null}>
          {(control) => (
            <select {...control} name="areaId" value={values.areaId} onChange={(e) => set({ areaId: e.currentTarget.value })}>
              <option value="">{t('userForm.areaChoose')}</option>
              {areas.map((area) => (
                <option key={area.id} value={area.id}>
                  {area.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {mode === 'create' && <p class="muted small-text">{t('userForm.passwordNote')}</p>}
      <div class="form-actions">
        <button type="submit" class="primary" disabled={pending}>
          {pending && <span class="spinner" aria-hidden="true" />}
          {pending ? t('userForm.saving') : mode === 'create' ? t('userForm.create') : t('userForm.save')}
        </button>
        <button type="button" class="secondary" disabled={pending} onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  )
}
