import {
  BarController,
  BarElement,
  Chart,
  Filler,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  TimeScale,
  Tooltip,
} from 'chart.js'
import 'chartjs-adapter-date-fns'
import annotationPlugin from 'chartjs-plugin-annotation'
import { CHART_COLOURS } from './chart-config.ts'

/**
 * Only the Chart.js parts the history chart draws with, so the rest is left out of the bundle. This
 * module is loaded on demand, the first time a station panel shows its chart.
 */
Chart.register(LineController, LineElement, PointElement, BarController, BarElement, LinearScale, TimeScale, Filler, Tooltip, annotationPlugin)

Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily
Chart.defaults.color = CHART_COLOURS.text

export { Chart }
