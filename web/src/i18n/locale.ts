import { effect, signal } from '@preact/signals'

/**
 * The reader's language, shared by the dashboard and the citizens' page: no message catalogue here,
 * so the citizens' page can use it without the dashboard's strings.
 */
export const LANGS = ['vi', 'en'] as const
export type Lang = (typeof LANGS)[number]
export const DEFAULT_LANG: Lang = 'vi'

/** BCP 47 tag used for Intl formatting in each language. */
export const LOCALE: Record<Lang, string> = { vi: 'vi-VN', en: 'en-GB' }

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value)
}

/** One key for both pages, so a person who chose English on one reads English on the other. */
const STORAGE_KEY = 'ioc.lang'

function storedLang(): Lang {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY)
    return isLang(value) ? value : DEFAULT_LANG
  } catch {
    // Storage can be disabled (private mode, strict settings): the default language still works.
    return DEFAULT_LANG
  }
}

/** The language the page speaks; components that read it re-render when it changes. */
export const lang = signal<Lang>(storedLang())

export function setLang(next: Lang): void {
  lang.value = next
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next)
  } catch {
    // Not persisted; the choice still holds for this page.
  }
}

/** Keeps `<html lang>` in step, so screen readers pronounce Vietnamese as Vietnamese. */
export function syncDocumentLang(): () => void {
  return effect(() => {
    document.documentElement.lang = lang.value
  })
}
