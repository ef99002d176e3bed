import type { CameraState } from '@ioc/shared'
import { levelSlug, type StationLevel } from './levels.ts'

/** A fill and the text colour that reads on it. */
export interface Swatch {
  fill: string
  text: string
}

/**
 * Alarm levels as a ramp that also steps in lightness (blue, then yellow → orange → deep red), so the
 * levels stay apart for colour-blind readers and in greyscale; the level is always written as text too.
 * Deliberately not the disaster-risk colours (Decision 18/2021), which mean something else.
 */
export const LEVEL_SWATCH: Record<StationLevel, Swatch> = {
  [-1]: { fill: '#6b7280', text: '#ffffff' },
  0: { fill: '#1f62a8', text: '#ffffff' },
  1: { fill: '#f2c230', text: '#1a1a1a' },
  2: { fill: '#ee7b1c', text: '#1a1a1a' },
  3: { fill: '#a8071a', text: '#ffffff' },
}

/** Camera states; the map also draws a different mark inside each (✓, !, ×). */
export const CAMERA_SWATCH: Record<CameraState | 'unknown', Swatch> = {
  online: { fill: '#17784a', text: '#ffffff' },
  degraded: { fill: '#f2c230', text: '#1a1a1a' },
  offline: { fill: '#3f3f46', text: '#ffffff' },
  unknown: { fill: '#9ca3af', text: '#1a1a1a' },
}

/** An area without a value on the indicator map (also hatched there), and in its legend. */
export const NO_DATA_FILL = '#d1d5db'

function channel(hex: string, index: number): number {
  const value = parseInt(hex.slice(1 + index * 2, 3 + index * 2), 16) / 255
  return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4
}

/** WCAG relative luminance of a `#rrggbb` colour. */
export function luminance(hex: string): number {
  return 0.2126 * channel(hex, 0) + 0.7152 * channel(hex, 1) + 0.0722 * channel(hex, 2)
}

/** WCAG contrast ratio between two `#rrggbb` colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (hi + 0.05) / (lo + 0.05)
}

/**
 * The palette as CSS custom properties (`--level-2-fill`, `--camera-offline-text`, …), so the list,
 * panels and legend use exactly the colours the map draws with.
 */
export function paletteVariables(): Record<string, string> {
  const vars: Record<string, string> = {}
  for (const [level, swatch] of Object.entries(LEVEL_SWATCH)) {
    const slug = levelSlug(Number(level) as StationLevel)
    vars[`--level-${slug}-fill`] = swatch.fill
    vars[`--level-${slug}-text`] = swatch.text
  }
  for (const [state, swatch] of Object.entries(CAMERA_SWATCH)) {
    vars[`--camera-${state}-fill`] = swatch.fill
    vars[`--camera-${state}-text`] = swatch.text
  }
  return vars
}
