import type { ChartData, ChartDataset, ChartOptions, Scale, TooltipItem } from 'chart.js'
import type { AnnotationOptions } from 'chartjs-plugin-annotation'
import { floodLevelLabel, type FloodLevel, type FloodLevels } from '@ioc/shared'
import { CHART_BASE_OPTIONS, CHART_INK } from '../../charts/chart-look.ts'
import { formatCm, formatDateTime, formatQuantity } from '../../i18n/format.ts'
import { LOCALE, translate, type Lang } from '../../i18n/translate.ts'
import { LEVEL_SWATCH } from '../../palette.ts'
import type { AlarmMark } from './alarm-marks.ts'
import { cityTickLabel, cityTicks } from './city-time-axis.ts'
import type { TimeWindow } from './history-range.ts'
import { hasRainfall, levelExtent, type HistoryPoint } from './history-series.ts'

/** Water in a dark blue that reads on white (10:1) and is not a level colour; rain lighter and behind it. */
export const CHART_COLOURS = {
  water: '#17406d',
  band: 'rgba(23, 64, 109, 0.18)',
  rain: 'rgba(56, 125, 190, 0.45)',
  grid: CHART_INK.grid,
  text: CHART_INK.text,
} as const

/** Rain bars use at most this share of the plot's height, so they stay behind the water line. */
const RAIN_HEIGHT_SHARE = 1 / 3
/** Horizontal room one time label needs, in CSS pixels. */
const TICK_WIDTH_PX = 48

export type HistoryChartType = 'line' | 'bar'
/** Every dataset reads its values from the same points (by key), so index i is the same time in all. */
export type HistoryChartData = ChartData<HistoryChartType, HistoryPoint[]>

export interface HistoryChartInput {
  /** Oldest first, inside `window`. */
  points: readonly HistoryPoint[]
  /** Bucket width in ms, 0 for raw readings. */
  bucketMs: number
  window: TimeWindow
  levels: FloodLevels
  /** When alarms were raised at the station, inside `window`. */
  alarms: readonly AlarmMark[]
  lang: Lang
  timeZone: string
}

/** What each dataset draws, in dataset order: the band's low edge must come just before its high edge. */
export type DatasetRole = 'min' | 'max' | 'level' | 'rain'

export function datasetRoles(input: Pick<HistoryChartInput, 'points' | 'bucketMs'>): DatasetRole[] {
  const roles: DatasetRole[] = input.bucketMs > 0 ? ['min', 'max', 'level'] : ['level']
  if (hasRainfall(input.points)) roles.push('rain')
  return roles
}

/** A bucket width in words: "1 giờ", "15 minutes". */
export function bucketText(bucketMs: number, lang: Lang): string {
  const [unit, size]: [Intl.NumberFormatOptions['unit'], number] =
    bucketMs % 86_400_000 === 0 ? ['day', 86_400_000] : bucketMs % 3_600_000 === 0 ? ['hour', 3_600_000] : ['minute', 60_000]
  return new Intl.NumberFormat(LOCALE[lang], { style: 'unit', unit, unitDisplay: 'long' }).format(bucketMs / size)
}

/** The name of the water line: the reading itself, or the bucket average it stands for. */
export function levelSeriesName(bucketMs: number, lang: Lang): string {
  return bucketMs > 0 ? translate(lang, 'history.average', { bucket: bucketText(bucketMs, lang) }) : translate(lang, 'history.level')
}

/**
 * Longest gap the line bridges: a station that went silent shows a break, not a straight line
 * pretending it reported. One missing bucket breaks a bucketed line; raw readings may be up to three
 * usual intervals apart (at least 10 minutes, for stations that report irregularly).
 */
export function gapThresholdMs(points: readonly HistoryPoint[], bucketMs: number): number {
  if (bucketMs > 0) return 1.5 * bucketMs
  const steps = points
    .slice(1)
    .map((p, i) => p.ts - points[i]!.ts)
    .sort((a, b) => a - b)
  const median = steps.length > 0 ? steps[Math.floor(steps.length / 2)]! : 0
  return Math.max(3 * median, 10 * 60_000)
}

/** Which points have no neighbour within `gapMs`: no line reaches them, so they are drawn as dots. */
export function lonePoints(points: readonly HistoryPoint[], gapMs: number): boolean[] {
  return points.map((p, i) => {
    const before = points[i - 1]
    const after = points[i + 1]
    return (before === undefined || p.ts - before.ts > gapMs) && (after === undefined || after.ts - p.ts > gapMs)
  })
}

/** The datasets: min–max band (bucketed only) behind the water line, rain bars behind both. */
export function chartData(input: HistoryChartInput): HistoryChartData {
  const { bucketMs, lang } = input
  const points = input.points as HistoryPoint[]
  const spanGaps = gapThresholdMs(points, bucketMs)
  const line = { type: 'line' as const, data: points, pointRadius: 0, pointHitRadius: 6, tension: 0, spanGaps }
  const band = { ...line, label: translate(lang, 'history.minMax'), borderWidth: 0, borderColor: 'transparent', backgroundColor: CHART_COLOURS.band, order: 2 }
  const datasets: Record<DatasetRole, ChartDataset<HistoryChartType, HistoryPoint[]>> = {
    min: { ...band, parsing: { xAxisKey: 'ts', yAxisKey: 'minCm' }, fill: false },
    // Filled down to the dataset just before it: the band between low and high.
    max: { ...band, parsing: { xAxisKey: 'ts', yAxisKey: 'maxCm' }, fill: '-1' },
    level: {
      ...line,
      label: levelSeriesName(bucketMs, lang),
      parsing: { xAxisKey: 'ts', yAxisKey: 'levelCm' },
      borderColor: CHART_COLOURS.water,
      backgroundColor: CHART_COLOURS.water,
      borderWidth: 2,
      pointRadius: lonePoints(points, spanGaps).map((lone) => (lone ? 3 : 0)),
      pointHoverRadius: 4,
      // The newest reading sits on the right edge: let its dot show whole instead of cut in half.
      clip: { left: 0, top: 4, right: 4, bottom: 4 },
      fill: false,
      order: 1,
    },
    rain: {
      type: 'bar',
      label: translate(lang, 'detail.rainfall'),
      data: points,
      parsing: { xAxisKey: 'ts', yAxisKey: 'rainMm' },
      yAxisID: 'rain',
      backgroundColor: CHART_COLOURS.rain,
      // Each bar as wide as the room to its neighbours: one reading that arrives a second after another
      // must not shrink every bar of the chart to the width of that second.
      barThickness: 'flex',
      maxBarThickness: 10,
      order: 3,
    },
  }
  return { datasets: datasetRoles(input).map((role) => datasets[role]) }
}

const LEVEL_KEYS = [
  ['bd1', 1],
  ['bd2', 2],
  ['bd3', 3],
] as const satisfies ReadonlyArray<[keyof FloodLevels, FloodLevel]>

/** BĐ1–BĐ3 as dashed lines in the map's level colours, each labelled with its name and height ("BĐ1 170 cm"). */
export function levelLines(levels: FloodLevels, lang: Lang): Record<string, AnnotationOptions<'line'>> {
  const lines: Record<string, AnnotationOptions<'line'>> = {}
  for (const [key, level] of LEVEL_KEYS) {
    const swatch = LEVEL_SWATCH[level]
    lines[`level-${key}`] = {
      type: 'line',
      scaleID: 'y',
      value: levels[key],
      borderColor: swatch.fill,
      borderWidth: 2,
      borderDash: [6, 4],
      // A dark edge under each dash: the yellow and orange alone are too faint on white (1.7:1, 2.8:1).
      borderShadowColor: 'rgba(17, 24, 39, 0.75)',
      shadowOffsetY: 1,
      shadowBlur: 0,
      label: {
        display: true,
        content: `${floodLevelLabel(level)} ${formatCm(levels[key], lang)}`,
        position: 'start',
        backgroundColor: swatch.fill,
        color: swatch.text,
        font: { size: 11, weight: 'bold' },
        padding: { x: 5, y: 2 },
        borderRadius: 3,
      },
    }
  }
  return lines
}

/** Alarms that are not about a flood level (rapid rise, silent, battery): dark grey, not a level colour. */
const OTHER_ALARM = { fill: '#374151', text: '#ffffff' } as const

/**
 * A vertical line where each alarm was raised, labelled at the top ("BĐ3", "Nước lên nhanh") in the
 * level's colour: the label carries the meaning, the colour only repeats it.
 */
export function alarmLines(marks: readonly AlarmMark[]): Record<string, AnnotationOptions<'line'>> {
  const lines: Record<string, AnnotationOptions<'line'>> = {}
  for (const mark of marks) {
    const swatch = mark.level === null ? OTHER_ALARM : LEVEL_SWATCH[mark.level]
    lines[`alarm-${mark.id}`] = {
      type: 'line',
      scaleID: 'x',
      value: mark.atMs,
      borderColor: swatch.fill,
      borderWidth: 2,
      borderShadowColor: 'rgba(17, 24, 39, 0.6)',
      shadowOffsetX: 1,
      shadowBlur: 0,
      label: {
        display: true,
        content: mark.label,
        // At the top: the level lines' labels sit on the left, and the water line mostly low.
        position: 'start',
        backgroundColor: swatch.fill,
        color: swatch.text,
        font: { size: 11, weight: 'bold' },
        padding: { x: 4, y: 2 },
        borderRadius: 3,
      },
    }
  }
  return lines
}

/** Room above and below so the highest alarm level and the data never touch the plot's edge. */
function levelRange(points: readonly HistoryPoint[], levels: FloodLevels): { min: number; max: number } {
  const extent = levelExtent(points)
  const low = Math.min(extent?.minCm ?? levels.bd1, levels.bd1)
  const high = Math.max(extent?.maxCm ?? levels.bd3, levels.bd3)
  const pad = Math.max((high - low) * 0.08, 5)
  return { min: low - pad, max: high + pad }
}

function tooltipLines(item: TooltipItem<HistoryChartType>, role: DatasetRole | undefined, input: HistoryChartInput): string[] {
  const point = item.raw as HistoryPoint
  const { lang } = input
  if (role === 'rain') return [`${translate(lang, 'detail.rainfall')}: ${formatQuantity(point.rainMm ?? 0, 'mm', lang)}`]
  const lines = [`${levelSeriesName(input.bucketMs, lang)}: ${formatCm(point.levelCm, lang)}`]
  if (point.minCm !== undefined && point.maxCm !== undefined) {
    lines.push(`${translate(lang, 'history.minMax')}: ${formatCm(point.minCm, lang)} – ${formatCm(point.maxCm, lang)}`)
  }
  return lines
}

/** Options for one render: axes on the city's clock, BĐ lines, tooltips in the chosen language. */
export function chartOptions(input: HistoryChartInput): ChartOptions<HistoryChartType> {
  const { lang, timeZone, window, levels, points } = input
  const yRange = levelRange(points, levels)
  const rainMax = Math.max(0, ...points.map((p) => p.rainMm ?? 0))
  const roles = datasetRoles(input)
  let tickStep = 3_600_000
  return {
    ...CHART_BASE_OPTIONS,
    scales: {
      x: {
        type: 'time',
        min: window.fromMs,
        max: window.toMs,
        offset: false,
        grid: { color: CHART_COLOURS.grid },
        border: { color: CHART_COLOURS.text },
        afterBuildTicks: (scale: Scale) => {
          const ticks = cityTicks(window.fromMs, window.toMs, timeZone, Math.max(2, Math.floor(scale.width / TICK_WIDTH_PX)))
          tickStep = ticks.stepMs
          scale.ticks = ticks.values.map((value) => ({ value }))
        },
        ticks: {
          color: CHART_COLOURS.text,
          maxRotation: 0,
          callback: (value) => cityTickLabel(Number(value), tickStep, lang, timeZone),
        },
      },
      y: {
        type: 'linear',
        suggestedMin: yRange.min,
        suggestedMax: yRange.max,
        grid: { color: CHART_COLOURS.grid },
        border: { color: CHART_COLOURS.text },
        ticks: { color: CHART_COLOURS.text, maxTicksLimit: 8, callback: (value) => formatCm(Number(value), lang) },
      },
      rain: {
        type: 'linear',
        display: hasRainfall(points),
        position: 'right',
        min: 0,
        suggestedMax: rainMax > 0 ? rainMax / RAIN_HEIGHT_SHARE : 1,
        grid: { drawOnChartArea: false },
        ticks: { color: CHART_COLOURS.text, maxTicksLimit: 3, callback: (value) => formatQuantity(Number(value), 'mm', lang) },
      },
    },
    plugins: {
      // The key beside the chart names the series in words; Chart.js's own legend would repeat it.
      legend: { display: false },
      tooltip: {
        // The band's edges are told inside the water line's entry; a point without rain has no rain entry.
        filter: (item) => {
          const role = roles[item.datasetIndex]
          return role === 'level' || (role === 'rain' && (item.raw as HistoryPoint).rainMm !== undefined)
        },
        callbacks: {
          title: (items) => (items[0] ? formatDateTime(new Date(items[0].parsed.x as number).toISOString(), lang, timeZone) : ''),
          label: (item) => tooltipLines(item, roles[item.datasetIndex], input),
        },
      },
      annotation: { annotations: { ...levelLines(levels, lang), ...alarmLines(input.alarms) } },
    },
  }
}
