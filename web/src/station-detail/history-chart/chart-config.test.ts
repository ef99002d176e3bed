import { describe, expect, it } from 'vitest'
import type { LineAnnotationOptions } from 'chartjs-plugin-annotation'
import { LEVEL_SWATCH } from '../../palette.ts'
import { alarmLines, bucketText, chartData, chartOptions, datasetRoles, gapThresholdMs, levelLines, lonePoints, type HistoryChartInput } from './chart-config.ts'
import type { HistoryPoint } from './history-series.ts'

const HOUR = 3_600_000
const t0 = Date.UTC(2025, 9, 30, 0, 0, 0)
const levels = { bd1: 170, bd2: 220, bd3: 270 }

function input(points: HistoryPoint[], bucketMs: number): HistoryChartInput {
  return { points, bucketMs, window: { fromMs: t0, toMs: t0 + 24 * HOUR }, levels, alarms: [], lang: 'vi', timeZone: 'Asia/Ho_Chi_Minh' }
}

const raw: HistoryPoint[] = [
  { ts: t0, levelCm: 120 },
  { ts: t0 + 60_000, levelCm: 121 },
]
const hourly: HistoryPoint[] = [
  { ts: t0, levelCm: 150, minCm: 140, maxCm: 160 },
  { ts: t0 + HOUR, levelCm: 170, minCm: 165, maxCm: 175, rainMm: 4 },
]

describe('chartData', () => {
  it('draws raw readings as one line', () => {
    const { datasets } = chartData(input(raw, 0))
    expect(datasets).toHaveLength(1)
    expect(datasets[0]).toMatchObject({ type: 'line', label: 'Mực nước', parsing: { yAxisKey: 'levelCm' } })
  })

  it('draws a bucketed answer as a min–max band behind the average line', () => {
    const { datasets } = chartData(input(hourly, HOUR))
    expect(datasets.map((d) => (d.parsing as { yAxisKey: string }).yAxisKey)).toEqual(['minCm', 'maxCm', 'levelCm', 'rainMm'])
    expect(datasets[1]).toMatchObject({ fill: '-1' })
    expect(datasets[2]!.label).toBe('Mực nước trung bình 1 giờ')
    expect(datasets[2]!.order).toBeLessThan(datasets[1]!.order!)
  })

  it('adds rain bars on their own axis only when the data has rainfall', () => {
    const rain = chartData(input(hourly, HOUR)).datasets.at(-1)
    expect(rain).toMatchObject({ type: 'bar', yAxisID: 'rain' })
    expect(chartData(input(raw, 0)).datasets.some((d) => d.type === 'bar')).toBe(false)
  })

  it('lets every dataset read the same points, so a tooltip index means one time', () => {
    const points = input(hourly, HOUR).points
    for (const dataset of chartData(input(hourly, HOUR)).datasets) expect(dataset.data).toBe(points)
  })
})

describe('datasetRoles', () => {
  it('lists the datasets in drawing order', () => {
    expect(datasetRoles({ points: hourly, bucketMs: HOUR })).toEqual(['min', 'max', 'level', 'rain'])
    expect(datasetRoles({ points: raw, bucketMs: 0 })).toEqual(['level'])
  })
})

describe('gapThresholdMs', () => {
  it('breaks a bucketed line where one bucket is missing', () => {
    expect(gapThresholdMs(hourly, HOUR)).toBe(1.5 * HOUR)
  })

  it('bridges three usual raw intervals', () => {
    const points = [0, 15, 30, 45, 60].map((m) => ({ ts: t0 + m * 60_000, levelCm: 100 }))
    expect(gapThresholdMs(points, 0)).toBe(45 * 60_000)
  })

  it('bridges at least ten minutes for frequent readings', () => {
    expect(gapThresholdMs(raw, 0)).toBe(10 * 60_000)
  })
})

describe('lonePoints', () => {
  it('marks a reading with no neighbour within the gap, so it is drawn as a dot', () => {
    const points = [0, 5, 60, 65, 200].map((m) => ({ ts: t0 + m * 60_000, levelCm: 100 }))
    expect(lonePoints(points, 10 * 60_000)).toEqual([false, false, false, false, true])
  })

  it('marks a single reading', () => {
    expect(lonePoints([{ ts: t0, levelCm: 235 }], 10 * 60_000)).toEqual([true])
  })
})

describe('levelLines', () => {
  const lines = levelLines(levels, 'vi')

  it('draws BĐ1–BĐ3 at the station levels', () => {
    expect(Object.values(lines).map((l) => l.value)).toEqual([170, 220, 270])
  })

  it('writes the level and its height on each line', () => {
    expect(Object.values(lines).map((l) => (l as LineAnnotationOptions).label?.content)).toEqual(['BĐ1 170 cm', 'BĐ2 220 cm', 'BĐ3 270 cm'])
  })

  it("uses the map's level colours", () => {
    expect(lines['level-bd3']!.borderColor).toBe(LEVEL_SWATCH[3].fill)
    expect((lines['level-bd1'] as LineAnnotationOptions).label?.color).toBe(LEVEL_SWATCH[1].text)
  })

  it('formats heights the Vietnamese way', () => {
    expect((levelLines({ bd1: 12.5, bd2: 20, bd3: 30 }, 'vi')['level-bd1'] as LineAnnotationOptions).label?.content).toBe('BĐ1 12,5 cm')
  })
})

describe('alarmLines', () => {
  const lines = alarmLines([
    { id: 4, atMs: t0 + HOUR, label: 'BĐ3', level: 3 },
    { id: 5, atMs: t0 + 2 * HOUR, label: 'Nước lên nhanh', level: null },
  ])

  it('draws a vertical line at each time an alarm was raised, labelled with its level', () => {
    const line = lines['alarm-4'] as LineAnnotationOptions
    expect(line).toMatchObject({ scaleID: 'x', value: t0 + HOUR, borderColor: LEVEL_SWATCH[3].fill })
    expect(line.label?.content).toBe('BĐ3')
  })

  it('labels other alarms by type, in a colour that is not a level colour', () => {
    const line = lines['alarm-5'] as LineAnnotationOptions
    expect(line.label?.content).toBe('Nước lên nhanh')
    expect(Object.values(LEVEL_SWATCH).map((s) => s.fill)).not.toContain(line.borderColor)
  })
})

describe('chartOptions', () => {
  it('shows the whole window on the time axis', () => {
    const x = chartOptions(input(raw, 0)).scales!.x!
    expect([x.min, x.max]).toEqual([t0, t0 + 24 * HOUR])
  })

  it('keeps every alarm level inside the y axis, even when the water is far below', () => {
    const y = chartOptions(input(raw, 0)).scales!.y!
    expect(y.suggestedMin as number).toBeLessThan(120)
    expect(y.suggestedMax as number).toBeGreaterThan(270)
  })

  it('hides the rain axis when there is no rainfall', () => {
    expect(chartOptions(input(raw, 0)).scales!.rain!.display).toBe(false)
    expect(chartOptions(input(hourly, HOUR)).scales!.rain!.display).toBe(true)
  })
})

describe('bucketText', () => {
  it('names bucket widths in words', () => {
    expect([bucketText(5 * 60_000, 'vi'), bucketText(HOUR, 'en'), bucketText(86_400_000, 'vi')]).toEqual(['5 phút', '1 hour', '1 ngày'])
  })
})
