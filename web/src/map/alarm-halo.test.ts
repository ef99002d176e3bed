import { describe, expect, it } from 'vitest'
import { alarmView } from '../test-support/fixtures.ts'
import { HALO_PERIOD_MS, haloAt, unacknowledgedSources } from './alarm-halo.ts'

describe('unacknowledgedSources', () => {
  it('lists each station and camera with an unacknowledged alarm once', () => {
    const sources = unacknowledgedSources([
      alarmView({ id: 1 }),
      alarmView({ id: 2, type: 'rapid_rise', level: null }),
      alarmView({ id: 3, source: { kind: 'station', id: 'hoa-huong-1' }, state: 'acknowledged', acknowledged: { by: 'op', at: '2025-10-30T07:01:00Z', note: '' } }),
      alarmView({ id: 4, type: 'camera_offline', level: null, source: { kind: 'camera', id: 'cam-1' } }),
    ])
    expect(sources).toEqual({ stations: ['tam-ky-river'], cameras: ['cam-1'] })
  })
})

describe('haloAt', () => {
  it('swells and comes back once per period', () => {
    expect(haloAt(0)).toEqual(haloAt(HALO_PERIOD_MS))
    expect(haloAt(HALO_PERIOD_MS / 2).radius).toBeGreaterThan(haloAt(0).radius)
  })

  it('changes gently from frame to frame: no flash', () => {
    const frame = 1000 / 60
    for (let ms = 0; ms < HALO_PERIOD_MS; ms += frame) {
      expect(Math.abs(haloAt(ms + frame).opacity - haloAt(ms).opacity)).toBeLessThan(0.02)
    }
  })
})
