import { describe, expect, it } from 'vitest'
import { alarmView } from '../../test-support/fixtures.ts'
import { alarmMarks } from './alarm-marks.ts'

const window = { fromMs: Date.parse('2025-10-30T00:00:00Z'), toMs: Date.parse('2025-10-31T00:00:00Z') }

describe('alarmMarks', () => {
  it('marks each alarm raised in the window, labelled with its BĐ level or its type', () => {
    const marks = alarmMarks(
      [alarmView({ id: 1, level: 2, raisedAt: '2025-10-30T08:00:00Z' }), alarmView({ id: 2, type: 'rapid_rise', level: null, raisedAt: '2025-10-30T07:00:00Z' })],
      [],
      window,
      'vi',
    )
    expect(marks.map((m) => [m.id, m.label, m.level])).toEqual([
      [2, 'Nước lên nhanh', null],
      [1, 'BĐ2', 2],
    ])
  })

  it('leaves out alarms raised outside the window', () => {
    expect(alarmMarks([alarmView({ raisedAt: '2025-10-29T23:59:00Z' })], [], window, 'en')).toEqual([])
  })

  it('adds an open alarm the history did not have, once, each labelled with the level it was raised at', () => {
    const history = [alarmView({ id: 1, level: 1, raisedLevel: 1, updatedAt: '2025-10-30T07:00:00Z' })]
    const open = [alarmView({ id: 1, level: 3, raisedLevel: 1, updatedAt: '2025-10-30T07:10:00Z' }), alarmView({ id: 2, raisedAt: '2025-10-30T09:00:00Z' })]
    expect(alarmMarks(history, open, window, 'vi').map((m) => [m.id, m.label])).toEqual([
      [1, 'BĐ1'],
      [2, 'BĐ2'],
    ])
  })
})
