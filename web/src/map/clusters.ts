import type { DataDrivenPropertyValueSpecification, ExpressionSpecification } from '@maplibre/maplibre-gl-style-spec'
import { floodLevelLabel, type FloodLevel } from '@ioc/shared'
import type { StationLevel } from '../levels.ts'
import { LEVEL_SWATCH } from '../palette.ts'
import { labelImageId } from './image-id.ts'

/**
 * Stations closer than this on screen (CSS px at the zoom of the source's tiles: whole zooms) are drawn as
 * one cluster. Tam Kỳ's two closest stations (Hòa Hương 1 and 2) are 24 px apart at zoom 11, where the
 * city opens on a desktop: below that they stay apart. On a phone the city opens near zoom 10, where they
 * are 12 px apart and their dots overlap anyway: there they make one cluster of two.
 */
export const CLUSTER_RADIUS_PX = 20
/** From the next zoom on (street level) every station is drawn on its own. */
export const CLUSTER_MAX_ZOOM = 14

/** The station's alarm level as drawn, −1 (no data) to 3; -1 before the first reading. */
const LEVEL: ExpressionSpecification = ['get', 'level']
/** A cluster's highest level (its `clusterProperties`), −1 when none of its stations has reported. */
const MAX_LEVEL: ExpressionSpecification = ['get', 'maxLevel']
const IS_CLUSTER: ExpressionSpecification = ['has', 'point_count']

export const isCluster: ExpressionSpecification = IS_CLUSTER
export const isStation: ExpressionSpecification = ['!', IS_CLUSTER]

/**
 * What each cluster carries besides its count: the highest level among its stations, and whether any of
 * them has an unacknowledged alarm (1) or not (0). MapLibre folds these over the stations with the operator.
 */
export const STATION_CLUSTER_PROPERTIES: Record<'maxLevel' | 'alarmed', [string, ExpressionSpecification]> = {
  maxLevel: ['max', LEVEL],
  alarmed: ['max', ['get', 'alarmed']],
}

const LEVELS: readonly StationLevel[] = [-1, 0, 1, 2, 3]
const ALARM_LEVELS: readonly FloodLevel[] = [1, 2, 3]

/** The level colour of a station (`level`) or a cluster (`maxLevel`), as `LEVEL_SWATCH` has it. */
export function levelFill(level: ExpressionSpecification): ExpressionSpecification {
  return ['match', level, ...LEVELS.flatMap((l) => [l, LEVEL_SWATCH[l].fill]), '#000000'] as ExpressionSpecification
}

/** The level of a point that may be a station or a cluster. */
export const pointLevel: ExpressionSpecification = ['case', IS_CLUSTER, MAX_LEVEL, LEVEL]

export const stationFill = levelFill(LEVEL)
export const clusterFill = levelFill(MAX_LEVEL)

/** A station dot's radius (CSS px) at BĐ3, its largest. */
export const STATION_RADIUS_MAX = 11
/** A cluster's radius (CSS px) by how many stations it holds; a station's is 8 to 11. */
export const clusterRadius: ExpressionSpecification = ['step', ['get', 'point_count'], 14, 10, 17, 100, 20]
/** The largest `clusterRadius`: how much wider than a station's dot a cluster's alarm halo has to be. */
export const CLUSTER_RADIUS_MAX = 20

/**
 * The count written in a cluster, in its level's text colour: `label:cluster<level>:<count>` ("1.2k" for
 * thousands, as MapLibre abbreviates them).
 */
export const clusterCountImage: ExpressionSpecification = ['concat', 'label:cluster', ['to-string', MAX_LEVEL], ':', ['get', 'point_count_abbreviated']]

/** The badge of a cluster at each alarm level ("BĐ3"): the station badge images, with the level alone. */
export const CLUSTER_BADGE_IMAGES: readonly string[] = ALARM_LEVELS.map((l) => labelImageId(`level${l}`, floodLevelLabel(l) ?? ''))

/**
 * The badge above a point: a station's own ("BĐ2 · 235 cm"), or above a cluster that holds a station at
 * an alarm level, that level ("BĐ3"). Below BĐ1 a cluster has no badge.
 */
export const badgeImage: ExpressionSpecification = [
  'case',
  IS_CLUSTER,
  ['match', MAX_LEVEL, ...ALARM_LEVELS.flatMap((l, i) => [l, CLUSTER_BADGE_IMAGES[i]!]), ''] as ExpressionSpecification,
  ['get', 'badge'],
]

/** Stations have a badge once they have a reading; clusters only at an alarm level. */
export const hasBadge: ExpressionSpecification = ['case', IS_CLUSTER, ['>=', MAX_LEVEL, 1], ['>=', LEVEL, 0]]

/** Above the dot: a station's is 8–11 px, a cluster's its `clusterRadius`. */
export const badgeOffset: DataDrivenPropertyValueSpecification<[number, number]> = [
  'case',
  IS_CLUSTER,
  ['step', ['get', 'point_count'], ['literal', [0, -16]], 10, ['literal', [0, -19]], 100, ['literal', [0, -22]]],
  ['literal', [0, -13]],
] as DataDrivenPropertyValueSpecification<[number, number]>

/** Badges that collide are placed by level, highest first (MapLibre places lower sort keys first). */
export const badgePriority: ExpressionSpecification = ['-', pointLevel]
