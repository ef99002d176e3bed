import { CategoryScale, Legend } from 'chart.js'
import { Chart } from '../../station-detail/history-chart/chart-setup.ts'

/**
 * The station chart's Chart.js (its parts already registered, so both charts share one chunk), plus
 * what a chart over periods needs: a category axis and a legend. Loaded on demand.
 */
Chart.register(CategoryScale, Legend)

export { Chart }
