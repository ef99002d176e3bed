import { forecastDuration, trendOf, trendSamples, type FloodForecast, type Trend } from '@ioc/shared'
import type { LivePoint } from './flood-state.ts'
import { formatCm, formatRate } from '../i18n/format.ts'
import type { PublicMessageKey } from './messages.ts'
import { pt, publicLang } from './citizens-lang.ts'
import { timeAgo } from '../i18n/time-ago.ts'
import { Sparkline } from './sparkline.tsx'
import { FollowButton } from './follow.tsx'

/** A reading older than this many expected intervals is called old, and gets no trend arrow. */
const STALE_AFTER_INTERVALS = 3

/** The level's words; the colour repeats them, never replaces them. */
export function levelKey(point: Pick<LivePoint, 'latest' | 'floodLevel'>): PublicMessageKey {
  if (point.latest === null) return 'level.noData'
  return `level.${point.floodLevel as 0 | 1 | 2 | 3}`
}

/** The CSS class suffix of a level's colours (`lvl-none` before the first reading). */
export function levelClass(point: Pick<LivePoint, 'latest' | 'floodLevel'>): string {
  return point.latest === null ? 'lvl-none' : `lvl-${point.floodLevel}`
}

const ARROW = { rising: '↑', falling: '↓', steady: '→' } as const

function TrendText({ trend }: { trend: Trend }) {
  const lang = publicLang.value
  const words = trend.direction === 'steady' ? pt('trend.steady') : pt(`trend.${trend.direction}`, { rate: formatRate(trend.cmPerHour, lang) })
  return (
    <p class={`trend trend-${trend.direction}`}>
      <span aria-hidden="true">{ARROW[trend.direction]} </span>
      {words}
    </p>
  )
}

const clocks = new Map<string, Intl.DateTimeFormat>()
/** "14:30" on the city's wall clock. */
function clock(iso: string, timeZone: string): string {
  let format = clocks.get(timeZone)
  if (!format) clocks.set(timeZone, (format = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit' })))
  return format.format(Date.parse(iso))
}

/**
 * The server's forecast in plain words — the level named in full, never a bare "BĐ", and the "if" said
 * every time: "Có thể lên Báo động III lúc khoảng 14:30 (khoảng 40 phút nữa) nếu nước tiếp tục lên như 1 giờ qua".
 */
function ForecastText({ forecast, timeZone }: { forecast: FloodForecast; timeZone: string }) {
  const lang = publicLang.value
  return (
    <p class="forecast" data-testid="forecast">
      {pt('forecast.text', { level: pt(`level.${forecast.level}`), time: clock(forecast.at, timeZone), duration: forecastDuration(forecast.minutes, lang) })}
    </p>
  )
}

/** Ids the share links and the page's route use: `/muc-nuoc/{id}` scrolls to `#diem-{id}`. */
export const pointAnchor = (id: string) => `diem-${id}`

export function PointCard({ point, nowMs, timeZone, highlighted }: { point: LivePoint; nowMs: number; timeZone: string; highlighted: boolean }) {
  const lang = publicLang.value
  const latestMs = point.latest ? Date.parse(point.latest.ts) : null
  const stale = latestMs !== null && nowMs - latestMs > STALE_AFTER_INTERVALS * point.expectedIntervalS * 1000
  const samples = trendSamples(point.spark, point.latest ? [...point.live, point.latest] : point.live)
  const trend = point.latest && !stale ? trendOf(samples) : null
  const headingId = `${pointAnchor(point.id)}-name`
  // Not from an old reading, nor once its time has passed: the phone may have lost the link meanwhile.
  const forecast = point.forecast && !stale && Date.parse(point.forecast.at) > nowMs ? point.forecast : null
  return (
    <article id={pointAnchor(point.id)} class={`point ${levelClass(point)}${highlighted ? ' highlighted' : ''}`} aria-labelledby={headingId} data-point-id={point.id}>
      <h3 id={headingId} tabIndex={-1}>
        {point.name[lang]}
      </h3>
      <p class="place muted">{point.place[lang]}</p>
      <p class={`level-badge ${levelClass(point)}`}>{pt(levelKey(point))}</p>
      {point.latest && (
        <p class="current">
          <span class="visually-hidden">{pt('point.current')}: </span>
          <span class="value">{formatCm(point.latest.waterLevelCm, lang)}</span>
        </p>
      )}
      {trend && <TrendText trend={trend} />}
      {forecast && <ForecastText forecast={forecast} timeZone={timeZone} />}
      {latestMs !== null && (
        <p class="measured">
          {pt('point.measured', { ago: timeAgo(latestMs, nowMs, lang, timeZone) })}
          {stale && <strong class="stale"> · {pt('point.stale')}</strong>}
        </p>
      )}
      <Sparkline samples={samples} bd1={point.levels.bd1} nowMs={nowMs} />
      <p class="levels muted">{pt('point.levels', { bd1: formatCm(point.levels.bd1, lang), bd2: formatCm(point.levels.bd2, lang), bd3: formatCm(point.levels.bd3, lang) })}</p>
      <p class="share">
        <a href={`/muc-nuoc/${encodeURIComponent(point.id)}`}>{pt('point.share')}</a>
        {' · '}
        <a href={`/muc-nuoc/${encodeURIComponent(point.id)}/ma-qr`}>{pt('point.qr')}</a>
      </p>
      <FollowButton stationId={point.id} />
    </article>
  )
}
