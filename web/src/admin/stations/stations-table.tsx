import type { StationView } from '@ioc/shared'
import { lang, t } from '../../i18n/lang.ts'
import { LOCALE } from '../../i18n/translate.ts'

interface StationsTableProps {
  stations: readonly StationView[]
  editing: string | null
  areaName: (code: string) => string
  onEdit: (station: StationView) => void
}

/** Every station with the settings the alarm engine judges it by; on a phone each row becomes a card. */
export function StationsTable({ stations, editing, areaName, onEdit }: StationsTableProps) {
  const current = lang.value
  const col = {
    name: t('stations.col.name'),
    area: t('stations.col.area'),
    bd1: t('stations.col.bd1'),
    bd2: t('stations.col.bd2'),
    bd3: t('stations.col.bd3'),
    hysteresis: t('stations.col.hysteresis'),
    hold: t('stations.col.hold'),
    rise: t('stations.col.rise'),
    silent: t('stations.col.silent'),
    battery: t('stations.col.battery'),
    maxChange: t('stations.col.maxChange'),
    actions: t('users.col.actions'),
  }
  // The units are in the column headings, so the cells carry bare numbers and the table stays narrow.
  const format = new Intl.NumberFormat(LOCALE[current], { maximumFractionDigits: 1, useGrouping: false })
  const n = (value: number) => format.format(value)
  return (
    <div class="table-wrap">
      <table class="data-table stations-table stacking" data-testid="stations-table">
        <thead>
          <tr>
            <th scope="col">{col.name}</th>
            <th scope="col">{col.area}</th>
            <th scope="col" class="num">{col.bd1}</th>
            <th scope="col" class="num">{col.bd2}</th>
            <th scope="col" class="num">{col.bd3}</th>
            <th scope="col" class="num">{col.hysteresis}</th>
            <th scope="col" class="num">{col.hold}</th>
            <th scope="col" class="num">{col.rise}</th>
            <th scope="col" class="num">{col.silent}</th>
            <th scope="col" class="num">{col.battery}</th>
            <th scope="col" class="num">{col.maxChange}</th>
            <th scope="col">
              <span class="visually-hidden">{col.actions}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {stations.map((station) => {
            const s = station.alarmSettings
            const name = station.name[current]
            return (
              <tr key={station.id} data-station={station.id} aria-current={editing === station.id ? 'true' : undefined}>
                <th scope="row" data-label={col.name}>
                  <span>
                    {name}{' '}
                    <span class={`badge ${station.levelsSource === 'official' ? 'badge-on' : 'badge-wait'}`}>
                      {t(station.levelsSource === 'official' ? 'stations.source.official' : 'stations.source.demo')}
                    </span>
                  </span>
                </th>
                <td data-label={col.area}>{areaName(station.areaCode)}</td>
                <td class="num" data-label={col.bd1}>{n(s.levels.bd1)}</td>
                <td class="num" data-label={col.bd2}>{n(s.levels.bd2)}</td>
                <td class="num" data-label={col.bd3}>{n(s.levels.bd3)}</td>
                <td class="num" data-label={col.hysteresis}>{n(s.hysteresisCm)}</td>
                <td class="num" data-label={col.hold}>{n(s.holdMinutes)}</td>
                <td class="num" data-label={col.rise}>
                  <span>
                    {n(s.riseCmPerHour)}
                    <span class="cell-note">{t('stations.riseWindow', { minutes: n(s.riseWindowMinutes) })}</span>
                  </span>
                </td>
                <td class="num" data-label={col.silent}>
                  <span>
                    {n((s.silentAfterIntervals * station.expectedIntervalS) / 60)}
                    <span class="cell-note">{t('stations.silentIntervals', { count: s.silentAfterIntervals })}</span>
                  </span>
                </td>
                <td class="num" data-label={col.battery}>{n(s.lowBatteryPct)}</td>
                <td class="num" data-label={col.maxChange}>{n(s.maxChangeCmPerMinute)}</td>
                <td class="row-actions">
                  <button type="button" class="secondary small" aria-label={t('stations.editOf', { station: name })} onClick={() => onEdit(station)}>
                    {t('users.edit')}
                  </button>
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
