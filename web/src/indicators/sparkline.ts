/**
 * An SVG path through a series (oldest first) in a `width` × `height` box, higher values drawn
 * higher. A missing period breaks the line; a value with no neighbour is a dot (a zero-length segment
 * that a round line cap draws). Empty when there is no value at all.
 */
export function sparklinePath(values: ReadonlyArray<number | null>, width: number, height: number, pad = 2): string {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v))
  if (present.length === 0) return ''
  const lo = Math.min(...present)
  const hi = Math.max(...present)
  const stepX = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0
  const y = (v: number) => (hi === lo ? height / 2 : pad + ((hi - v) * (height - 2 * pad)) / (hi - lo))
  const fmt = (n: number) => String(Math.round(n * 10) / 10)
  const parts: string[] = []
  let drawing = false
  values.forEach((value, i) => {
    if (value === null || !Number.isFinite(value)) {
      drawing = false
      return
    }
    const x = values.length > 1 ? pad + i * stepX : width / 2
    const next = values[i + 1]
    const lone = !drawing && (next === null || next === undefined)
    parts.push(`${drawing ? 'L' : 'M'}${fmt(x)} ${fmt(y(value))}${lone ? 'h0' : ''}`)
    drawing = true
  })
  return parts.join(' ')
}
