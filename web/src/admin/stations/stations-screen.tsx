import type { AreaCollection, StationView } from '@ioc/shared'
import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { areaName as areaNameIn } from '../../city.ts'
import { formatCm } from '../../i18n/format.ts'
import { lang, t } from '../../i18n/lang.ts'
import { mergeStationSnapshot, store } from '../../store.ts'
import { ListLoadFailed, ListLoading } from '../load-state.tsx'
import { StationForm } from './station-form.tsx'
import { createStationsModel } from './stations-model.ts'
import { StationsTable } from './stations-table.tsx'

interface StationsScreenProps {
  areas: AreaCollection | null
}

/** The map and charts of this browser use a saved station's new levels at once, without a reload. */
function publishToMap(saved: StationView): void {
  const current = store.stations.peek()
  store.stations.value = mergeStationSnapshot(current, current.map((s) => (s.id === saved.id ? saved : s)))
}

/**
 * Which stage values are official — published by the hydro-meteorological authority (the pack's
 * `levelsSource`), like the Tam Kỳ river's — and that the others are demo values until the city sets them.
 */
function LevelsNote({ stations }: { stations: readonly StationView[] }) {
  const current = lang.value
  const official = stations
    .filter((s) => s.levelsSource === 'official')
    .map((s) => t('stations.officialItem', { station: s.name[current], bd1: formatCm(s.levels.bd1, current), bd2: formatCm(s.levels.bd2, current), bd3: formatCm(s.levels.bd3, current) }))
  return (
    <div class="levels-note" data-testid="levels-note">
      {official.length > 0 && <p>{t('stations.levelsOfficial', { list: official.join('; ') })}</p>}
      <p>{t('stations.levelsDemo')}</p>
    </div>
  )
}

/** Stations administration: each station's alarm levels (BĐ1–BĐ3), hysteresis, hold time and device limits. */
export function StationsScreen({ areas }: StationsScreenProps) {
  const model = useMemo(() => createStationsModel(), [])
  const [editing, setEditing] = useState<string | null>(null)
  const [notice, setNotice] = useState('')
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => void model.refresh(), [model])
  useEffect(() => {
    if (editing) heading.current?.focus()
  }, [editing])

  const current = lang.value
  const load = model.load.value
  const stations = model.stations.value
  const station = editing ? stations.find((s) => s.id === editing) ?? null : null

  const saved = (view: StationView) => {
    model.put(view)
    publishToMap(view)
    setEditing(null)
    setNotice(t('stations.done.saved', { station: view.name[current] }))
  }

  return (
    <section class="admin-screen" aria-labelledby="admin-title" data-testid="stations-screen">
      <div class="admin-head">
        <h1 id="admin-title" tabIndex={-1}>
          {t('stations.adminTitle')}
        </h1>
      </div>
      <p class="muted">{t('stations.intro')}</p>
      {load.status === 'ready' && <LevelsNote stations={stations} />}
      <p class="notice" role="status" data-testid="stations-notice" hidden={!notice}>
        {notice}
      </p>
      {station && (
        <section class="panel admin-panel" aria-labelledby="station-edit-title" data-testid="station-panel">
          <div class="detail-head">
            <h2 id="station-edit-title" ref={heading} tabIndex={-1}>
              {t('stationForm.title', { station: station.name[current] })}
            </h2>
            <button type="button" class="close" aria-label={t('common.close')} onClick={() => setEditing(null)}>
              ×
            </button>
          </div>
          <StationForm key={station.id} station={station} onSaved={saved} onCancel={() => setEditing(null)} />
        </section>
      )}
      {load.status === 'loading' && <ListLoading text={t('stations.loading')} />}
      {load.status === 'error' && <ListLoadFailed failure={load.failure} onRetry={() => void model.refresh()} />}
      {load.status === 'ready' &&
        (stations.length === 0 ? (
          <p>{t('stations.empty')}</p>
        ) : (
          <StationsTable
            stations={stations}
            editing={editing}
            areaName={(code) => areaNameIn(areas, code, current)}
            onEdit={(s) => {
              setNotice('')
              setEditing(s.id)
            }}
          />
        ))}
    </section>
  )
}
