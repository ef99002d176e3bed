import type { CityIndicatorSeries, IndicatorDef, IndicatorHistory, IndicatorQuery, IndicatorValue, IndicatorValueList, PutIndicatorBody } from '@ioc/shared'
import { getJson, sendJson } from '../api.ts'

/** Whether the values shipped with the city pack are demo data, and what the pack says about them. */
export interface IndicatorSeedInfo {
  demo: boolean
  note: { vi: string; en: string } | null
}

export interface IndicatorDefinitions {
  definitions: IndicatorDef[]
  seed: IndicatorSeedInfo | null
}

const path = (areaId: string, key: string, period: string) =>
  `/api/indicators/${encodeURIComponent(areaId)}/${encodeURIComponent(key)}/${encodeURIComponent(period)}`

const query = (params: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined)).toString()

export const indicatorApi = {
  definitions: (signal?: AbortSignal) => getJson<IndicatorDefinitions>('/api/indicators/definitions', { signal }),

  /** Every area's values of the query (an indicator over a span of periods, say). */
  values: async (params: IndicatorQuery, signal?: AbortSignal): Promise<IndicatorValue[]> =>
    (await getJson<IndicatorValueList>(`/api/indicators?${query({ ...params })}`, { signal })).values,

  /** The city's figure per period, made by the definition's aggregate. */
  city: (params: { key: string; from: string; to: string }, signal?: AbortSignal) => getJson<CityIndicatorSeries>(`/api/indicators/city?${query(params)}`, { signal }),

  /** Enters or corrects a value; `expectedVersion` is the version the form started from (0: none). */
  put: (areaId: string, key: string, period: string, body: PutIndicatorBody) => sendJson<IndicatorValue>('PUT', path(areaId, key, period), body),

  /** Every value the period has had, newest first. */
  history: async (areaId: string, key: string, period: string, signal?: AbortSignal) =>
    (await getJson<IndicatorHistory>(`${path(areaId, key, period)}/history`, { signal })).history,
}
