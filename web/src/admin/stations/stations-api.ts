import type { StationView, UpdateStationBody } from '@ioc/shared'
import { getJson, sendJson } from '../../api.ts'

/** Stations and their alarm settings (changing them needs `city:manage`); every failure is an `ApiRequestError`. */
export const stationsApi = {
  list: () => getJson<StationView[]>('/api/stations'),
  update: (id: string, body: UpdateStationBody) => sendJson<StationView>('PATCH', `/api/stations/${encodeURIComponent(id)}`, body),
}
export type StationsApi = typeof stationsApi
