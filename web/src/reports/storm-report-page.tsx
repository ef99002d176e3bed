import type { AreaCollection, CameraView, StormReport, StormReportAlarm, StormReportStation } from '@ioc/shared'
import { useEffect, useState } from 'preact/hooks'
import { alarmTypeKey } from '../alarms/alarm-text.ts'
import { ApiRequestError, type ApiFailure } from '../api.ts'
import { areaName } from '../city.ts'
import { formatCm, formatDateTime } from '../i18n/format.ts'
import { lang, t } from '../i18n/lang.ts'
import { localized } from '../i18n/translate.ts'
import { LoadError } from '../ui/load-error.tsx'
import { fetchStormReport, stormReportCsvHref } from './report-api.ts'
import { formatDuration, fromLocalInput, lastHours, PRESETS, toLocalInput, windowProblem, type ReportWindow } from './report-window.ts'

interface StormReportPageProps {
  cityName: string
  timeZone: string
  areas: AreaCollection
  cameras: readonly CameraView[]
}

type Load = { status: 'loading' } | { status: 'ready'; report: StormReport } | { status: 'error'; failure: ApiFailure }

const LEVELS = [1, 2, 3] as const
const levelText = (level: number) => (level === 0 ? t('report.col.below') : `BĐ${level}`)

/**
 * The after-storm report: pick a window (the last 24 h at first), read per station its peak, time at
 * each BĐ level and missing readings, the alarms with who acknowledged them and how long each waited,
 * per area its stations; print it on A4 or download it as CSV. Printing leaves out everything but the
 * report (storm-report.css).
 */
export function StormReportPage({ cityName, timeZone, areas, cameras }: StormReportPageProps) {
  const [window, setWindow] = useState<ReportWindow>(() => lastHours(24, Date.now()))
  const [draft, setDraft] = useState(() => ({ from: toLocalInput(window.fromMs, timeZone), to: toLocalInput(window.toMs, timeZone) }))
  const [problem, setProblem] = useState<ReturnType<typeof windowProblem>>(null)
  const [load, setLoad] = useState<Load>({ status: 'loading' })
  const [attempt, setAttempt] = useState(0)
  const current = lang.value

  useEffect(() => {
    const controller = new AbortController()
    setLoad({ status: 'loading' })
    fetchStormReport(window, controller.signal).then(
      (report) => setLoad({ status: 'ready', report }),
      (error: unknown) => {
        if (controller.signal.aborted) return
        if (!(error instanceof ApiRequestError)) throw error
        setLoad({ status: 'error', failure: error.failure })
      },
    )
    return () => controller.abort()
  }, [window, attempt])

  const choose = (next: ReportWindow) => {
    setProblem(null)
    setDraft({ from: toLocalInput(next.fromMs, timeZone), to: toLocalInput(next.toMs, timeZone) })
    setWindow(next)
  }
  const submit = (event: Event) => {
    event.preventDefault()
    const fromMs = fromLocalInput(draft.from, timeZone)
    const toMs = fromLocalInput(draft.to, timeZone)
    const next = fromMs === null || toMs === null ? null : { fromMs, toMs }
    const why = windowProblem(next)
    setProblem(why)
    if (!why && next) setWindow(next)
  }
  const when = (iso: string) => formatDateTime(iso, current, timeZone)
  const windowText = t('report.windowText', { from: when(new Date(window.fromMs).toISOString()), to: when(new Date(window.toMs).toISOString()) })

  return (
    <main class="report" data-testid="storm-report">
      <section class="report-sheet" aria-labelledby="report-title">
        <div class="report-head">
          <div>
            <p class="report-city">{cityName}</p>
            <h1 id="report-title" tabIndex={-1}>
              {t('report.title')}
            </h1>
            <p class="report-window-text" data-testid="report-window-text">
              {windowText}
            </p>
          </div>
          <div class="report-actions">
            <button type="button" class="secondary" onClick={() => globalThis.print()} disabled={load.status !== 'ready'} data-testid="report-print">
              {t('report.print')}
            </button>
            <a class="secondary button-link" href={stormReportCsvHref(window, current)} download data-testid="report-csv">
              {t('report.csv')}
            </a>
          </div>
        </div>

        <form class="report-picker" onSubmit={submit} aria-label={t('report.window')} noValidate>
          <div class="report-presets" role="group" aria-label={t('report.presets')}>
            {PRESETS.map((preset) => (
              <button key={preset.hours} type="button" class="secondary" onClick={() => choose(lastHours(preset.hours, Date.now()))}>
                {t(preset.label)}
              </button>
            ))}
          </div>
          <div class="report-range">
            <div class="field">
              <label for="report-from">{t('report.from')}</label>
              <input id="report-from" type="datetime-local" value={draft.from} onInput={(e) => setDraft({ ...draft, from: e.currentTarget.value })} data-testid="report-from" />
            </div>
            <div class="field">
              <label for="report-to">{t('report.to')}</label>
              <input id="report-to" type="datetime-local" value={draft.to} onInput={(e) => setDraft({ ...draft, to: e.currentTarget.value })} data-testid="report-to" />
            </div>
            <button type="submit" class="primary" data-testid="report-make">
              {t('report.make')}
            </button>
          </div>
          <p class="muted report-zone">{t('report.localTime', { zone: timeZone })}</p>
          {problem && (
            <p class="form-error" role="alert" data-testid="report-problem">
              {t(problem)}
            </p>
          )}
        </form>

        {load.status === 'loading' && (
          <div class="state-message" role="status" data-testid="report-loading">
            <span class="spinner" aria-hidden="true" />
            {t('report.loading')}
          </div>
        )}
        {load.status === 'error' && <LoadError failure={load.failure} onRetry={() => setAttempt((n) => n + 1)} />}
        {load.status === 'ready' && <ReportBody report={load.report} areas={areas} cameras={cameras} timeZone={timeZone} />}
      </section>
    </main>
  )
}

function ReportBody({ report, areas, cameras, timeZone }: { report: StormReport; areas: AreaCollection; cameras: readonly CameraView[]; timeZone: string }) {
  const current = lang.value
  const when = (iso: string) => formatDateTime(iso, current, timeZone)
  const stationsById = new Map(report.stations.map((s) => [s.id, s]))
  const sourceName = (alarm: StormReportAlarm) => {
    if (alarm.source.kind === 'station') {
      const station = stationsById.get(alarm.source.id)
      return station ? localized(station.name, current) : alarm.source.id
    }
    const camera = cameras.find((c) => c.id === alarm.source.id)
    return camera ? localized(camera.name, current) : alarm.source.id
  }
  const { summary } = report
  return (
    <div class="report-body" data-testid="report-body">
      <p class="muted report-generated">{t('report.generated', { at: when(report.generatedAt) })}</p>
      {report.rawReadingsFrom && (
        <p class="report-note" data-testid="report-raw-from">
          {t('report.rawFrom', { at: when(report.rawReadingsFrom) })}
        </p>
      )}

      <h2>{t('report.summary')}</h2>
      <dl class="report-summary" data-testid="report-summary">
        {LEVELS.map((level) => (
          <div key={level} class={`report-stat level-${level}`}>
            <dt>{t('report.summary.reached', { level: `BĐ${level}` })}</dt>
            <dd>{summary.stationsReached[`bd${level}`]}</dd>
          </div>
        ))}
        <div class="report-stat">
          <dt>{t('report.summary.alarms')}</dt>
          <dd>{summary.alarms}</dd>
        </div>
        <div class="report-stat">
          <dt>{t('report.summary.acknowledged')}</dt>
          <dd>{summary.acknowledged}</dd>
        </div>
        <div class="report-stat">
          <dt>{t('report.summary.medianWait')}</dt>
          <dd>{summary.medianAckWaitS === null ? '—' : formatDuration(summary.medianAckWaitS, current)}</dd>
        </div>
      </dl>

      <h2>{t('report.stations')}</h2>
      <div class="table-wrap">
        <table class="data-table report-table stacking" data-testid="report-stations">
          <thead>
            <tr>
              <th scope="col">{t('report.col.station')}</th>
              <th scope="col">{t('report.col.peak')}</th>
              <th scope="col">{t('report.col.peakAt')}</th>
              <th scope="col">{t('report.col.below')}</th>
              {LEVELS.map((level) => (
                <th key={level} scope="col">
                  BĐ{level}
                </th>
              ))}
              <th scope="col">{t('report.col.noData')}</th>
              <th scope="col">{t('report.col.readings')}</th>
              <th scope="col">{t('report.col.missing')}</th>
              <th scope="col">{t('report.col.longestGap')}</th>
            </tr>
          </thead>
          <tbody>
            {report.stations.map((station) => (
              <StationRow key={station.id} station={station} areas={areas} when={when} />
            ))}
          </tbody>
        </table>
      </div>

      <h2>{t('report.alarms')}</h2>
      {report.alarms.length === 0 ? (
        <p>{t('report.noAlarms')}</p>
      ) : (
        <div class="table-wrap">
          <table class="data-table report-table stacking" data-testid="report-alarms">
            <thead>
              <tr>
                <th scope="col">{t('report.col.alarm')}</th>
                <th scope="col">{t('report.col.source')}</th>
                <th scope="col">{t('report.col.raised')}</th>
                <th scope="col">{t('report.col.ackBy')}</th>
                <th scope="col">{t('report.col.ackAt')}</th>
                <th scope="col">{t('report.col.wait')}</th>
                <th scope="col">{t('report.col.note')}</th>
                <th scope="col">{t('report.col.cleared')}</th>
              </tr>
            </thead>
            <tbody>
              {report.alarms.map((alarm) => (
                <tr key={alarm.id} data-alarm-id={alarm.id}>
                  <th scope="row" data-label={t('report.col.alarm')}>
                    <span>{t(alarmTypeKey({ type: alarm.type, level: alarm.maxLevel }))}</span>
                  </th>
                  <td data-label={t('report.col.source')}>{sourceName(alarm)}</td>
                  <td data-label={t('report.col.raised')}>{when(alarm.raisedAt)}</td>
                  {alarm.acknowledgements.length === 0 ? (
                    <td data-label={t('report.col.ackBy')} colSpan={4} class="report-unacked">
                      {t('report.notAcknowledged')}
                    </td>
                  ) : (
                    <>
                      <td data-label={t('report.col.ackBy')} data-testid="report-ack-by">
                        <span>{alarm.acknowledgements.map((ack) => <span key={ack.at} class="report-line">{ack.by}</span>)}</span>
                      </td>
                      <td data-label={t('report.col.ackAt')}>
                        <span>{alarm.acknowledgements.map((ack) => <span key={ack.at} class="report-line">{when(ack.at)}</span>)}</span>
                      </td>
                      <td class="figure" data-label={t('report.col.wait')} data-testid="report-ack-wait">
                        <span>{alarm.acknowledgements.map((ack) => <span key={ack.at} class="report-line">{formatDuration(ack.waitS, current)}</span>)}</span>
                      </td>
                      <td data-label={t('report.col.note')} class="report-note-cell">
                        <span>{alarm.acknowledgements.map((ack) => <span key={ack.at} class="report-line">{ack.note || '—'}</span>)}</span>
                      </td>
                    </>
                  )}
                  <td data-label={t('report.col.cleared')}>{alarm.clearedAt ? when(alarm.clearedAt) : t('report.stillOpen')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>{t('report.areas')}</h2>
      <div class="table-wrap">
        <table class="data-table report-table stacking" data-testid="report-areas">
          <thead>
            <tr>
              <th scope="col">{t('report.col.area')}</th>
              <th scope="col">{t('report.col.stations')}</th>
              <th scope="col">{t('report.col.maxLevel')}</th>
            </tr>
          </thead>
          <tbody>
            {report.areas.map((area) => (
              <tr key={area.code}>
                <th scope="row" data-label={t('report.col.area')}>
                  <span>{localized(area.name, current)}</span>
                </th>
                <td data-label={t('report.col.stations')}>
                  <span>
                    {area.stationIds.map((id) => {
                      const station = stationsById.get(id)
                      if (!station) return null
                      return (
                        <span key={id} class="report-line">
                          {localized(station.name, current)}: {station.peak ? `${formatCm(station.peak.cm, current)} (${levelText(station.peak.level)})` : t('report.noReadings')}
                        </span>
                      )
                    })}
                  </span>
                </td>
                <td data-label={t('report.col.maxLevel')}>{area.maxLevel === null ? '—' : levelText(area.maxLevel)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}

function StationRow({ station, areas, when }: { station: StormReportStation; areas: AreaCollection; when: (iso: string) => string }) {
  const current = lang.value
  const time = station.timeAtLevelS
  const duration = (s: number) => formatDuration(s, current)
  return (
    <tr data-station-id={station.id}>
      <th scope="row" data-label={t('report.col.station')}>
        <span>
          {localized(station.name, current)}
          <span class="report-sub">{areaName(areas, station.areaId, current)}</span>
        </span>
      </th>
      <td class="figure" data-label={t('report.col.peak')}>{station.peak ? `${formatCm(station.peak.cm, current)} · ${levelText(station.peak.level)}` : '—'}</td>
      <td data-label={t('report.col.peakAt')}>
        {station.peak ? (
          <span>
            {when(station.peak.at)}
            {station.peak.approximate && <span class="report-sub">{t('report.approximatePeak')}</span>}
          </span>
        ) : (
          '—'
        )}
      </td>
      <td class="figure" data-label={t('report.col.below')}>{duration(time.below)}</td>
      <td class="figure" data-label="BĐ1">{duration(time.bd1)}</td>
      <td class="figure" data-label="BĐ2">{duration(time.bd2)}</td>
      <td class="figure" data-label="BĐ3">{duration(time.bd3)}</td>
      <td class="figure" data-label={t('report.col.noData')}>{duration(time.noData)}</td>
      <td class="figure" data-label={t('report.col.readings')}>
        {station.readings.received} / {station.readings.expected}
      </td>
      <td class="figure" data-label={t('report.col.missing')}>{station.readings.missing}</td>
      <td class="figure" data-label={t('report.col.longestGap')}>{duration(station.readings.longestGapS)}</td>
    </tr>
  )
}
