import { useChart } from '../../charts/use-chart.ts'
import { trendData, trendOptions, type TrendInput } from './trend-config.ts'

/** An area against the city over 12 periods (useChart owns the Chart.js instance). Loaded on demand with Chart.js. */
export function TrendChart({ input, label }: { input: TrendInput; label: string }) {
  const canvas = useChart<'line', Array<number | null>, TrendInput>(input, (i) => ({ data: trendData(i), options: trendOptions(i) }))
  return <canvas ref={canvas} role="img" aria-label={label} />
}
