import {
  FULL_NAME_MAX_LENGTH,
  USERNAME_PATTERN,
  roleNeedsArea,
  type CreateUserBody,
  type Role,
  type UpdateUserBody,
  type UserView,
} from '@ioc/shared'
import type { MessageKey } from '../../i18n/messages.ts'

export interface UserFormValues {
  username: string
  fullName: string
  role: Role
  /** '' when none is chosen. */
  areaId: string
}

export type UserFormErrors = Partial<Record<keyof UserFormValues, MessageKey>>

const usernamePattern = new RegExp(USERNAME_PATTERN)

export const emptyUserForm = (): UserFormValues => ({ username: '', fullName: '', role: 'staff', areaId: '' })

export const userFormOf = (user: UserView): UserFormValues => ({
  username: user.username,
  fullName: user.fullName,
  role: user.role,
  areaId: user.areaId ?? '',
})

/** The server's rules, checked before sending so the form can say what to fix field by field. */
export function userFormErrors(values: UserFormValues, mode: 'create' | 'edit'): UserFormErrors {
  const errors: UserFormErrors = {}
  if (mode === 'create' && !usernamePattern.test(values.username.trim())) errors.username = 'userForm.error.username'
  const fullName = values.fullName.trim()
  if (fullName === '' || [...fullName].length > FULL_NAME_MAX_LENGTH) errors.fullName = 'userForm.error.fullName'
  if (roleNeedsArea(values.role) && values.areaId === '') errors.areaId = 'userForm.error.areaRequired'
  return errors
}

/** Only area staff carry an area; for any other role it is dropped, whatever the picker last held. */
const areaFor = (values: UserFormValues): string | null => (roleNeedsArea(values.role) && values.areaId ? values.areaId : null)

export function createBody(values: UserFormValues): CreateUserBody {
  return { username: values.username.trim(), fullName: values.fullName.trim(), role: values.role, areaId: areaFor(values) }
}

/** The fields that changed, or null when nothing did (a PATCH needs at least one). */
export function updateBody(user: UserView, values: UserFormValues): UpdateUserBody | null {
  const body: UpdateUserBody = {}
  const fullName = values.fullName.trim()
  if (fullName !== user.fullName) body.fullName = fullName
  if (values.role !== user.role) body.role = values.role
  const areaId = areaFor(values)
  if (areaId !== user.areaId) body.areaId = areaId
  return Object.keys(body).length > 0 ? body : null
}
