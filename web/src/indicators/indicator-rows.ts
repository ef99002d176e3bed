import { periodsEnding, shiftPeriod, type AreaCollection, type IndicatorDef, type IndicatorValue } from '@ioc/shared'
import { LOCALE, type Lang } from '../i18n/translate.ts'
import { valueKey, type IndicatorValues } from './indicator-values.ts'

/** Periods each sparkline and the trend chart show, ending with the chosen one. */
export const TREND_PERIODS = 12

/**
 * A change from the previous period: its direction (▲▼ in the table) and whether it is for the
 * better by the indicator's `better`; a neutral indicator's changes are neither.
 */
export interface Change {
  delta: number
  direction: 'up' | 'down' | 'same'
  judgement: 'better' | 'worse' | 'same' | 'neutral'
}

export function changeOf(current: number | null, previous: number | null, better: IndicatorDef['better']): Change | null {
  if (current === null || previous === null) return null
  const delta = current - previous
  const direction = delta > 0 ? 'up' : delta < 0 ? 'down' : 'same'
  if (direction === 'same') return { delta, direction, judgement: 'same' }
  if (better === 'neutral') return { delta, direction, judgement: 'neutral' }
  return { delta, direction, judgement: (direction === 'up') === (better === 'higher') ? 'better' : 'worse' }
}

export interface IndicatorRow {
  areaId: string
  name: string
  value: IndicatorValue | null
  previous: number | null
  change: Change | null
  /** The last `TREND_PERIODS` values, oldest first; null where a period has none. */
  trend: Array<number | null>
}

/** One row per area of the pack for an indicator and period, in the pack's order. */
export function indicatorRows(areas: AreaCollection, values: IndicatorValues, def: IndicatorDef, period: string, lang: Lang): IndicatorRow[] {
  const periods = periodsEnding(period, TREND_PERIODS)
  const previousPeriod = shiftPeriod(period, -1)
  return areas.features.map(({ properties: area }) => {
    const at = (p: string) => values.get(valueKey(area.code, def.key, p)) ?? null
    const value = at(period)
    const previous = at(previousPeriod)?.value ?? null
    return {
      areaId: area.code,
      name: lang === 'vi' ? area.nameVi : area.nameEn,
      value,
      previous,
      change: changeOf(value?.value ?? null, previous, def.better),
      trend: periods.map((p) => at(p)?.value ?? null),
    }
  })
}

export type SortColumn = 'area' | 'value' | 'change'
export interface Sort {
  column: SortColumn
  direction: 'ascending' | 'descending'
}

/** Rows sorted by a column; areas without a value (or a change) always last, whichever the direction. */
export function sortRows(rows: readonly IndicatorRow[], sort: Sort, lang: Lang): IndicatorRow[] {
  const collator = new Intl.Collator(LOCALE[lang])
  const sign = sort.direction === 'ascending' ? 1 : -1
  const number = (row: IndicatorRow): number | null => (sort.column === 'value' ? (row.value?.value ?? null) : (row.change?.delta ?? null))
  return [...rows].sort((a, b) => {
    if (sort.column === 'area') return sign * collator.compare(a.name, b.name)
    const x = number(a)
    const y = number(b)
    if (x === null || y === null) return x === y ? collator.compare(a.name, b.name) : x === null ? 1 : -1
    return sign * (x - y) || collator.compare(a.name, b.name)
  })
}

/** The next sort after a click on a column's header: the other direction on the same column, else a fresh one. */
export function nextSort(current: Sort, column: SortColumn): Sort {
  if (current.column === column) return { column, direction: current.direction === 'ascending' ? 'descending' : 'ascending' }
  return { column, direction: column === 'area' ? 'ascending' : 'descending' }
}
