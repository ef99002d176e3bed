import type { IndicatorDef } from '@ioc/shared'
import { NO_DATA_FILL } from '../palette.ts'

/** Five steps light to dark (ColorBrewer YlGnBu and Purples): lightness alone orders them, for colour-blind readers and in greyscale. */
const GOOD_RAMP = ['#ffffcc', '#a1dab4', '#41b6c4', '#2c7fb8', '#253494'] as const
const NEUTRAL_RAMP = ['#f2f0f7', '#cbc9e2', '#9e9ac8', '#756bb1', '#54278f'] as const

export const MAX_CLASSES = 5

/** `bounds[i]` to `bounds[i + 1]` is class i (the last bound inclusive); one colour per class. */
export interface ClassBreaks {
  bounds: number[]
  colours: string[]
}

/** The smallest of 1, 2, 2.5, 5 × 10ⁿ at least `raw`: class bounds people can read at a glance. */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw))
  for (const m of [1, 2, 2.5, 5, 10]) if (m * power >= raw) return m * power
  return 10 * power
}

/**
 * Up to five equal classes on round numbers covering this period's values (not the whole 0–100
 * range, where values between 40 and 80 would all fall in two classes). The colours run light to dark
 * towards what is better (`better`): dark is the best class, the worst class is the lightest; for a
 * neutral indicator dark is simply the highest. Empty when no area has a value.
 */
export function classBreaks(values: readonly number[], def: Pick<IndicatorDef, 'better' | 'integer'>): ClassBreaks {
  const finite = values.filter(Number.isFinite)
  if (finite.length === 0) return { bounds: [], colours: [] }
  const lo = Math.min(...finite)
  const hi = Math.max(...finite)
  let bounds: number[]
  if (lo === hi) {
    bounds = [lo, hi]
  } else {
    let step = niceStep((hi - lo) / MAX_CLASSES)
    if (def.integer) step = Math.max(1, Math.round(step))
    for (;;) {
      const start = Math.floor(lo / step) * step
      bounds = [start]
      while (bounds.at(-1)! < hi) bounds.push(round(bounds.at(-1)! + step))
      if (bounds.length - 1 <= MAX_CLASSES) break
      step = niceStep(step * 1.01)
    }
  }
  const classes = bounds.length - 1
  const ramp = def.better === 'neutral' ? NEUTRAL_RAMP : GOOD_RAMP
  const picks = Array.from({ length: classes }, (_, i) => (classes === 1 ? 2 : Math.round((i * (ramp.length - 1)) / (classes - 1))))
  const colours = picks.map((i) => ramp[i]!)
  if (def.better === 'lower') colours.reverse()
  return { bounds, colours }
}

/** Keeps float steps (0.1 + 0.2) from writing 0.30000000000000004 into the legend. */
const round = (value: number): number => Math.round(value * 1e9) / 1e9

/** The class a value falls in (bounds' lower ends inclusive, the top one too), or -1 outside every class. */
export function classOf(value: number, breaks: ClassBreaks): number {
  const { bounds } = breaks
  if (bounds.length < 2 || value < bounds[0]! || value > bounds.at(-1)!) return -1
  for (let i = 0; i < bounds.length - 1; i++) if (value < bounds[i + 1]!) return i
  return bounds.length - 2
}

/** The fill for an area's value (null: no value). */
export function fillOf(value: number | null, breaks: ClassBreaks): string {
  if (value === null) return NO_DATA_FILL
  return breaks.colours[classOf(value, breaks)] ?? NO_DATA_FILL
}
