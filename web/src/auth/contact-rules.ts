import type { AccountContactSettings, ContactSettings, Language } from '@ioc/shared'
import type { MessageKey } from '../i18n/messages.ts'

/** The API's limits on contact settings (ContactSettings, AccountContactSettings). */
export const EMAIL_MAX_LENGTH = 254
export const GROUP_PATTERN = /^[a-z0-9_-]{1,40}$/
export const MAX_GROUPS = 10

/** What the server's `format: 'email'` accepts, near enough to say so before sending: one @, a dot in the domain, no spaces. */
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/

export interface ContactFormValues {
  /** '' for none. */
  email: string
  language: Language
}

export interface AccountContactFormValues extends ContactFormValues {
  /** The groups ticked among the known ones. */
  groups: string[]
  /** Other groups, as typed: "truc-dem, lanh-dao". */
  otherGroups: string
}

export type ContactFormErrors = Partial<Record<'email' | 'otherGroups', MessageKey>>

export const contactFormOf = (settings: ContactSettings): ContactFormValues => ({ email: settings.email ?? '', language: settings.language })

/** The known groups ticked, the others as text in the order they were. */
export function accountContactFormOf(settings: AccountContactSettings, known: readonly string[]): AccountContactFormValues {
  return {
    ...contactFormOf(settings),
    groups: settings.groups.filter((g) => known.includes(g)),
    otherGroups: settings.groups.filter((g) => !known.includes(g)).join(', '),
  }
}

/** Groups typed as text, split on commas and spaces, lower-cased, each once. */
export function parseGroups(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((g) => g.trim().toLowerCase()).filter(Boolean))]
}

function emailError(email: string): MessageKey | null {
  const trimmed = email.trim()
  if (trimmed === '') return null
  return trimmed.length > EMAIL_MAX_LENGTH || !EMAIL.test(trimmed) ? 'contact.error.email' : null
}

export function contactFormErrors(values: ContactFormValues): ContactFormErrors {
  const error = emailError(values.email)
  return error ? { email: error } : {}
}

export function accountContactFormErrors(values: AccountContactFormValues): ContactFormErrors {
  const errors = contactFormErrors(values)
  const others = parseGroups(values.otherGroups)
  if (others.some((g) => !GROUP_PATTERN.test(g))) errors.otherGroups = 'contact.error.groupName'
  else if (new Set([...values.groups, ...others]).size > MAX_GROUPS) errors.otherGroups = 'contact.error.tooManyGroups'
  return errors
}

export const contactBody = (values: ContactFormValues): ContactSettings => ({ email: values.email.trim() || null, language: values.language })

export const accountContactBody = (values: AccountContactFormValues): AccountContactSettings => ({
  ...contactBody(values),
  groups: [...new Set([...values.groups, ...parseGroups(values.otherGroups)])],
})
