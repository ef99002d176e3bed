import type { LevelSample } from '@ioc/shared'
import { pt, publicLang } from './citizens-lang.ts'
import { formatCm } from '../i18n/format.ts'

const WIDTH = 240
const HEIGHT = 56
const PAD = 4
const DAY_MS = 86_400_000
const MIN_SPAN_MS = 3_600_000

/**
 * The last 24 hours as a line, with BĐ1 dashed when the water comes near it. Drawn as an image with
 * a label giving its lowest and highest values: the card says the rest in words.
 */
export function Sparkline({ samples, bd1, nowMs }: { samples: LevelSample[]; bd1: number; nowMs: number }) {
  const lang = publicLang.value
  const shown = samples.filter((s) => s.ms >= nowMs - DAY_MS)
  // Under an hour of data draws a dot, not a line: say so instead.
  if (shown.length < 2 || shown[shown.length - 1]!.ms - shown[0]!.ms < MIN_SPAN_MS) return <p class="spark-none muted">{pt('spark.none')}</p>
  const values = shown.map((s) => s.cm)
  const min = Math.min(...values)
  const max = Math.max(...values)
  // Show BĐ1 when the water has come within a fifth of it: the line then tells how close it is.
  const withBd1 = max >= bd1 * 0.8
  const top = withBd1 ? Math.max(max, bd1) : max
  const span = Math.max(top - min, 1)
  const x = (ms: number) => PAD + ((ms - (nowMs - DAY_MS)) / DAY_MS) * (WIDTH - 2 * PAD)
  const y = (cm: number) => HEIGHT - PAD - ((cm - min) / span) * (HEIGHT - 2 * PAD)
  const line = shown.map((s) => `${x(s.ms).toFixed(1)},${y(s.cm).toFixed(1)}`).join(' ')
  const label = pt('spark.label', { min: formatCm(min, lang), max: formatCm(max, lang) })
  return (
    <svg class="spark" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={label}>
      <title>{label}</title>
      {withBd1 && <line class="spark-bd1" x1={PAD} x2={WIDTH - PAD} y1={y(bd1)} y2={y(bd1)} />}
      <polyline class="spark-line" points={line} />
    </svg>
  )
}
