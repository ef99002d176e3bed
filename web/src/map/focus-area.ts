import { Role, type AreaCollection, type AreaFeature, type CurrentUser } from '@ioc/shared'

/** South-west and north-east corners, `[[west, south], [east, north]]`, as `CityDef.bounds` and MapLibre take them. */
export type LonLatBounds = [[number, number], [number, number]]

/** The smallest box around every point of a polygon (all its rings). */
export function polygonBounds(rings: ReadonlyArray<ReadonlyArray<readonly [number, number]>>): LonLatBounds {
  let west = Infinity
  let south = Infinity
  let east = -Infinity
  let north = -Infinity
  for (const ring of rings) {
    for (const [lon, lat] of ring) {
      west = Math.min(west, lon)
      east = Math.max(east, lon)
      south = Math.min(south, lat)
      north = Math.max(north, lat)
    }
  }
  if (!Number.isFinite(west)) throw new Error('a polygon without points has no bounds')
  return [
    [west, south],
    [east, north],
  ]
}

/**
 * The area the map opens on for this user: their own ward or commune when they are area staff
 * (staff of an area work on it first), otherwise none — the whole city. Null too when the
 * city pack does not know the area, so a stale code never leaves the map pointing at nothing.
 */
export function focusAreaOf(user: Pick<CurrentUser, 'role' | 'areaId'>, areas: AreaCollection): AreaFeature | null {
  if (user.role !== Role.areaStaff || user.areaId === null) return null
  return areas.features.find((feature) => feature.properties.code === user.areaId) ?? null
}
