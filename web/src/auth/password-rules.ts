import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@ioc/shared'
import type { ApiFailure } from '../api.ts'
import type { MessageKey } from '../i18n/messages.ts'
import type { MessageParams } from '../i18n/translate.ts'

export interface PasswordChoice {
  current: string
  next: string
  repeat: string
}

export type FieldError = { key: MessageKey; params?: MessageParams }
export type PasswordErrors = Partial<Record<keyof PasswordChoice, FieldError>>

/**
 * How the form names the password being replaced: the one-time password of a first login, or the
 * user's own password when they change it later from the user menu.
 */
export interface PasswordWording {
  current: MessageKey
  currentRequired: MessageKey
  currentWrong: MessageKey
  sameAsCurrent: MessageKey
  refused: MessageKey
}

export const ONE_TIME_WORDING: PasswordWording = {
  current: 'password.current',
  currentRequired: 'password.error.currentRequired',
  currentWrong: 'password.error.currentWrong',
  sameAsCurrent: 'password.error.sameAsCurrent',
  refused: 'password.error.refused',
}

export const OWN_WORDING: PasswordWording = {
  current: 'changePassword.current',
  currentRequired: 'changePassword.error.currentRequired',
  currentWrong: 'changePassword.error.currentWrong',
  sameAsCurrent: 'changePassword.error.sameAsCurrent',
  refused: 'changePassword.error.refused',
}

/**
 * What is wrong with a new password before it is sent, by field, in the order the form shows them:
 * the server's own rule (12–256 characters), the two entries matching, and not keeping the current password.
 */
export function passwordErrors(choice: PasswordChoice, wording: PasswordWording = ONE_TIME_WORDING): PasswordErrors {
  const errors: PasswordErrors = {}
  // Characters as JSON Schema counts them (code points), so an emoji is one, as on the server.
  const length = [...choice.next].length
  if (choice.current === '') errors.current = { key: wording.currentRequired }
  if (length < PASSWORD_MIN_LENGTH) errors.next = { key: 'password.error.tooShort', params: { min: PASSWORD_MIN_LENGTH } }
  else if (length > PASSWORD_MAX_LENGTH) errors.next = { key: 'password.error.tooLong', params: { max: PASSWORD_MAX_LENGTH } }
  else if (choice.next === choice.current) errors.next = { key: wording.sameAsCurrent }
  if (choice.repeat === '') errors.repeat = { key: 'password.error.repeatRequired' }
  else if (!errors.next && choice.repeat !== choice.next) errors.repeat = { key: 'password.error.mismatch' }
  return errors
}

/** A refused password change in the user's language: on the field it is about, or on the form (`field` null). */
export interface PasswordRefusal {
  field: 'current' | 'next' | null
  error: FieldError
}

/**
 * Words the server's refusal of `POST /api/auth/password`. Its 400 messages are English sentences
 * ("the current password is not right"), matched loosely so a rephrasing still lands on the right field.
 */
export function passwordRefusal(failure: ApiFailure, wording: PasswordWording = ONE_TIME_WORDING): PasswordRefusal {
  if (failure.kind === 'network') return { field: null, error: { key: 'error.network' } }
  if (failure.kind === 'parse') return { field: null, error: { key: wording.refused } }
  if (failure.status !== 400) return { field: null, error: { key: 'auth.error.server', params: { status: failure.status } } }
  const message = failure.message.toLowerCase()
  if (message.includes('current password')) return { field: 'current', error: { key: wording.currentWrong } }
  if (message.includes('differ')) return { field: 'next', error: { key: wording.sameAsCurrent } }
  if (message.includes('username')) return { field: 'next', error: { key: 'password.error.containsUsername' } }
  return { field: null, error: { key: wording.refused } }
}
