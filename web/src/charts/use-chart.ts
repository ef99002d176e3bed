import { useEffect, useRef } from 'preact/hooks'
import type { Chart as ChartJs, ChartData, ChartOptions, ChartType, DefaultDataPoint } from 'chart.js'
import { Chart } from './chart-setup.ts'

/**
 * Owns one Chart.js instance on a canvas: created on mount, given new data and options whenever
 * `input` changes (a new object per change), destroyed on unmount. Shared by every chart wrapper.
 */
export function useChart<TType extends ChartType, TData = DefaultDataPoint<TType>, TInput = unknown>(
  input: TInput,
  build: (input: TInput) => { data: ChartData<TType, TData>; options: ChartOptions<TType> },
) {
  const canvas = useRef<HTMLCanvasElement>(null)
  const chart = useRef<ChartJs<TType, TData> | null>(null)

  useEffect(() => {
    if (!canvas.current) return
    const instance = new Chart<TType, TData>(canvas.current, { type: 'line' as TType, data: { datasets: [] } })
    chart.current = instance
    return () => {
      instance.destroy()
      chart.current = null
    }
  }, [])

  useEffect(() => {
    const instance = chart.current
    if (!instance) return
    const { data, options } = build(input)
    instance.data = data
    instance.options = options
    instance.update('none')
  }, [input])

  return canvas
}
