import { floodLevelLabel, forecastDuration, type FloodForecast } from '@ioc/shared'
import { formatRate } from '../i18n/format.ts'
import { lang, t } from '../i18n/lang.ts'

const clocks = new Map<string, Intl.DateTimeFormat>()
/** "14:30" on the city's wall clock. */
function clock(iso: string, timeZone: string): string {
  let format = clocks.get(timeZone)
  if (!format) clocks.set(timeZone, (format = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit' })))
  return format.format(Date.parse(iso))
}

/**
 * "Có thể đạt BĐ3 lúc ~14:30 (khoảng 40 phút) nếu nước tiếp tục lên như 1 giờ qua": the server's
 * forecast (docs/alarms.md), in the station panel and beside a flood alarm. Nothing once its time has
 * passed: a station gone silent keeps no forecast it can no longer stand behind.
 */
export function ForecastNote({ forecast, now, timeZone, compact = false }: { forecast: FloodForecast | null; now: number; timeZone: string; compact?: boolean }) {
  if (!forecast || Date.parse(forecast.at) <= now) return null
  const current = lang.value
  const text = t('forecast.text', { level: floodLevelLabel(forecast.level)!, time: clock(forecast.at, timeZone), duration: forecastDuration(forecast.minutes, current) })
  return (
    <p class={compact ? 'forecast-note compact' : 'forecast-note'} role="status" data-testid="forecast" data-forecast-level={forecast.level}>
      <span aria-hidden="true">↗ </span>
      {text}
      {!compact && <span class="muted"> · {t('forecast.rate', { rate: formatRate(forecast.ratePerHour, current) })}</span>}
    </p>
  )
}
