import { describe, expect, it } from 'vitest'
import { reconnectDelayMs } from './broker-subscription.plugin.ts'

describe('reconnectDelayMs', () => {
  it('waits 1 s, then twice as long each time, never more than 30 s', () => {
    expect(Array.from({ length: 8 }, (_, attempt) => reconnectDelayMs(attempt))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000])
  })
})
