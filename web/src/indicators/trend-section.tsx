import { useEffect, useMemo, useState } from 'preact/hooks'
import { periodsEnding, type CityIndicatorSeries, type IndicatorDef } from '@ioc/shared'
import { ApiRequestError } from '../api.ts'
import { lang, t } from '../i18n/lang.ts'
import { localized } from '../i18n/translate.ts'
import { indicatorApi } from './indicator-api.ts'
import { formatIndicatorValue, formatPeriod } from './indicator-format.ts'
import { TREND_PERIODS } from './indicator-rows.ts'
import { loadOnce } from '../ui/load-once.ts'
import type { TrendChart as TrendChartComponent } from './trend-chart/trend-chart.tsx'
import type { TrendInput } from './trend-chart/trend-config.ts'

type ChartComponent = typeof TrendChartComponent
/** Chart.js and the trend chart, loaded once on first use; a failed load is tried again next time. */
const loadTrendChart = loadOnce(() => import('./trend-chart/trend-chart.tsx').then((module) => module.TrendChart))

interface TrendSectionProps {
  def: IndicatorDef
  period: string
  areaName: string
  /** The area's values over the 12 periods ending with `period`, oldest first. */
  area: ReadonlyArray<number | null>
  /** Changes whenever a value of this indicator changes: the city figure is fetched again. */
  revision: string
}

/** The area against the whole city over 12 periods, as a Chart.js line chart with the city's figure in words below. */
export function TrendSection({ def, period, areaName, area, revision }: TrendSectionProps) {
  const [city, setCity] = useState<CityIndicatorSeries | null>(null)
  const [Chart, setChart] = useState<ChartComponent | null>(null)
  const [failed, setFailed] = useState(false)
  const periods = useMemo(() => periodsEnding(period, TREND_PERIODS), [period])

  useEffect(() => {
    const controller = new AbortController()
    setFailed(false)
    Promise.all([indicatorApi.city({ key: def.key, from: periods[0]!, to: periods.at(-1)! }, controller.signal), loadTrendChart()])
      .then(([series, loaded]) => {
        if (controller.signal.aborted) return
        setCity(series)
        setChart(() => loaded)
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return
        if (!(error instanceof ApiRequestError)) console.error('indicator trend failed', error)
        setFailed(true)
      })
    return () => controller.abort()
  }, [def.key, periods, revision])

  const current = lang.value
  const cityValues = useMemo(() => periods.map((p) => city?.points.find((point) => point.period === p)?.value ?? null), [city, periods])
  const areaKey = area.join(',')
  const input = useMemo<TrendInput>(
    () => ({ periods, area, city: cityValues, areaName, cityName: t('indicators.city'), def, lang: current }),
    [periods, areaKey, cityValues, areaName, def, current],
  )
  const lastCity = city?.points.find((point) => point.period === period)

  return (
    <section class="indicator-trend" aria-labelledby="indicator-trend-title">
      <h3 id="indicator-trend-title">{t('indicators.chartTitle')}</h3>
      <div class="history-chart" data-testid="indicator-trend" data-state={failed ? 'error' : Chart && city ? 'ready' : 'loading'}>
        {failed ? (
          <p class="history-state" role="alert">
            {t('indicators.chartError')}
          </p>
        ) : Chart && city ? (
          <Chart input={input} label={t('indicators.chartLabel', { indicator: localized(def.name, current), period: formatPeriod(period, current), area: areaName })} />
        ) : (
          <p class="history-state" role="status">
            <span class="spinner" aria-hidden="true" />
            {t('indicators.chartLoading')}
          </p>
        )}
      </div>
      {lastCity && lastCity.value !== null && (
        <p class="muted" data-testid="indicator-city-value">
          {t('indicators.cityValue', { value: formatIndicatorValue(lastCity.value, def.unit, current), count: lastCity.areasReporting })}
        </p>
      )}
    </section>
  )
}
