import { useSignal } from '@preact/signals'
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks'
import { can, periodOf, periodsEnding, Permission, shiftPeriod, type AreaCollection, type AreaFeature, type CityDef, type CurrentUser, type IndicatorValue } from '@ioc/shared'
import { ApiRequestError, type ApiFailure } from '../api.ts'
import { areaName } from '../city.ts'
import { lang, t } from '../i18n/lang.ts'
import { localized } from '../i18n/translate.ts'
import type { Choropleth } from '../map/choropleth.ts'
import { MapView } from '../map/map-view.tsx'
import type { Store } from '../store.ts'
import { downloadFile } from '../ui/csv.ts'
import { LoadError } from '../ui/load-error.tsx'
import { AreaPanel } from './area-panel.tsx'
import { classBreaks, fillOf } from './class-breaks.ts'
import { indicatorApi, type IndicatorDefinitions } from './indicator-api.ts'
import { indicatorCsv, indicatorCsvName } from './indicator-csv.ts'
import { formatIndicatorValue, formatPeriod } from './indicator-format.ts'
import { IndicatorLegend } from './indicator-legend.tsx'
import { indicatorRows, nextSort, sortRows, TREND_PERIODS, type Sort } from './indicator-rows.ts'
import { IndicatorsTable } from './indicators-table.tsx'

/** Periods the period picker offers, newest first. */
const PERIOD_CHOICES = 24

type Load<T> = { status: 'loading' } | { status: 'error'; failure: ApiFailure } | { status: 'ready'; data: T }

export interface IndicatorsPageProps {
  store: Store
  user: CurrentUser
  city: CityDef
  areas: AreaCollection
  /** An area staff member's own area: chosen when the page opens, with its edit form. */
  focusArea: AreaFeature | null
}

const failureOf = (error: unknown): ApiFailure => {
  if (error instanceof ApiRequestError) return error.failure
  throw error
}

/**
 * The indicator view: the map coloured by the chosen indicator and period, the table of every area
 * (sortable, with trends, exportable), and the chosen area's trend against the city, its edit form
 * for those who may enter it, and its history. Values stay live through the store.
 */
export function IndicatorsPage({ store, user, city, areas, focusArea }: IndicatorsPageProps) {
  const current = lang.value
  const [definitions, setDefinitions] = useState<Load<IndicatorDefinitions>>({ status: 'loading' })
  const [attempt, setAttempt] = useState(0)
  const [key, setKey] = useState<string | null>(null)
  const [chosenPeriod, setChosenPeriod] = useState<string | null>(null)
  const [valuesLoad, setValuesLoad] = useState<Load<string>>({ status: 'loading' })
  const [sort, setSort] = useState<Sort>({ column: 'area', direction: 'ascending' })
  const selected = useSignal<string | null>(focusArea?.properties.code ?? null)
  const choropleth = useSignal<Choropleth | null>(null)
  const onAreaSelect = useCallback((code: string) => (selected.value = code), [selected])

  useEffect(() => {
    const controller = new AbortController()
    setDefinitions({ status: 'loading' })
    indicatorApi.definitions(controller.signal).then(
      (data) => {
        if (controller.signal.aborted) return
        setDefinitions({ status: 'ready', data })
        setKey((chosen) => chosen ?? data.definitions[0]?.key ?? null)
      },
      (error: unknown) => !controller.signal.aborted && setDefinitions({ status: 'error', failure: failureOf(error) }),
    )
    return () => controller.abort()
  }, [attempt])

  const defs = definitions.status === 'ready' ? definitions.data.definitions : []
  const def = defs.find((d) => d.key === key) ?? null
  const currentPeriod = def ? periodOf(def.period, store.now.value, city.timezone) : null
  const resyncs = store.resyncs.value

  // The indicator's values over the periods the picker and the trends reach; fetched again after a
  // reconnect the socket could not replay.
  useEffect(() => {
    if (!def || !currentPeriod) return
    const controller = new AbortController()
    setValuesLoad({ status: 'loading' })
    const from = shiftPeriod(currentPeriod, -(PERIOD_CHOICES + TREND_PERIODS - 2))
    indicatorApi.values({ key: def.key, from, to: currentPeriod }, controller.signal).then(
      (values) => {
        if (controller.signal.aborted) return
        store.receiveIndicators(values)
        setValuesLoad({ status: 'ready', data: def.key })
      },
      (error: unknown) => !controller.signal.aborted && setValuesLoad({ status: 'error', failure: failureOf(error) }),
    )
    return () => controller.abort()
  }, [def?.key, currentPeriod, resyncs, attempt])

  const values = store.indicatorValues.value
  const periodChoices = useMemo(() => (def && currentPeriod ? periodsEnding(currentPeriod, PERIOD_CHOICES).reverse() : []), [def?.key, currentPeriod])
  // Until a period is chosen: the newest with any value, so the page never opens on an empty month.
  const latestWithData = useMemo(() => {
    if (!def) return null
    const reported = new Set([...values.values()].filter((v) => v.key === def.key).map((v) => v.period))
    return periodChoices.find((p) => reported.has(p)) ?? null
  }, [values, def?.key, periodChoices])
  const period = chosenPeriod && periodChoices.includes(chosenPeriod) ? chosenPeriod : (latestWithData ?? currentPeriod)

  const rows = useMemo(() => (def && period ? indicatorRows(areas, values, def, period, current) : []), [areas, values, def, period, current])
  const sorted = useMemo(() => sortRows(rows, sort, current), [rows, sort, current])
  const breaks = useMemo(
    () => (def ? classBreaks(rows.flatMap((r) => (r.value ? [r.value.value] : [])), def) : { bounds: [], colours: [] }),
    [rows, def],
  )
  // Every version of this indicator's values, in one string: the city's figure changes with any of them.
  const revision = useMemo(() => (def ? [...values.values()].filter((v) => v.key === def.key).reduce((sum, v) => sum + v.version, 0).toString() : ''), [values, def?.key])

  useEffect(() => {
    if (!def || !period) return
    const shown: Record<string, Choropleth['areas'][string]> = {}
    for (const row of rows) {
      const value = row.value?.value ?? null
      shown[row.areaId] = { fill: fillOf(value, breaks), text: value === null ? t('indicators.noData') : formatIndicatorValue(value, def.unit, current), hasValue: value !== null }
    }
    choropleth.value = { areas: shown, label: t('indicators.mapLabel', { indicator: localized(def.name, current), period: formatPeriod(period, current) }) }
  }, [rows, breaks, def, period, current])

  if (definitions.status === 'loading') {
    return (
      <div class="state-message" role="status" data-testid="loading">
        <span class="spinner" aria-hidden="true" />
        {t('indicators.loading')}
      </div>
    )
  }
  if (definitions.status === 'error') return <LoadError failure={definitions.failure} onRetry={() => setAttempt((n) => n + 1)} />
  if (!def || !period || !currentPeriod) return <p class="state-message">{t('indicators.none')}</p>

  const seed = definitions.data.seed
  const demo = seed?.demo === true || rows.some((r) => r.value?.demo)
  const selectedRow = rows.find((r) => r.areaId === selected.value) ?? null
  const principal = { role: user.role, areaId: user.areaId }
  const exportCsv = () => downloadFile(indicatorCsvName(def, period), indicatorCsv(sorted, def, period, (id) => areaName(areas, id, 'vi')))
  const onValue = (value: IndicatorValue) => store.receiveIndicators([value])

  return (
    <main class="indicators" data-testid="indicators" data-state={valuesLoad.status} aria-busy={valuesLoad.status === 'loading'}>
      <div class="indicators-head">
        <h1 id="indicators-title" tabIndex={-1}>
          {t('indicators.title')}
        </h1>
        <div class="indicators-pickers">
          <label class="picker">
            <span>{t('indicators.indicator')}</span>
            <select
              data-testid="indicator-picker"
              value={def.key}
              onChange={(event) => {
                setKey(event.currentTarget.value)
                setChosenPeriod(null)
              }}
            >
              {defs.map((d) => (
                <option key={d.key} value={d.key}>
                  {localized(d.name, current)}
                </option>
              ))}
            </select>
          </label>
          <label class="picker">
            <span>{t('indicators.period')}</span>
            <select data-testid="period-picker" value={period} onChange={(event) => setChosenPeriod(event.currentTarget.value)}>
              {periodChoices.map((p) => (
                <option key={p} value={p}>
                  {formatPeriod(p, current)}
                </option>
              ))}
            </select>
          </label>
          <button type="button" class="secondary" data-testid="indicator-csv" onClick={exportCsv}>
            {t('indicators.csv')}
          </button>
        </div>
      </div>
      <p class="muted indicator-description">{localized(def.description, current)}</p>
      {demo && (
        <p class="notice" data-testid="indicator-demo">
          {seed?.note ? localized(seed.note, current) : t('indicators.demo')}
        </p>
      )}
      {valuesLoad.status === 'error' && <LoadError failure={valuesLoad.failure} onRetry={() => setAttempt((n) => n + 1)} />}
      <div class="indicators-grid">
        <section class="indicators-map" aria-label={choropleth.value?.label}>
          <MapView
            store={store}
            city={city}
            areas={areas}
            focusArea={focusArea}
            mode="indicators"
            viewSwitch
            choropleth={choropleth}
            selectedArea={selected}
            onAreaSelect={onAreaSelect}
          />
          <IndicatorLegend def={def} period={period} breaks={breaks} />
        </section>
        <div class="table-wrap indicators-table-wrap">
          <IndicatorsTable
            rows={sorted}
            def={def}
            period={period}
            sort={sort}
            selected={selected.value}
            onSort={(column) => setSort((s) => nextSort(s, column))}
            onSelect={(areaId) => {
              selected.value = areaId
              requestAnimationFrame(() => document.getElementById('area-panel-title')?.focus())
            }}
          />
        </div>
      </div>
      {selectedRow ? (
        <AreaPanel
          def={def}
          period={period}
          row={selectedRow}
          canEdit={can(principal, Permission.indicatorWrite, { areaId: selectedRow.areaId })}
          currentPeriod={currentPeriod}
          timeZone={city.timezone}
          revision={revision}
          onValue={onValue}
          onClose={() => (selected.value = null)}
        />
      ) : (
        <p class="muted area-hint">{t('indicators.selectArea')}</p>
      )}
    </main>
  )
}
