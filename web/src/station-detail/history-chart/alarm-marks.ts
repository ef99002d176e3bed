import { floodLevelLabel, type AlarmView, type FloodLevel } from '@ioc/shared'
import { alarmTypeKey } from '../../alarms/alarm-text.ts'
import { translate, type Lang } from '../../i18n/translate.ts'
import type { TimeWindow } from './history-range.ts'

/** One alarm drawn on the chart: a vertical line at the time it was raised. */
export interface AlarmMark {
  id: number
  atMs: number
  /** "BĐ2" for a flood alarm (the level it was raised at), the type in words for the others. */
  label: string
  /** Flood level 1–3 for the colour; null for other types. */
  level: FloodLevel | null
}

/**
 * The alarms raised inside the window, oldest first, one mark each: the station's alarm history, plus
 * the open alarms the store holds (an alarm raised after the history was fetched), the newer copy of
 * an alarm winning.
 */
export function alarmMarks(history: readonly AlarmView[], open: readonly AlarmView[], window: TimeWindow, lang: Lang): AlarmMark[] {
  const byId = new Map<number, AlarmView>()
  for (const alarm of [...history, ...open]) {
    const seen = byId.get(alarm.id)
    if (!seen || Date.parse(alarm.updatedAt) >= Date.parse(seen.updatedAt)) byId.set(alarm.id, alarm)
  }
  const marks: AlarmMark[] = []
  for (const alarm of byId.values()) {
    const atMs = Date.parse(alarm.raisedAt)
    if (!(atMs >= window.fromMs && atMs <= window.toMs)) continue
    const level = alarm.type === 'flood_level' && alarm.raisedLevel !== null ? (alarm.raisedLevel as FloodLevel) : null
    const label = level !== null ? (floodLevelLabel(level) ?? '') : translate(lang, alarmTypeKey(alarm))
    marks.push({ id: alarm.id, atMs, label, level })
  }
  return marks.sort((a, b) => a.atMs - b.atMs || a.id - b.id)
}
