import {
  aggregateIndicator,
  checkIndicatorValue,
  FIRST_PERIOD_YEAR,
  firstPeriod,
  isPeriodOf,
  periodOf,
  type CityIndicatorSeries,
  type IndicatorDef,
  type IndicatorValue,
  type PutIndicatorBody,
  type ValueRefusal,
} from '@ioc/shared'
import { Conflict, InvalidRequest, NotFound } from '../../../domain-errors.ts'
import type { DomainEvents } from '../events/domain-events.ts'
import type { IndicatorsRepository } from './indicators.repository.ts'

export type PutOutcome =
  | { kind: 'saved'; value: IndicatorValue }
  | { kind: 'refused'; reason: ValueRefusal; message: string; min: number; max: number }
  | { kind: 'conflict'; current: IndicatorValue }

export interface IndicatorsDeps {
  repo: IndicatorsRepository
  definitions: readonly IndicatorDef[]
  areaIds: ReadonlySet<string>
  /** The city's time zone: which month or quarter "now" is. */
  timeZone: string
  /** Where `indicator.updated` goes once a value is saved (realtime sends it to the staff's dashboards). */
  events: Pick<DomainEvents, 'emit'>
  now?: () => number
}

const REFUSAL_TEXT: Record<ValueRefusal, (def: IndicatorDef) => string> = {
  not_a_number: () => 'the value is not a number',
  below_min: (def) => `the value is below ${def.min}, the smallest this indicator allows`,
  above_max: (def) => `the value is above ${def.max}, the largest this indicator allows`,
  not_integer: () => 'this indicator takes whole numbers only',
  bad_period: (def) => `the period must be ${def.period === 'month' ? 'a month, YYYY-MM' : 'a quarter, YYYY-Qn'}`,
  early_period: (def) => `the period is before ${firstPeriod(def.period)}, the first one values are entered for (a year before ${FIRST_PERIOD_YEAR} is most likely a typing slip)`,
  future_period: () => 'the period has not begun yet',
}

/** Area indicators: definitions from the city pack, values with their history, city figures. */
export function createIndicatorsService(deps: IndicatorsDeps) {
  const now = deps.now ?? Date.now
  const byKey = new Map(deps.definitions.map((d) => [d.key, d]))

  function definition(key: string): IndicatorDef {
    const def = byKey.get(key)
    if (!def) throw new NotFound(`no indicator "${key}" in this city's pack`)
    return def
  }
  function area(areaId: string): void {
    if (!deps.areaIds.has(areaId)) throw new NotFound(`no ward or commune "${areaId}" (see GET /api/areas)`)
  }

  return {
    definitions: () => deps.definitions,
    definition,

    /** Sets a value (and publishes `indicator.updated`), refused by the definition's rules or on a version conflict (see the repository). */
    async put(areaId: string, key: string, period: string, body: PutIndicatorBody, by: string): Promise<PutOutcome> {
      area(areaId)
      const def = definition(key)
      const refusal = checkIndicatorValue(def, period, body.value, periodOf(def.period, now(), deps.timeZone))
      if (refusal) return { kind: 'refused', reason: refusal, message: REFUSAL_TEXT[refusal](def), min: def.min, max: def.max }
      const note = body.note?.normalize('NFC').trim() || null
      const result = await deps.repo.put({ areaId, key, period, value: body.value, note, by, expectedVersion: body.expectedVersion, at: now() })
      if (result.ok) {
        deps.events.emit('indicator.updated', result.value)
        return { kind: 'saved', value: result.value }
      }
      if (!result.current) throw new Conflict(`there is no value yet for ${key} ${period}: send expectedVersion 0`)
      return { kind: 'conflict', current: result.current }
    },

    async history(areaId: string, key: string, period: string) {
      area(areaId)
      const def = definition(key)
      if (!isPeriodOf(def.period, period)) throw new InvalidRequest(REFUSAL_TEXT.bad_period(def))
      return deps.repo.history(areaId, key, period)
    },

    /** The city's figure per period between `from` and `to`: the definition's aggregate of the areas' values. */
    async citySeries(key: string, from: string | undefined, to: string | undefined): Promise<CityIndicatorSeries> {
      const def = definition(key)
      const range = { ...(from !== undefined && { from }), ...(to !== undefined && { to }) }
      const values = await deps.repo.list({ key, ...range })
      const weights = def.aggregate === 'weighted_mean' && def.weightKey ? await deps.repo.list({ key: def.weightKey, ...range }) : []
      const byPeriod = new Map<string, Map<string, number>>()
      for (const v of values) byPeriod.set(v.period, (byPeriod.get(v.period) ?? new Map()).set(v.areaId, v.value))
      const weightsByPeriod = new Map<string, Map<string, number>>()
      for (const w of weights) weightsByPeriod.set(w.period, (weightsByPeriod.get(w.period) ?? new Map()).set(w.areaId, w.value))
      const points = [...byPeriod.keys()].sort().map((period) => {
        const areaValues = byPeriod.get(period)!
        return { period, value: aggregateIndicator(def, areaValues, weightsByPeriod.get(period)), areasReporting: areaValues.size }
      })
      return { key, points }
    },
  }
}
export type IndicatorsService = ReturnType<typeof createIndicatorsService>
