import type { IndicatorValue } from '@ioc/shared'

/** Every value the page holds, by area, indicator and period (`valueKey`). */
export type IndicatorValues = ReadonlyMap<string, IndicatorValue>

export const valueKey = (areaId: string, key: string, period: string): string => `${areaId}|${key}|${period}`

/**
 * The values after some arrived (a fetch, a save's answer, an `indicator:updated` event): each
 * replaces the one held only when its version is newer, so a late event or a slow fetch never takes a
 * value back. Returns the same map when nothing changed, so subscribers are not woken for nothing.
 */
export function mergeIndicatorValues(current: IndicatorValues, incoming: Iterable<IndicatorValue>): IndicatorValues {
  let next: Map<string, IndicatorValue> | null = null
  for (const value of incoming) {
    const id = valueKey(value.areaId, value.key, value.period)
    const held = (next ?? current).get(id)
    if (held && held.version >= value.version) continue
    next ??= new Map(current)
    next.set(id, value)
  }
  return next ?? current
}
