import { createExpression, featureFilter, validateStyleMin, type ExpressionSpecification, type FilterSpecification } from '@maplibre/maplibre-gl-style-spec'
import { describe, expect, it } from 'vitest'
import { LEVEL_SWATCH } from '../palette.ts'
import { tamKy } from '../test-support/fixtures.ts'
import {
  badgeImage,
  badgePriority,
  CLUSTER_MAX_ZOOM,
  CLUSTER_RADIUS_PX,
  clusterCountImage,
  clusterFill,
  hasBadge,
  isCluster,
  isStation,
  STATION_CLUSTER_PROPERTIES,
  stationFill,
} from './clusters.ts'
import { parseImageId } from './image-id.ts'
import { buildStyle } from './map-style.ts'

type Props = Record<string, unknown>

/** Evaluates an expression for one feature with MapLibre's own evaluator, as the map does. */
function evaluate(expression: ExpressionSpecification, properties: Props): unknown {
  const parsed = createExpression(expression, 'test')
  if (parsed.result !== 'success') throw new Error(parsed.value.map((e) => e.message).join('; '))
  return parsed.value.evaluate({ zoom: 12 }, { type: 'Point', properties })
}

function matches(filter: FilterSpecification, properties: Props): boolean {
  return featureFilter(filter, 'test').filter({ zoom: 12 }, { type: 1, properties })
}

/**
 * A cluster's properties as MapLibre's worker folds them from its points (each one a station, or a
 * cluster already folded): `clusterProperties`' map expression for each point, then the operator with
 * `["accumulated"]`, in the worker's own way.
 */
function cluster(points: Props[]): Props {
  const keys = Object.keys(STATION_CLUSTER_PROPERTIES) as (keyof typeof STATION_CLUSTER_PROPERTIES)[]
  const mapped = points.map((p) => ('point_count' in p ? p : Object.fromEntries(keys.map((k) => [k, evaluate(STATION_CLUSTER_PROPERTIES[k][1], p)]))))
  const folded: Props = { ...mapped[0] }
  for (const point of mapped.slice(1)) {
    for (const key of keys) {
      const [operator] = STATION_CLUSTER_PROPERTIES[key]
      const reduce = createExpression([operator, ['accumulated'], ['get', key]], 'test')
      if (reduce.result !== 'success') throw new Error(`bad reduce for ${key}`)
      folded[key] = reduce.value.evaluate({ zoom: 0, accumulated: folded[key] } as never, { type: 'Point', properties: point })
    }
  }
  const count = mapped.reduce((n, p) => n + (typeof p['point_count'] === 'number' ? p['point_count'] : 1), 0)
  return { ...folded, cluster: true, cluster_id: 1, point_count: count, point_count_abbreviated: count }
}

const station = (level: number, alarmed: 0 | 1 = 0): Props => ({ id: `s${level}`, level, alarmed, badge: `label:level${level}:x`, nameLabel: 'label:name:x' })

describe('clusters of stations', () => {
  it('take the highest level among their stations, no-data counting lowest', () => {
    expect(cluster([station(0), station(3), station(-1)])['maxLevel']).toBe(3)
    expect(cluster([station(-1), station(-1)])['maxLevel']).toBe(-1)
    expect(cluster([station(1), station(0)])['maxLevel']).toBe(1)
  })

  it('keep the highest level when clusters merge into larger ones', () => {
    const merged = cluster([cluster([station(0), station(0)]), cluster([station(1), station(3)]), station(2)])
    expect(merged).toMatchObject({ maxLevel: 3, point_count: 5 })
  })

  it('are alarmed when any of their stations is', () => {
    expect(cluster([station(0), station(2, 1)])['alarmed']).toBe(1)
    expect(cluster([station(0), station(2)])['alarmed']).toBe(0)
  })

  it.each([-1, 0, 1, 2, 3] as const)('with a station at level %i at most are drawn in that level’s colour, as a station at it is', (level) => {
    const c = cluster([station(Math.min(level, 0)), station(level), station(-1)])
    expect(evaluate(clusterFill, c)).toBe(LEVEL_SWATCH[level].fill)
    expect(evaluate(stationFill, station(level))).toBe(LEVEL_SWATCH[level].fill)
  })

  it('write their count in an image named after their level', () => {
    const c = cluster([station(0), station(3), station(1)])
    expect(parseImageId(String(evaluate(clusterCountImage, c)))).toEqual({ kind: 'label', variant: 'cluster3', text: '3' })
    expect(parseImageId(String(evaluate(clusterCountImage, cluster([station(-1), station(-1)]))))).toEqual({ kind: 'label', variant: 'cluster-1', text: '2' })
  })

  it('carry the level badge only at an alarm level; stations carry theirs once they have a reading', () => {
    expect(evaluate(badgeImage, cluster([station(0), station(3)]))).toBe('label:level3:BĐ3')
    expect(evaluate(badgeImage, cluster([station(1), station(0)]))).toBe('label:level1:BĐ1')
    expect(matches(hasBadge, cluster([station(0), station(0)]))).toBe(false)
    expect(matches(hasBadge, cluster([station(0), station(2)]))).toBe(true)
    expect(evaluate(badgeImage, station(2))).toBe('label:level2:x')
    expect(matches(hasBadge, station(-1))).toBe(false)
    expect(matches(hasBadge, station(0))).toBe(true)
  })

  it('place the badges of higher levels first where they collide', () => {
    const keys = [station(0), station(3), cluster([station(2), station(0)])].map((p) => evaluate(badgePriority, p) as number)
    expect(keys[1]).toBeLessThan(keys[2]!)
    expect(keys[2]).toBeLessThan(keys[0]!)
  })

  it('are told apart from stations', () => {
    expect(matches(isCluster, cluster([station(0), station(1)]))).toBe(true)
    expect(matches(isStation, cluster([station(0), station(1)]))).toBe(false)
    expect(matches(isStation, station(1))).toBe(true)
  })
})

describe('the cluster radius', () => {
  /** Web Mercator pixels at `zoom` (512-pixel tiles, as MapLibre's GeoJSON sources cluster). */
  const pixel = ([lon, lat]: [number, number], zoom: number): [number, number] => {
    const size = 512 * 2 ** zoom
    const sin = Math.sin((lat * Math.PI) / 180)
    return [((lon + 180) / 360) * size, (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * size]
  }
  const closest = (zoom: number) => {
    let best = Infinity
    const points = tamKy.stations.map((s) => pixel([s.lon, s.lat], zoom))
    for (const [i, a] of points.entries()) for (const b of points.slice(i + 1)) best = Math.min(best, Math.hypot(a[0] - b[0], a[1] - b[1]))
    return best
  }

  it('leaves every Tam Kỳ station on its own at zoom 11, where the city opens on a desktop', () => {
    expect(closest(11)).toBeGreaterThan(CLUSTER_RADIUS_PX)
  })

  it('stops clustering at street level', () => {
    expect(CLUSTER_MAX_ZOOM).toBeLessThanOrEqual(14)
  })
})

describe('the dashboard style', () => {
  it.each(['flood', 'indicators'] as const)('is valid for MapLibre in the %s view, cluster properties included', (mode) => {
    const style = buildStyle(tamKy.areas, null, '20362', mode)
    expect(validateStyleMin(style as Parameters<typeof validateStyleMin>[0]).map((e) => e.message)).toEqual([])
  })
})
