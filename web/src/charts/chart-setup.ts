import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  TimeScale,
  Tooltip,
} from 'chart.js'
import 'chartjs-adapter-date-fns'
import annotationPlugin from 'chartjs-plugin-annotation'
import { CHART_INK } from './chart-look.ts'

/**
 * Only the Chart.js parts the dashboard's charts draw with, so the rest is left out of the bundle:
 * the station history (time axis, bars, band, BĐ lines) and the indicator trend (periods on a category
 * axis, with a legend). Registered once here, so both charts share one chunk, loaded on demand the
 * first time either is shown.
 */
Chart.register(
  LineController,
  LineElement,
  PointElement,
  BarController,
  BarElement,
  LinearScale,
  TimeScale,
  CategoryScale,
  Filler,
  Tooltip,
  Legend,
  annotationPlugin,
)

Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily
Chart.defaults.color = CHART_INK.text

export { Chart }
