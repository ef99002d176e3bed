import { signal } from '@preact/signals'
import type { StationView } from '@ioc/shared'
import { ApiRequestError, type ApiFailure } from '../../api.ts'
import { stationsApi, type StationsApi } from './stations-api.ts'

export type StationsLoad = { status: 'loading' } | { status: 'ready' } | { status: 'error'; failure: ApiFailure }

/** The stations of the admin screen, in the city pack's order, kept in step with what the admin saves. */
export function createStationsModel(api: Pick<StationsApi, 'list'> = stationsApi) {
  const model = {
    stations: signal<readonly StationView[]>([]),
    load: signal<StationsLoad>({ status: 'loading' }),

    async refresh(): Promise<void> {
      if (model.stations.peek().length === 0) model.load.value = { status: 'loading' }
      try {
        model.stations.value = await api.list()
        model.load.value = { status: 'ready' }
      } catch (error) {
        if (!(error instanceof ApiRequestError)) throw error
        model.load.value = { status: 'error', failure: error.failure }
      }
    },

    /** One station as the server now has it. */
    put(station: StationView): void {
      model.stations.value = model.stations.peek().map((s) => (s.id === station.id ? station : s))
    },
  }
  return model
}
