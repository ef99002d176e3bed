import { describe, expect, it } from 'vitest'
import { FloodLevel, floodLevelLabel, floodLevelOf } from './flood-level.ts'

/** Tam Kỳ river at Tam Kỳ station: BĐ1/BĐ2/BĐ3 = 1.70/2.20/2.70 m. */
const TAM_KY = { bd1: 170, bd2: 220, bd3: 270 }

describe('floodLevelOf', () => {
  it.each([
    [-50, FloodLevel.normal],
    [0, FloodLevel.normal],
    [169.9, FloodLevel.normal],
    [170, FloodLevel.bd1],
    [219.9, FloodLevel.bd1],
    [220, FloodLevel.bd2],
    [269.9, FloodLevel.bd2],
    [270, FloodLevel.bd3],
    [274, FloodLevel.bd3],
    [5000, FloodLevel.bd3],
  ])('puts %d cm at level %d', (waterLevelCm, level) => {
    expect(floodLevelOf(TAM_KY, waterLevelCm)).toBe(level)
  })

  it('uses each station\'s own levels', () => {
    expect(floodLevelOf({ bd1: 10, bd2: 25, bd3: 40 }, 30)).toBe(FloodLevel.bd2)
  })
})

describe('floodLevelLabel', () => {
  it('has no label below BĐ1', () => {
    expect(floodLevelLabel(FloodLevel.normal)).toBeNull()
  })

  it.each([
    [FloodLevel.bd1, 'BĐ1'],
    [FloodLevel.bd2, 'BĐ2'],
    [FloodLevel.bd3, 'BĐ3'],
  ])('labels level %d as %s', (level, label) => {
    expect(floodLevelLabel(level)).toBe(label)
  })
})
