import type { CameraState } from '@ioc/shared'
import type { StationLevel } from '../levels.ts'

/**
 * Map images are named by what they show, so the map can ask for any label it meets in the data and
 * have it drawn on demand (there are no glyph files offline, so no layer may use `text-field`).
 * `label:<variant>:<text>` is a text label (`cluster<level>` the count written in a cluster of stations); `camera:<state>` is a camera mark; `pattern:hatch` the
 * hatching of an area without data.
 */
export type LabelVariant = `level${StationLevel}` | `cluster${StationLevel}` | 'name' | 'area' | 'value' | 'novalue'
export type CameraMark = CameraState | 'unknown'

export type ImageSpec = { kind: 'label'; variant: LabelVariant; text: string } | { kind: 'camera'; state: CameraMark } | { kind: 'hatch' }

const VARIANTS: readonly LabelVariant[] = [
  'level-1',
  'level0',
  'level1',
  'level2',
  'level3',
  'cluster-1',
  'cluster0',
  'cluster1',
  'cluster2',
  'cluster3',
  'name',
  'area',
  'value',
  'novalue',
]

/** The fill pattern of an area without a value on the indicator map. */
export const HATCH_IMAGE_ID = 'pattern:hatch'
const CAMERA_MARKS: readonly CameraMark[] = ['online', 'degraded', 'offline', 'unknown']

export function labelImageId(variant: LabelVariant, text: string): string {
  return `label:${variant}:${text}`
}

export function cameraImageId(state: CameraMark): string {
  return `camera:${state}`
}

/** What an image id asks to be drawn, or null when the id is not one of ours. */
export function parseImageId(id: string): ImageSpec | null {
  if (id === HATCH_IMAGE_ID) return { kind: 'hatch' }
  if (id.startsWith('camera:')) {
    const state = id.slice('camera:'.length)
    return (CAMERA_MARKS as readonly string[]).includes(state) ? { kind: 'camera', state: state as CameraMark } : null
  }
  if (id.startsWith('label:')) {
    const rest = id.slice('label:'.length)
    const colon = rest.indexOf(':')
    if (colon < 0) return null
    const variant = rest.slice(0, colon)
    const text = rest.slice(colon + 1)
    if (!(VARIANTS as readonly string[]).includes(variant) || text === '') return null
    return { kind: 'label', variant: variant as LabelVariant, text }
  }
  return null
}
