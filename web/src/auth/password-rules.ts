import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@ioc/shared'
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
 * What is wrong with a new password before it is sent, by field, in the order the form shows them:
 * the server's own rule (12–256 characters), the two entries matching, and not keeping the one-time password.
 */
export function passwordErrors(choice: PasswordChoice): PasswordErrors {
  const errors: PasswordErrors = {}
  // Characters as JSON Schema counts them (code points), so an emoji is one, as on the server.
  const length = [...choice.next].length
  if (choice.current === '') errors.current = { key: 'password.error.currentRequired' }
  if (length < PASSWORD_MIN_LENGTH) errors.next = { key: 'password.error.tooShort', params: { min: PASSWORD_MIN_LENGTH } }
  else if (length > PASSWORD_MAX_LENGTH) errors.next = { key: 'password.error.tooLong', params: { max: PASSWORD_MAX_LENGTH } }
  else if (choice.next === choice.current) errors.next = { key: 'password.error.sameAsCurrent' }
  if (choice.repeat === '') errors.repeat = { key: 'password.error.repeatRequired' }
  else if (!errors.next && choice.repeat !== choice.next) errors.repeat = { key: 'password.error.mismatch' }
  return errors
}
