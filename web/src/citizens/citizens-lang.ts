import { effect, signal } from '@preact/signals'
import { isPublicLang, message, type PublicLang, type PublicMessageKey } from './messages.ts'

/** The same key as the dashboard's, so a person who chose English there reads English here too. */
const STORAGE_KEY = 'ioc.lang'

function storedLang(): PublicLang {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY)
    return isPublicLang(value) ? value : 'vi'
  } catch {
    // Storage can be disabled (private mode): Vietnamese, the default, still works.
    return 'vi'
  }
}

/** The page's language: Vietnamese unless the reader chose English. */
export const publicLang = signal<PublicLang>(storedLang())

export function setPublicLang(next: PublicLang): void {
  publicLang.value = next
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next)
  } catch {
    // Not remembered; the choice still holds on this page.
  }
}

/** A message in the current language (reading the signal, so the caller re-renders on a switch). */
export function pt(key: PublicMessageKey, params?: Record<string, string | number>): string {
  return message(publicLang.value, key, params)
}

/** Keeps `<html lang>` in step, so screen readers pronounce Vietnamese as Vietnamese. */
export function syncHtmlLang(): () => void {
  return effect(() => {
    document.documentElement.lang = publicLang.value
  })
}
