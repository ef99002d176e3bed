import { chartData, chartOptions, type HistoryChartInput, type HistoryChartType } from './chart-config.ts'
import type { HistoryPoint } from './history-series.ts'
import { useChart } from '../../charts/use-chart.ts'

interface HistoryChartProps {
  input: HistoryChartInput
  /** Accessible name of the drawing, e.g. "Biểu đồ mực nước 24 giờ qua tại Trạm thủy văn Tam Kỳ". */
  label: string
  /** Id of the element that says in words what the chart shows. */
  describedBy?: string
}

/**
 * A station's water-level history (useChart owns the Chart.js instance). This module and Chart.js are
 * loaded on demand (`loadHistoryChart`), so the map's first paint does not wait for them.
 */
export function HistoryChart({ input, label, describedBy }: HistoryChartProps) {
  const canvas = useChart<HistoryChartType, HistoryPoint[], HistoryChartInput>(input, (i) => ({ data: chartData(i), options: chartOptions(i) }))
  return <canvas ref={canvas} role="img" aria-label={label} aria-describedby={describedBy} />
}
