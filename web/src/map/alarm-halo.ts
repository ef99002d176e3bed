import type { AlarmView } from '@ioc/shared'
import type { Map as MapLibreMap } from 'maplibre-gl'
import { isUnacknowledged } from '../alarms/open-alarms.ts'

/** One breath of the halo: slow enough to read as a pulse, never as a flash (WCAG 2.3.1 allows 3 a second). */
export const HALO_PERIOD_MS = 2400
/** Paint updates per second while pulsing: smooth enough for a slow swell, light on the GPU. */
const HALO_FPS = 30

/** The halo when still (reduced motion), and the two ends of its pulse. */
export const HALO_STATIC = { radius: 20, opacity: 0.6 } as const
const HALO_SMALL = { radius: 14, opacity: 0.8 } as const
const HALO_LARGE = { radius: 26, opacity: 0.25 } as const

/** A halo layer, and how much wider than a station's its halo is drawn (a cluster's circle is larger). */
export interface HaloLayer {
  id: string
  extraRadius: number
}

/** The stations and cameras with an alarm nobody has acknowledged yet: these pulse on the map. */
export function unacknowledgedSources(alarms: readonly AlarmView[]): { stations: string[]; cameras: string[] } {
  const stations = new Set<string>()
  const cameras = new Set<string>()
  for (const alarm of alarms) {
    if (!isUnacknowledged(alarm)) continue
    ;(alarm.source.kind === 'station' ? stations : cameras).add(alarm.source.id)
  }
  return { stations: [...stations].sort(), cameras: [...cameras].sort() }
}

/** The halo's radius and opacity at time `ms`: a smooth swell out and back (cosine), the ring fading as it grows. */
export function haloAt(ms: number): { radius: number; opacity: number } {
  const swell = (1 - Math.cos((2 * Math.PI * (ms % HALO_PERIOD_MS)) / HALO_PERIOD_MS)) / 2
  const mix = (a: number, b: number) => a + (b - a) * swell
  return { radius: mix(HALO_SMALL.radius, HALO_LARGE.radius), opacity: mix(HALO_SMALL.opacity, HALO_LARGE.opacity) }
}

/**
 * Animates the halo layers while `setActive(true)`: an animation-frame loop that exists only while
 * something is unacknowledged. With `prefers-reduced-motion: reduce` the halo stays still.
 */
export function createHaloPulse(map: MapLibreMap, layers: readonly HaloLayer[]) {
  const reduced = globalThis.matchMedia?.('(prefers-reduced-motion: reduce)')
  let active = false
  let frame = 0
  let lastPaint = -Infinity

  const paint = (halo: { radius: number; opacity: number }) => {
    for (const { id, extraRadius } of layers) {
      map.setPaintProperty(id, 'circle-radius', halo.radius + extraRadius)
      map.setPaintProperty(id, 'circle-stroke-opacity', halo.opacity)
      map.setPaintProperty(id, 'circle-opacity', halo.opacity / 2)
    }
  }
  const tick = (now: number) => {
    frame = requestAnimationFrame(tick)
    if (now - lastPaint < 1000 / HALO_FPS) return
    lastPaint = now
    paint(haloAt(now))
  }
  const stop = () => {
    cancelAnimationFrame(frame)
    frame = 0
  }
  const restart = () => {
    stop()
    if (!active) return
    if (reduced?.matches) paint(HALO_STATIC)
    else frame = requestAnimationFrame(tick)
  }
  reduced?.addEventListener('change', restart)

  return {
    setActive(next: boolean): void {
      if (next === active) return
      active = next
      restart()
    },
    dispose(): void {
      active = false
      stop()
      reduced?.removeEventListener('change', restart)
    },
  }
}
