import type { ChartOptions } from 'chart.js'

/** Grid lines and text every chart draws with: quiet grey on white, the labels still readable (7:1). */
export const CHART_INK = {
  grid: '#e5e7eb',
  text: '#4b5563',
} as const

/**
 * Options every chart starts from: it fills the box the page gives it, redraws without animating
 * (live points and range switches land at once; nothing to animate on an operator's screen), and a
 * tooltip names every series at the hovered time or period.
 */
export const CHART_BASE_OPTIONS = {
  responsive: true,
  maintainAspectRatio: false,
  animation: false,
  interaction: { mode: 'index', intersect: false },
} as const satisfies ChartOptions<'line'>
