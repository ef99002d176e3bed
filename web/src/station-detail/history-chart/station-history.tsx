import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import type { AlarmView, StationView } from '@ioc/shared'
import { fetchStationAlarms } from '../../alarms/alarm-api.ts'
import { ApiRequestError, fetchStationReadings, type ApiFailure } from '../../api.ts'
import { formatCm } from '../../i18n/format.ts'
import { lang, t } from '../../i18n/lang.ts'
import { localized } from '../../i18n/translate.ts'
import { alarmMarks } from './alarm-marks.ts'
import { CHART_COLOURS, levelSeriesName, type HistoryChartInput } from './chart-config.ts'
import type { HistoryChart } from './history-chart.tsx'
import { DEFAULT_HISTORY_RANGE, HISTORY_RANGES, rangeWindow, type HistoryRange } from './history-range.ts'
import { addReading, hasRainfall, levelExtent, pointsSince, seriesFromResponse, trimSeries, type HistorySeries } from './history-series.ts'
import { loadOnce } from '../../ui/load-once.ts'

/** A bucket average made stale by live readings is fetched again at most this often. */
const STALE_REFRESH_MS = 60_000

type ChartComponent = typeof HistoryChart

/** Chart.js and its wrapper, loaded once on first use; a failed load is tried again on the next retry. */
const loadHistoryChart = loadOnce(() => import('./history-chart.tsx').then((module) => module.HistoryChart))

/** What the section shows for one station and range (`key`); a view for another key reads as loading. */
type View =
  | { key: string; status: 'loading' }
  | { key: string; status: 'error'; failure: ApiFailure | null }
  | { key: string; status: 'ready'; series: HistorySeries; alarms: readonly AlarmView[]; Chart: ChartComponent }

/** A fetch: `quiet` ones refresh what is shown without the loading state, and keep it if they fail. */
type Request = { n: number; quiet: boolean }

function failureDetail(failure: ApiFailure | null): string | null {
  if (failure?.kind === 'network') return t('error.network')
  if (failure?.kind === 'http') return `${failure.status}: ${failure.message}`
  return null
}

function RangeSwitch({ range, onChange }: { range: HistoryRange; onChange: (next: HistoryRange) => void }) {
  return (
    <div class="segmented" role="group" aria-label={t('history.ranges')}>
      {(Object.keys(HISTORY_RANGES) as HistoryRange[]).map((option) => (
        <button type="button" key={option} aria-pressed={option === range} onClick={() => onChange(option)}>
          {t(`history.range.${option}`)}
        </button>
      ))}
    </div>
  )
}

function Legend({ input }: { input: HistoryChartInput }) {
  return (
    <ul class="history-legend">
      <li>
        <span class="history-key line" style={{ background: CHART_COLOURS.water }} aria-hidden="true" />
        {levelSeriesName(input.bucketMs, input.lang)}
      </li>
      {input.bucketMs > 0 && (
        <li>
          <span class="history-key band" style={{ background: CHART_COLOURS.band }} aria-hidden="true" />
          {t('history.minMax')}
        </li>
      )}
      {input.alarms.length > 0 && (
        <li>
          <span class="history-key mark" aria-hidden="true" />
          {t('history.alarmMarks')}
        </li>
      )}
      {hasRainfall(input.points) && (
        <li>
          <span class="history-key bar" style={{ background: CHART_COLOURS.rain }} aria-hidden="true" />
          {t('detail.rainfall')}
        </li>
      )}
    </ul>
  )
}

interface StationHistoryProps {
  station: StationView
  timeZone: string
  /** Wall clock from the store: the window slides with it. */
  now: number
  /** Changes when live readings may have been missed (a reconnect the server could not replay). */
  resyncs: number
  /** The station's open alarms from the store, so one raised while the chart is shown is marked at once. */
  openAlarms: readonly AlarmView[]
}

/**
 * The station's water level over 24 hours, 7 or 30 days: fetched from the history route, then kept
 * live by the readings the store receives for this station, with the BĐ levels drawn across it.
 */
export function StationHistory({ station, timeZone, now, resyncs, openAlarms }: StationHistoryProps) {
  const current = lang.value
  const [range, setRange] = useState<HistoryRange>(DEFAULT_HISTORY_RANGE)
  const [request, setRequest] = useState<Request>({ n: 0, quiet: false })
  const key = `${station.id}|${range}`
  const [view, setView] = useState<View>({ key, status: 'loading' })
  // Read when an answer arrives: a reading that came in while the request was out must not be lost.
  const latest = useRef(station.latest)
  latest.current = station.latest
  const lastFetchAt = useRef(0)

  useEffect(() => {
    const controller = new AbortController()
    if (!request.quiet) setView({ key, status: 'loading' })
    lastFetchAt.current = Date.now()
    const window = rangeWindow(range, Date.now())
    // The marks add to the chart; without them (an error) the water level is still worth showing.
    const alarmRequest = fetchStationAlarms(station.id, window, controller.signal).catch((error: unknown) => {
      if (!controller.signal.aborted) console.warn('station alarm history failed', error)
      return []
    })
    Promise.all([fetchStationReadings(station.id, window, controller.signal), alarmRequest, loadHistoryChart()])
      .then(([response, alarms, Chart]) => {
        if (controller.signal.aborted) return
        const series = seriesFromResponse(response)
        setView({ key, status: 'ready', series: latest.current ? addReading(series, latest.current) : series, alarms, Chart })
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return
        if (!(error instanceof ApiRequestError)) console.error('station history failed', error)
        const failure = error instanceof ApiRequestError ? error.failure : null
        setView((shown) => (request.quiet && shown.key === key && shown.status === 'ready' ? shown : { key, status: 'error', failure }))
      })
    return () => controller.abort()
  }, [station.id, range, request])

  // Readings missed while the live link was down would leave a gap: fetch the range again, quietly.
  const resyncsAtMount = useRef(resyncs)
  useEffect(() => {
    if (resyncs !== resyncsAtMount.current) setRequest((r) => ({ n: r.n + 1, quiet: true }))
  }, [resyncs])

  // Live readings: appended (raw) or folded into their bucket, without asking the server again.
  useEffect(() => {
    const reading = station.latest
    if (!reading) return
    setView((shown) => {
      if (shown.status !== 'ready' || shown.key !== key) return shown
      const series = trimSeries(addReading(shown.series, reading), Date.parse(reading.ts) - HISTORY_RANGES[range])
      return series === shown.series ? shown : { ...shown, series }
    })
  }, [station.latest, key, range])

  // A server bucket's average cannot take a live reading exactly: fetch it again, at most once a minute.
  const stale = view.status === 'ready' && view.key === key && view.series.averageStale
  useEffect(() => {
    if (!stale) return
    const timer = setTimeout(() => setRequest((r) => ({ n: r.n + 1, quiet: true })), Math.max(0, lastFetchAt.current + STALE_REFRESH_MS - Date.now()))
    return () => clearTimeout(timer)
  }, [stale, key])

  const shown: View = view.key === key ? view : { key, status: 'loading' }
  const series = shown.status === 'ready' ? shown.series : null
  const alarmHistory = shown.status === 'ready' ? shown.alarms : null
  // A new array on every render of the panel: compared by what the marks draw.
  const openKey = openAlarms.map((a) => `${a.id}|${a.level}|${a.raisedAt}|${a.updatedAt}`).join(',')
  const open = useMemo(() => openAlarms, [openKey])
  const toMs = Math.max(now, series?.coveredToMs ?? now)
  const fromMs = toMs - HISTORY_RANGES[range]
  const input = useMemo<HistoryChartInput | null>(
    () =>
      series && {
        points: pointsSince(series, fromMs),
        bucketMs: series.bucketMs,
        window: { fromMs, toMs },
        levels: station.levels,
        alarms: alarmMarks(alarmHistory ?? [], open, { fromMs, toMs }, current),
        lang: current,
        timeZone,
      },
    [series, alarmHistory, open, fromMs, toMs, station.levels, current, timeZone],
  )
  const extent = input ? levelExtent(input.points) : null
  const state = shown.status === 'ready' ? (extent ? 'ready' : 'empty') : shown.status
  const rangeText = t(`history.range.${range}`)
  const summaryId = `history-summary-${station.id}`

  return (
    <section class="history" aria-labelledby="history-title">
      <div class="history-head">
        <h3 id="history-title">{t('history.title')}</h3>
        <RangeSwitch range={range} onChange={setRange} />
      </div>
      <div
        class="history-chart"
        data-testid="history-chart"
        data-state={state}
        data-points={input?.points.length ?? 0}
        data-alarm-marks={input?.alarms.length ?? 0}
        aria-busy={shown.status === 'loading'}
      >
        {shown.status === 'loading' && (
          <p class="history-state" role="status">
            <span class="spinner" aria-hidden="true" />
            {t('history.loading')}
          </p>
        )}
        {shown.status === 'error' && (
          <div class="history-state" role="alert">
            <p>{t('history.error')}</p>
            {failureDetail(shown.failure) && <p class="muted">{failureDetail(shown.failure)}</p>}
            <button type="button" class="primary" onClick={() => setRequest((r) => ({ n: r.n + 1, quiet: false }))}>
              {t('error.retry')}
            </button>
          </div>
        )}
        {state === 'empty' && (
          <p class="history-state" role="status">
            {t('history.empty')}
          </p>
        )}
        {shown.status === 'ready' && input && extent && (
          <shown.Chart
            input={input}
            label={t('history.chartLabel', { range: rangeText, station: localized(station.name, current) })}
            describedBy={summaryId}
          />
        )}
      </div>
      {input && extent && (
        <>
          <Legend input={input} />
          <p class="history-summary" id={summaryId}>
            {t('history.summary', { range: rangeText, min: formatCm(extent.minCm, current), max: formatCm(extent.maxCm, current) })}
          </p>
        </>
      )}
    </section>
  )
}
