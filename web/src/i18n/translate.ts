import type { Lang } from './locale.ts'
import { en, vi, type MessageKey, type Messages } from './messages.ts'

export { DEFAULT_LANG, isLang, LANGS, LOCALE, type Lang } from './locale.ts'

const catalogues: Record<Lang, Messages> = { vi, en }

export type MessageParams = Record<string, string | number>

/** The message for `key` in `lang`, with each `{name}` replaced by `params.name` (left as is when absent). */
export function translate(lang: Lang, key: MessageKey, params?: MessageParams): string {
  const template = catalogues[lang][key]
  if (!params) return template
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name]
    return value === undefined ? whole : String(value)
  })
}

/** A city-pack name in the chosen language. */
export function localized(text: { vi: string; en: string }, lang: Lang): string {
  return text[lang]
}
