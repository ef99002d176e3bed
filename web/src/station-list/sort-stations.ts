import type { StationView } from '@ioc/shared'
import { stationLevel } from '../levels.ts'
import { LOCALE, localized, type Lang } from '../i18n/translate.ts'

/** Highest alarm level first (stations without data last), then by name in the reader's language. */
export function sortStations(stations: readonly StationView[], lang: Lang): StationView[] {
  const collator = new Intl.Collator(LOCALE[lang])
  return [...stations].sort(
    (a, b) => stationLevel(b) - stationLevel(a) || collator.compare(localized(a.name, lang), localized(b.name, lang)),
  )
}
