import { en, vi, type MessageKey, type Messages } from './messages.ts'

export const LANGS = ['vi', 'en'] as const
export type Lang = (typeof LANGS)[number]
export const DEFAULT_LANG: Lang = 'vi'

const catalogues: Record<Lang, Messages> = { vi, en }

/** BCP 47 tag used for Intl formatting in each language. */
export const LOCALE: Record<Lang, string> = { vi: 'vi-VN', en: 'en-GB' }

export type MessageParams = Record<string, string | number>

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value)
}

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
