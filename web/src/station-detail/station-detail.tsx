import type { AlarmView, AreaCollection, StationView } from '@ioc/shared'
import { areaName } from '../city.ts'
import { formatCm, formatDateTime, formatQuantity } from '../i18n/format.ts'
import { lang, t } from '../i18n/lang.ts'
import { formatRelative } from '../i18n/relative-time.ts'
import { localized } from '../i18n/translate.ts'
import { levelMessageKey, levelSlug, stationLevel } from '../levels.ts'
import { DetailHeader } from './detail-header.tsx'
import { ForecastNote } from './forecast-note.tsx'
import { StationHistory } from './history-chart/station-history.tsx'

interface StationDetailProps {
  station: StationView
  areas: AreaCollection | null
  timeZone: string
  now: number
  /** Changes when live events may have been missed; the history chart then fetches its range again. */
  resyncs: number
  /** This station's open alarms from the store: the chart marks one raised after its history was fetched. */
  openAlarms: readonly AlarmView[]
  onClose: () => void
}

const ALARMS = [
  { key: 'bd1', label: 'BĐ1', level: 1 },
  { key: 'bd2', label: 'BĐ2', level: 2 },
  { key: 'bd3', label: 'BĐ3', level: 3 },
] as const

/**
 * Side panel of one station: where it is, where the water stands against its alarm levels, and since
 * when — and whether the alarm engine holds that reading as suspect (a jump the water cannot make,
 * waiting for the next reading to confirm it), so nobody acts on a sensor's glitch.
 */
export function StationDetail({ station, areas, timeZone, now, resyncs, openAlarms, onClose }: StationDetailProps) {
  const current = lang.value
  const level = stationLevel(station)
  const latest = station.latest
  return (
    <section class="panel detail" data-testid="station-detail" data-detail-id={station.id} data-level={level} aria-labelledby="detail-title">
      <DetailHeader title={localized(station.name, current)} onClose={onClose} />
      <p class={`level-banner level-${levelSlug(level)}`}>
        <span class="level-banner-state">{t(levelMessageKey(level))}</span>
        <span class="level-banner-value" aria-label={t('detail.current')}>
          {latest ? formatCm(latest.waterLevelCm, current) : '–'}
          {latest?.suspect && (
            <span class="tag suspect-tag" data-testid="suspect-tag">
              {t('detail.suspect')}
            </span>
          )}
        </span>
      </p>
      <ForecastNote forecast={station.forecast} now={now} timeZone={timeZone} />
      {latest?.suspect && (
        <p class="suspect-note" role="status" data-testid="suspect-note">
          <strong>{t('detail.suspectNote')}</strong> {t('detail.suspectHint')}
        </p>
      )}
      <dl class="facts">
        <dt>{t('detail.place')}</dt>
        <dd>
          {localized(station.place, current)}
          {station.approximateLocation && <span class="tag">{t('detail.approxLocation')}</span>}
        </dd>
        <dt>{t('detail.area')}</dt>
        <dd>{areaName(areas, station.areaCode, current)}</dd>
        <dt>{t('detail.lastReading')}</dt>
        <dd>
          {latest ? (
            <>
              <time dateTime={latest.ts}>{formatDateTime(latest.ts, current, timeZone)}</time>
              <span class="muted"> · {formatRelative(Date.parse(latest.ts), now, current)}</span>
            </>
          ) : (
            t('detail.noReading')
          )}
        </dd>
        {latest?.rainfallMm !== undefined && (
          <>
            <dt>{t('detail.rainfall')}</dt>
            <dd>{formatQuantity(latest.rainfallMm, 'mm', current)}</dd>
          </>
        )}
        {latest?.batteryPct !== undefined && (
          <>
            <dt>{t('detail.battery')}</dt>
            <dd>{formatQuantity(latest.batteryPct, '%', current)}</dd>
          </>
        )}
      </dl>
      <StationHistory station={station} timeZone={timeZone} now={now} resyncs={resyncs} openAlarms={openAlarms} />
      <h3>{t('detail.levels')}</h3>
      <table class="alarm-levels">
        <tbody>
          {ALARMS.map((alarm) => (
            <tr key={alarm.key} class={level >= alarm.level ? `reached level-${alarm.level}` : undefined}>
              <th scope="row">
                <span class={`level-mark level-${alarm.level}`} aria-hidden="true" /> {alarm.label}
              </th>
              <td>{formatCm(station.levels[alarm.key], current)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class={station.levelsSource === 'demo' ? 'levels-source demo' : 'levels-source'}>
        {station.levelsSource === 'demo' ? t('detail.levelsDemo') : t('detail.levelsOfficial')}
        {station.levelsSource === 'official' && current === 'en' && station.levelsNote ? `: ${station.levelsNote}` : ''}
      </p>
    </section>
  )
}
