import { useEffect, useRef } from 'preact/hooks'
import { chartData, chartOptions, type HistoryChartInput, type HistoryChartType } from './chart-config.ts'
import { Chart } from './chart-setup.ts'
import type { HistoryPoint } from './history-series.ts'

interface HistoryChartProps {
  input: HistoryChartInput
  /** Accessible name of the drawing, e.g. "Biểu đồ mực nước 24 giờ qua tại Trạm thủy văn Tam Kỳ". */
  label: string
  /** Id of the element that says in words what the chart shows. */
  describedBy?: string
}

/**
 * The one component that owns a Chart.js instance: created on mount, fed new data and options as
 * `input` changes (a new object per change), destroyed on unmount. This module and Chart.js are
 * loaded on demand (`loadHistoryChart`), so the map's first paint does not wait for them.
 */
export function HistoryChart({ input, label, describedBy }: HistoryChartProps) {
  const canvas = useRef<HTMLCanvasElement>(null)
  const chart = useRef<Chart<HistoryChartType, HistoryPoint[]> | null>(null)

  useEffect(() => {
    if (!canvas.current) return
    const instance = new Chart<HistoryChartType, HistoryPoint[]>(canvas.current, { type: 'line', data: { datasets: [] } })
    chart.current = instance
    return () => {
      instance.destroy()
      chart.current = null
    }
  }, [])

  useEffect(() => {
    const instance = chart.current
    if (!instance) return
    instance.data = chartData(input)
    instance.options = chartOptions(input)
    instance.update('none')
  }, [input])

  return <canvas ref={canvas} role="img" aria-label={label} aria-describedby={describedBy} />
}
