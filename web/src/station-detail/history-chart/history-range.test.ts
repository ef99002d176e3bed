import { describe, expect, it } from 'vitest'
import { HISTORY_RANGES, rangeWindow } from './history-range.ts'

const now = Date.UTC(2025, 9, 30, 7, 0, 0)

describe('rangeWindow', () => {
  it('ends now and starts 24 hours earlier for 24h', () => {
    expect(rangeWindow('24h', now)).toEqual({ fromMs: Date.UTC(2025, 9, 29, 7, 0, 0), toMs: now })
  })

  it('starts seven days earlier for 7d', () => {
    expect(rangeWindow('7d', now).fromMs).toBe(Date.UTC(2025, 9, 23, 7, 0, 0))
  })

  it('starts thirty days earlier for 30d', () => {
    expect(rangeWindow('30d', now).fromMs).toBe(Date.UTC(2025, 8, 30, 7, 0, 0))
  })

  it('offers the three ranges in the order the buttons show them', () => {
    expect(Object.keys(HISTORY_RANGES)).toEqual(['24h', '7d', '30d'])
  })
})
