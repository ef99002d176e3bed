import { describe, expect, it } from 'vitest'
import { Value } from 'typebox/value'
import { PublicAlarmView, toPublicAlarmTransition, toPublicAlarmView, type AlarmView } from './alarm-api.ts'

const acknowledged: AlarmView = {
  id: 7,
  type: 'flood_level',
  source: { kind: 'station', id: 'tam-ky-river' },
  areaId: '20338',
  level: 2,
  raisedLevel: 1,
  severity: 32,
  state: 'acknowledged',
  value: 231,
  raisedAt: '2025-10-30T07:00:00.000Z',
  updatedAt: '2025-10-30T07:05:00.000Z',
  clearedAt: null,
  acknowledged: { by: 'nguyenvana', at: '2025-10-30T07:05:00.000Z', note: 'Đã gọi anh Tư, 0905 123 456' },
}

describe('toPublicAlarmView', () => {
  it('keeps what, where, how high and when, and that it was acknowledged — not by whom or why', () => {
    const view = toPublicAlarmView(acknowledged)
    const { acknowledged: _who, ...rest } = acknowledged
    expect(view).toEqual({ ...rest, acknowledged: { at: '2025-10-30T07:05:00.000Z' } })
    expect(JSON.stringify(view)).not.toMatch(/nguyenvana|0905/)
    expect(Value.Check(PublicAlarmView, view)).toBe(true)
  })

  it('says not acknowledged as null', () => {
    expect(toPublicAlarmView({ ...acknowledged, state: 'active', acknowledged: null }).acknowledged).toBeNull()
  })

  it('is a schema that allows nothing more: the full alarm does not pass for a public one', () => {
    expect(Value.Check(PublicAlarmView, acknowledged)).toBe(false)
    expect(Value.Check(PublicAlarmView, { ...toPublicAlarmView(acknowledged), note: 'x' })).toBe(false)
  })
})

describe('toPublicAlarmTransition', () => {
  it('drops who made the transition and their note', () => {
    const transition = { at: '2025-10-30T07:05:00.000Z', kind: 'acknowledged' as const, level: 2, value: 231, actor: 'nguyenvana', note: '0905 123 456' }
    expect(toPublicAlarmTransition(transition)).toEqual({ at: '2025-10-30T07:05:00.000Z', kind: 'acknowledged', level: 2, value: 231 })
  })
})
