import { useEffect, useRef } from 'preact/hooks'
import { Chart } from './chart-setup.ts'
import { trendData, trendOptions, type TrendInput } from './trend-config.ts'

/**
 * The one component that owns the trend's Chart.js instance: created on mount, fed new data as
 * `input` changes, destroyed on unmount. Loaded on demand with Chart.js.
 */
export function TrendChart({ input, label }: { input: TrendInput; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null)
  const chart = useRef<Chart<'line', Array<number | null>, string> | null>(null)

  useEffect(() => {
    if (!canvas.current) return
    const instance = new Chart<'line', Array<number | null>, string>(canvas.current, { type: 'line', data: { datasets: [] } })
    chart.current = instance
    return () => {
      instance.destroy()
      chart.current = null
    }
  }, [])

  useEffect(() => {
    const instance = chart.current
    if (!instance) return
    instance.data = trendData(input)
    instance.options = trendOptions(input)
    instance.update('none')
  }, [input])

  return <canvas ref={canvas} role="img" aria-label={label} />
}
