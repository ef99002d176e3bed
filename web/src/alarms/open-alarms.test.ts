import { describe, expect, it } from 'vitest'
import { alarmView, tamKy } from '../test-support/fixtures.ts'
import { createStore } from '../store.ts'
import { applyAlarmEvent, isNewTopLevel, isUnacknowledged, mergeAlarmSnapshot, sortAlarms } from './open-alarms.ts'

const T0 = '2025-10-30T07:00:00.000Z'
const T1 = '2025-10-30T07:05:00.000Z'
const T2 = '2025-10-30T07:10:00.000Z'
const ack = { by: 'op', at: T1, note: '' }

describe('applyAlarmEvent', () => {
  it('adds a raised alarm', () => {
    expect(applyAlarmEvent([], 'raised', alarmView())).toEqual([alarmView()])
  })

  it('replaces an alarm by id on update', () => {
    const next = applyAlarmEvent([alarmView(), alarmView({ id: 2 })], 'updated', alarmView({ level: 3, updatedAt: T1 }))
    expect(next.map((a) => [a.id, a.level])).toEqual([
      [1, 3],
      [2, 2],
    ])
  })

  it('adds an update for an alarm it did not hold (raised while the link was down)', () => {
    expect(applyAlarmEvent([], 'updated', alarmView({ acknowledged: ack, state: 'acknowledged' }))).toHaveLength(1)
  })

  it('removes a cleared alarm', () => {
    expect(applyAlarmEvent([alarmView(), alarmView({ id: 2 })], 'cleared', alarmView({ state: 'cleared', updatedAt: T1 })).map((a) => a.id)).toEqual([2])
  })

  it('ignores an event older than the alarm it holds', () => {
    const held = [alarmView({ level: 3, updatedAt: T2 })]
    expect(applyAlarmEvent(held, 'updated', alarmView({ level: 2, updatedAt: T1 }))).toBe(held)
    expect(applyAlarmEvent(held, 'cleared', alarmView({ state: 'cleared', updatedAt: T1 }))).toBe(held)
  })

  it('returns the same array when clearing an alarm it never held', () => {
    const held = [alarmView()]
    expect(applyAlarmEvent(held, 'cleared', alarmView({ id: 9, state: 'cleared' }))).toBe(held)
  })
})

describe('isNewTopLevel', () => {
  it('is true for a flood alarm raised at BĐ3', () => {
    expect(isNewTopLevel('raised', alarmView({ level: 3 }), undefined)).toBe(true)
  })

  it('is true for an escalation to BĐ3', () => {
    expect(isNewTopLevel('updated', alarmView({ level: 3, updatedAt: T1 }), alarmView({ level: 2 }))).toBe(true)
  })

  it('is false for the acknowledgement of an alarm already at BĐ3', () => {
    expect(isNewTopLevel('updated', alarmView({ level: 3, acknowledged: ack }), alarmView({ level: 3 }))).toBe(false)
  })

  it('is false for lower levels and other types', () => {
    expect(isNewTopLevel('raised', alarmView({ level: 2 }), undefined)).toBe(false)
    expect(isNewTopLevel('raised', alarmView({ type: 'rapid_rise', level: null }), undefined)).toBe(false)
  })
})

describe('mergeAlarmSnapshot', () => {
  it('takes the snapshot for alarms no event touched, dropping those it no longer lists', () => {
    const merged = mergeAlarmSnapshot([alarmView({ id: 1 }), alarmView({ id: 2 })], [alarmView({ id: 2, level: 3 })], new Set())
    expect(merged.map((a) => [a.id, a.level])).toEqual([[2, 3]])
  })

  it('keeps an alarm raised while the snapshot was in flight', () => {
    const merged = mergeAlarmSnapshot([alarmView({ id: 5 })], [], new Set([5]))
    expect(merged.map((a) => a.id)).toEqual([5])
  })

  it('does not bring back an alarm cleared while the snapshot was in flight', () => {
    expect(mergeAlarmSnapshot([], [alarmView({ id: 5 })], new Set([5]))).toEqual([])
  })

  it('keeps the newer of the event and the snapshot for a touched alarm', () => {
    const acked = alarmView({ state: 'acknowledged', acknowledged: ack, updatedAt: T1 })
    expect(mergeAlarmSnapshot([acked], [alarmView({ updatedAt: T0 })], new Set([1]))).toEqual([acked])
  })
})

describe('sortAlarms', () => {
  it('orders by severity, then the newest raised first', () => {
    const sorted = sortAlarms([
      alarmView({ id: 1, severity: 30, raisedAt: T0 }),
      alarmView({ id: 2, severity: 40, raisedAt: T0 }),
      alarmView({ id: 3, severity: 30, raisedAt: T2 }),
      alarmView({ id: 4, type: 'low_battery', level: null, severity: 6, raisedAt: T2 }),
    ])
    expect(sorted.map((a) => a.id)).toEqual([2, 3, 1, 4])
  })
})

describe('isUnacknowledged', () => {
  it('is true only for an active alarm nobody acknowledged', () => {
    expect(isUnacknowledged(alarmView())).toBe(true)
    expect(isUnacknowledged(alarmView({ state: 'acknowledged', acknowledged: ack }))).toBe(false)
  })
})

describe('store alarms', () => {
  const bootstrap = (alarms = [alarmView()]) => ({ city: tamKy.city, areas: tamKy.areas, stations: [], cameras: [], alarms })

  it('loads the open alarms without a sound cue', () => {
    const store = createStore()
    store.loading()
    store.loaded(bootstrap([alarmView({ level: 3 })]))
    expect(store.alarms.value).toHaveLength(1)
    expect(store.topLevelCues.value).toBe(0)
  })

  it('cues a new BĐ3 and an escalation to BĐ3 from the socket', () => {
    const store = createStore()
    store.loading()
    store.loaded(bootstrap([alarmView({ id: 1, level: 2 })]))
    store.receiveAlarm('updated', alarmView({ id: 1, level: 3, updatedAt: T1 }))
    store.receiveAlarm('raised', alarmView({ id: 2, level: 3, updatedAt: T1 }))
    expect(store.topLevelCues.value).toBe(2)
  })

  it('keeps an alarm raised before the first snapshot arrived', () => {
    const store = createStore()
    store.loading()
    store.receiveAlarm('raised', alarmView({ id: 7 }))
    store.loaded(bootstrap([]))
    expect(store.alarms.value.map((a) => a.id)).toEqual([7])
  })

  it('takes a resync snapshot over alarms cleared while the link was down', () => {
    const store = createStore()
    store.loading()
    store.loaded(bootstrap([alarmView({ id: 1 }), alarmView({ id: 2 })]))
    store.refreshed([], [], [alarmView({ id: 2 })], store.alarmMark())
    expect(store.alarms.value.map((a) => a.id)).toEqual([2])
  })
})
