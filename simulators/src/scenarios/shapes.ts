/** Small numeric helpers shared by the scenarios. */

/** 0 below 0, 1 above 1, an S-curve between: rises and falls that start and end gently. */
export function smoothstep(x: number): number {
  if (x <= 0) return 0
  if (x >= 1) return 1
  return x * x * (3 - 2 * x)
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value))
}

/** Sensors report to a fixed resolution; rounding also keeps payloads short. */
export function roundTo(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)))
  return Number((Math.round(value / step) * step).toFixed(decimals))
}
