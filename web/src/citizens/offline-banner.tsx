import { pt, publicLang } from './citizens-lang.ts'
import { clockTime } from '../i18n/time-ago.ts'

const DAY_MS = 86_400_000

/** "14:05", or "14:05 05/12" when the figures are from another day: the reader must see how old they are. */
function whenTaken(ms: number, nowMs: number, lang: 'vi' | 'en', timeZone: string): string {
  const clock = clockTime(ms, lang, timeZone)
  if (nowMs - ms < DAY_MS / 2) return clock
  const day = new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { timeZone, day: '2-digit', month: '2-digit' }).format(ms)
  return `${clock} ${day}`
}

/**
 * The page could not reach the server: what it shows is the last it had, and it says so first, with
 * the time of those figures — never passed off as the current level. An alert, so a screen reader
 * says it on arrival; it goes away by itself once the page hears from the server again.
 */
export function OfflineBanner({ updatedAt, nowMs, timeZone }: { updatedAt: number | null; nowMs: number; timeZone: string }) {
  const lang = publicLang.value
  return (
    <div class="offline-banner" role="alert" data-testid="offline-banner">
      <p class="offline-title">{pt('offline.banner', { time: updatedAt === null ? '—' : whenTaken(updatedAt, nowMs, lang, timeZone) })}</p>
      <p>{pt('offline.detail')}</p>
    </div>
  )
}
