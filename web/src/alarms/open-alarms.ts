import type { AlarmView } from '@ioc/shared'

/** The three alarm events of the socket contract, by what they do to the list of open alarms. */
export type AlarmEventKind = 'raised' | 'updated' | 'cleared'

const timeOf = (iso: string): number => {
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? -Infinity : ms
}

/** Whether `candidate` is at least as recent as `current` (an equal time replaces: the server re-sent it). */
const isNewer = (candidate: AlarmView, current: AlarmView | undefined): boolean =>
  current === undefined || timeOf(candidate.updatedAt) >= timeOf(current.updatedAt)

/** Not yet acknowledged by anyone: marked in the panel and pulsing on the map until someone is. */
export const isUnacknowledged = (alarm: AlarmView): boolean => alarm.state === 'active' && alarm.acknowledged === null

/**
 * The open alarms after one event: raised and updated replace the alarm with the same id (or add it),
 * cleared removes it. An event older than the alarm already held (by `updatedAt`) changes nothing, and
 * neither does an update that clears. Returns the same array when nothing changed.
 */
export function applyAlarmEvent(alarms: readonly AlarmView[], kind: AlarmEventKind, alarm: AlarmView): readonly AlarmView[] {
  const index = alarms.findIndex((a) => a.id === alarm.id)
  const held = index < 0 ? undefined : alarms[index]
  if (!isNewer(alarm, held)) return alarms
  if (kind === 'cleared' || alarm.state === 'cleared') return index < 0 ? alarms : alarms.filter((_, i) => i !== index)
  if (index < 0) return [...alarms, alarm]
  const next = alarms.slice()
  next[index] = alarm
  return next
}

/**
 * Whether an event calls for the sound cue: a flood alarm newly raised at BĐ3, or one that escalated to
 * BĐ3 from a lower level. An acknowledgement of an alarm already at BĐ3 is not new.
 */
export function isNewTopLevel(kind: AlarmEventKind, alarm: AlarmView, before: AlarmView | undefined): boolean {
  if (alarm.type !== 'flood_level' || alarm.level !== 3 || alarm.state === 'cleared') return false
  if (kind === 'raised') return before === undefined
  return kind === 'updated' && before !== undefined && (before.level ?? 0) < 3
}

/**
 * A fresh `GET /api/alarms?state=active` merged with what the socket said while it was in flight:
 * alarms an event touched meanwhile (`touched`) keep what the events made of them, unless the snapshot
 * is newer; every other alarm is as the snapshot says (one missing from it was cleared).
 */
export function mergeAlarmSnapshot(current: readonly AlarmView[], fresh: readonly AlarmView[], touched: ReadonlySet<number>): AlarmView[] {
  const mine = new Map(current.map((a) => [a.id, a]))
  const merged: AlarmView[] = []
  for (const alarm of fresh) {
    if (!touched.has(alarm.id)) {
      merged.push(alarm)
      continue
    }
    const held = mine.get(alarm.id)
    // Touched and gone from the list: an event cleared it, and a cleared alarm never opens again.
    if (held === undefined) continue
    merged.push(isNewer(alarm, held) ? alarm : held)
  }
  const inFresh = new Set(fresh.map((a) => a.id))
  for (const alarm of current) {
    if (touched.has(alarm.id) && !inFresh.has(alarm.id)) merged.push(alarm)
  }
  return merged.filter((a) => a.state !== 'cleared')
}

/** Most urgent first (severity), then the newest raised; the id settles ties so the order never jumps. */
export function sortAlarms(alarms: readonly AlarmView[]): AlarmView[] {
  return [...alarms].sort((a, b) => b.severity - a.severity || timeOf(b.raisedAt) - timeOf(a.raisedAt) || b.id - a.id)
}
