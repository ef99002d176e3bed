import { floodLevelLabel, type FloodLevel, type StationView } from '@ioc/shared'
import type { MessageKey } from './i18n/messages.ts'
import { formatCm } from './i18n/format.ts'
import type { Lang } from './i18n/translate.ts'

/** A station's level for display: -1 when it has not reported yet, else 0 (below BĐ1) to 3. */
export type StationLevel = -1 | FloodLevel

export function stationLevel(station: Pick<StationView, 'latest' | 'floodLevel'>): StationLevel {
  return station.latest === null ? -1 : (station.floodLevel as FloodLevel)
}

const LEVEL_TEXT: Record<StationLevel, MessageKey> = {
  [-1]: 'level.noData',
  0: 'level.none',
  1: 'level.1',
  2: 'level.2',
  3: 'level.3',
}

/** The message that names a level in words: "Báo động 2 (BĐ2)", "Dưới BĐ1", "Chưa có số liệu". */
export function levelMessageKey(level: StationLevel): MessageKey {
  return LEVEL_TEXT[level]
}

/**
 * The short text on a station's map badge: "BĐ2 · 235 cm" at an alarm level, "85 cm" below BĐ1,
 * "–" before the first reading. "BĐ" is the bulletins' abbreviation and stays in English too.
 */
export function badgeText(station: Pick<StationView, 'latest' | 'floodLevel'>, lang: Lang): string {
  if (station.latest === null) return '–'
  const cm = formatCm(station.latest.waterLevelCm, lang)
  const label = floodLevelLabel(station.floodLevel as FloodLevel)
  return label === null ? cm : `${label} · ${cm}`
}

/** CSS-friendly name of a level: `nodata`, `0` … `3` (class `level-2`, variable `--level-2-fill`). */
export function levelSlug(level: StationLevel): string {
  return level < 0 ? 'nodata' : String(level)
}
