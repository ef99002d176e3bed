import { lang } from '../i18n/locale.ts'
import { message, type PublicMessageKey } from './messages.ts'

/** The page's language is the dashboard's choice too: Vietnamese unless the reader chose English. */
export { lang as publicLang, setLang as setPublicLang, syncDocumentLang as syncHtmlLang } from '../i18n/locale.ts'

/** A message in the current language (reading the signal, so the caller re-renders on a switch). */
export function pt(key: PublicMessageKey, params?: Record<string, string | number>): string {
  return message(lang.value, key, params)
}
