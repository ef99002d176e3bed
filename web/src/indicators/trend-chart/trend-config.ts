import type { ChartData, ChartOptions } from 'chart.js'
import type { IndicatorDef } from '@ioc/shared'
import { CHART_BASE_OPTIONS, CHART_INK } from '../../charts/chart-look.ts'
import type { Lang } from '../../i18n/translate.ts'
import { formatIndicatorValue, formatPeriod, formatPeriodShort } from '../indicator-format.ts'

/** The area in the dashboard's blue, the city in dark grey and dashed: told apart by line style too. */
export const TREND_COLOURS = { area: '#1f62a8', city: '#374151', grid: CHART_INK.grid, text: CHART_INK.text } as const

export interface TrendInput {
  /** Oldest first. */
  periods: readonly string[]
  area: ReadonlyArray<number | null>
  city: ReadonlyArray<number | null>
  areaName: string
  cityName: string
  def: Pick<IndicatorDef, 'unit' | 'min' | 'max'>
  lang: Lang
}

/** Two lines over the same periods; a period without a value is a gap, not a line drawn through it. */
export function trendData(input: TrendInput): ChartData<'line', Array<number | null>, string> {
  const line = { spanGaps: false, tension: 0, borderWidth: 2, pointRadius: 3, pointHoverRadius: 5 }
  return {
    labels: input.periods.map(formatPeriodShort),
    datasets: [
      { ...line, label: input.areaName, data: [...input.area], borderColor: TREND_COLOURS.area, backgroundColor: TREND_COLOURS.area },
      { ...line, label: input.cityName, data: [...input.city], borderColor: TREND_COLOURS.city, backgroundColor: TREND_COLOURS.city, borderDash: [6, 4], pointStyle: 'rectRot' },
    ],
  }
}

export function trendOptions(input: TrendInput): ChartOptions<'line'> {
  const { def, lang } = input
  return {
    ...CHART_BASE_OPTIONS,
    scales: {
      x: { grid: { color: TREND_COLOURS.grid }, ticks: { color: TREND_COLOURS.text, maxRotation: 0, autoSkip: true } },
      y: {
        // A rate keeps its whole 0–100 scale in sight only when the values are near it; otherwise the lines would be flat.
        suggestedMin: def.unit === 'percent' ? def.min : undefined,
        grid: { color: TREND_COLOURS.grid },
        ticks: { color: TREND_COLOURS.text, maxTicksLimit: 6, callback: (value) => formatIndicatorValue(Number(value), def.unit, lang) },
      },
    },
    plugins: {
      legend: { display: true, position: 'bottom', labels: { usePointStyle: true, color: TREND_COLOURS.text } },
      tooltip: {
        callbacks: {
          title: (items) => (items[0] ? formatPeriod(input.periods[items[0].dataIndex] ?? '', lang) : ''),
          label: (item) => `${item.dataset.label ?? ''}: ${item.parsed.y === null ? '–' : formatIndicatorValue(item.parsed.y, def.unit, lang)}`,
        },
      },
    },
  }
}
