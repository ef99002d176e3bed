import { createHash } from 'node:crypto'
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus'

/**
 * Separate noise streams, one per use. Each draw is keyed by its stream so that adding a new use of
 * randomness never shifts the values an existing scenario produces for a given seed.
 */
export const NoiseStream = {
  level: 1,
  levelDrift: 2,
  rain: 3,
  shower: 4,
  battery: 5,
  stormShape: 6,
  cameraState: 7,
  cameraSignal: 8,
  cameraProfile: 9,
  phase: 10,
} as const
export type NoiseStream = (typeof NoiseStream)[keyof typeof NoiseStream]

/** The whole city shares showers and storms: a device key of 0 means "not tied to one device". */
export const CITY_KEY = 0

/*
 * The generator's state comes from a SHA-256 of the key, not from the key itself: xoroshiro seeded
 * straight from small, similar integers (tick 41, tick 42) gives visibly correlated draws, and no
 * number of discarded steps removes that, because its state transition is linear.
 */
const keyWords = new Int32Array(4)
const keyBytes = new Uint8Array(keyWords.buffer)

const deviceKeys = new Map<string, number>()

/**
 * A stable 32-bit key for a station or camera id, so a device's noise depends on its id, not on its
 * position in the city pack (adding a station must not change the others' values).
 */
export function deviceKey(id: string): number {
  let key = deviceKeys.get(id)
  if (key === undefined) {
    key = createHash('sha256').update(id).digest().readInt32LE(0) | 1
    deviceKeys.set(id, key)
  }
  return key
}

/**
 * A uniform number in [0, 1) that depends only on its arguments: random access by tick, so a
 * scenario can say what any device reports at any tick without replaying the ticks before it.
 */
export function uniformAt(seed: number, key: number, stream: NoiseStream, index: number): number {
  keyWords[0] = seed
  keyWords[1] = key
  keyWords[2] = stream
  keyWords[3] = index
  const digest = createHash('sha256').update(keyBytes).digest()
  const rng = xoroshiro128plusFromState([digest.readInt32LE(0), digest.readInt32LE(4), digest.readInt32LE(8), digest.readInt32LE(12)])
  return uniformFloat64(rng)
}

/** Like {@link uniformAt}, mapped to [min, max). */
export function rangeAt(seed: number, key: number, stream: NoiseStream, index: number, min: number, max: number): number {
  return min + (max - min) * uniformAt(seed, key, stream, index)
}

/**
 * Smooth noise in [-1, 1]: random values at knots every `period` ticks, eased between them, so a
 * level drifts instead of jumping from one reading to the next.
 */
export function smoothNoiseAt(seed: number, key: number, stream: NoiseStream, tick: number, period: number): number {
  const position = tick / period
  const knot = Math.floor(position)
  const t = position - knot
  const eased = t * t * (3 - 2 * t)
  const a = uniformAt(seed, key, stream, knot)
  const b = uniformAt(seed, key, stream, knot + 1)
  return 2 * (a + (b - a) * eased) - 1
}
