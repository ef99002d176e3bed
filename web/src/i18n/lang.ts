import type { MessageKey } from './messages.ts'
import { lang } from './locale.ts'
import { translate, type MessageParams } from './translate.ts'

export { lang, setLang, syncDocumentLang } from './locale.ts'

/** Translates in the current language (reading the signal, so the caller re-renders on a switch). */
export function t(key: MessageKey, params?: MessageParams): string {
  return translate(lang.value, key, params)
}
