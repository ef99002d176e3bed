import type { FloodLevels } from './city-packs/city-pack.schema.ts'

/** Where a water level stands against a station's alarm levels: 0 below BĐ1, then BĐ1..BĐ3. */
export const FloodLevel = { normal: 0, bd1: 1, bd2: 2, bd3: 3 } as const
export type FloodLevel = (typeof FloodLevel)[keyof typeof FloodLevel]

/** A reading at or above a level is at that level — as the official BĐ levels are read: water at 220 cm is at BĐ2, not below it. */
export function floodLevelOf(levels: FloodLevels, waterLevelCm: number): FloodLevel {
  if (waterLevelCm >= levels.bd3) return FloodLevel.bd3
  if (waterLevelCm >= levels.bd2) return FloodLevel.bd2
  if (waterLevelCm >= levels.bd1) return FloodLevel.bd1
  return FloodLevel.normal
}

/** Short label as bulletins print it: "BĐ2"; below BĐ1 there is no alarm label. */
export function floodLevelLabel(level: FloodLevel): string | null {
  return level === FloodLevel.normal ? null : `BĐ${level}`
}
