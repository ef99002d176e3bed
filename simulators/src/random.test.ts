import { describe, expect, it } from 'vitest'
import { NoiseStream, deviceKey, smoothNoiseAt, uniformAt } from './random.ts'

describe('uniformAt', () => {
  it('gives the same number for the same key and a number in [0, 1)', () => {
    const a = uniformAt(1, deviceKey('tam-ky-river'), NoiseStream.level, 42)
    expect(uniformAt(1, deviceKey('tam-ky-river'), NoiseStream.level, 42)).toBe(a)
    expect(a).toBeGreaterThanOrEqual(0)
    expect(a).toBeLessThan(1)
  })

  it('draws independent values for neighbouring ticks and seeds', () => {
    const n = 20_000
    let lagProduct = 0
    let seedProduct = 0
    let sum = 0
    for (let i = 0; i < n; i++) {
      const u = uniformAt(1, 7, NoiseStream.level, i) - 0.5
      sum += u
      lagProduct += u * (uniformAt(1, 7, NoiseStream.level, i + 1) - 0.5)
      seedProduct += u * (uniformAt(2, 7, NoiseStream.level, i) - 0.5)
    }
    // Correlation of two independent uniforms is 12·E[(u−½)(v−½)] ≈ 0 (± ~0.02 at this n).
    expect(Math.abs(sum / n)).toBeLessThan(0.01)
    expect(Math.abs((12 * lagProduct) / n)).toBeLessThan(0.03)
    expect(Math.abs((12 * seedProduct) / n)).toBeLessThan(0.03)
  })
})

describe('smoothNoiseAt', () => {
  it('stays in [-1, 1] and moves only a little from one tick to the next', () => {
    let previous = smoothNoiseAt(3, 9, NoiseStream.levelDrift, 0, 90)
    for (let tick = 1; tick < 2000; tick++) {
      const value = smoothNoiseAt(3, 9, NoiseStream.levelDrift, tick, 90)
      expect(Math.abs(value)).toBeLessThanOrEqual(1)
      expect(Math.abs(value - previous)).toBeLessThan(0.05)
      previous = value
    }
  })
})

describe('deviceKey', () => {
  it('depends on the id only', () => {
    expect(deviceKey('hoa-huong-1')).toBe(deviceKey('hoa-huong-1'))
    expect(deviceKey('hoa-huong-1')).not.toBe(deviceKey('hoa-huong-2'))
  })
})
