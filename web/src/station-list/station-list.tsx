import type { StationView } from '@ioc/shared'
import { formatCm } from '../i18n/format.ts'
import { lang, t } from '../i18n/lang.ts'
import { localized } from '../i18n/translate.ts'
import { levelMessageKey, levelSlug, stationLevel } from '../levels.ts'
import type { Selection } from '../store.ts'
import { sortStations } from './sort-stations.ts'

interface StationListProps {
  stations: readonly StationView[]
  selection: Selection
  onSelect: (id: string) => void
}

/**
 * Every station with its level in words and its water level: the keyboard and screen-reader way to
 * reach stations, and what the end-to-end tests read (`data-station-id`, `data-level`).
 */
export function StationList({ stations, selection, onSelect }: StationListProps) {
  const current = lang.value
  const sorted = sortStations(stations, current)
  return (
    <section class="panel station-list" aria-labelledby="station-list-title" id="stations">
      <h2 id="station-list-title">{t('stations.title')}</h2>
      {sorted.length === 0 ? (
        <p class="muted">{t('stations.empty')}</p>
      ) : (
        <ul>
          {sorted.map((station) => {
            const level = stationLevel(station)
            const selected = selection?.kind === 'station' && selection.id === station.id
            return (
              <li key={station.id} data-station-id={station.id} data-level={level}>
                <button type="button" aria-current={selected ? 'true' : undefined} onClick={() => onSelect(station.id)}>
                  <span class={`level-mark level-${levelSlug(level)}`} aria-hidden="true" />
                  <span class="item-name">{localized(station.name, current)}</span>
                  <span class="item-state">{t(levelMessageKey(level))}</span>
                  <span class="item-value">{station.latest ? formatCm(station.latest.waterLevelCm, current) : '–'}</span>
                </button>
              </li>
            )
          })}
        </ul>
      )}
    </section>
  )
}
