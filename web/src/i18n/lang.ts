import { effect, signal } from '@preact/signals'
import type { MessageKey } from './messages.ts'
import { DEFAULT_LANG, isLang, translate, type Lang, type MessageParams } from './translate.ts'

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

/** The language the dashboard speaks; components that call `t()` re-render when it changes. */
export const lang = signal<Lang>(storedLang())

export function setLang(next: Lang): void {
  lang.value = next
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next)
  } catch {
    // Not persisted; the choice still holds for this page.
  }
}

/** Translates in the current language (reading the signal, so the caller re-renders on a switch). */
export function t(key: MessageKey, params?: MessageParams): string {
  return translate(lang.value, key, params)
}

/** Keeps `<html lang>` in step, so screen readers pronounce Vietnamese as Vietnamese. */
export function syncDocumentLang(): () => void {
  return effect(() => {
    document.documentElement.lang = lang.value
  })
}
