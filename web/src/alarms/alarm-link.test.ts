import { describe, expect, it } from 'vitest'
import { alarmLoadProblem, judgeAlarmLink, linkMessages } from './alarm-link.ts'

const active = { state: 'active', acknowledged: null } as const
const acked = { state: 'active', acknowledged: { by: 'tranthib', at: '2026-10-30T02:05:00.000Z', note: '' } } as const
const cleared = { state: 'cleared', acknowledged: null } as const

describe('judgeAlarmLink', () => {
  it('opens the acknowledge dialog only through a valid link, for an alarm waiting, to a role that may', () => {
    expect(judgeAlarmLink('valid', active, true)).toEqual({ link: 'valid', alarm: 'open', mayAck: true, openDialog: true })
    expect(judgeAlarmLink('valid', active, false)).toMatchObject({ mayAck: false, openDialog: false })
    expect(judgeAlarmLink('expired', active, true)).toMatchObject({ mayAck: true, openDialog: false })
    expect(judgeAlarmLink('invalid', active, true)).toMatchObject({ mayAck: true, openDialog: false })
  })

  it('never opens the dialog for an alarm already acknowledged or cleared', () => {
    expect(judgeAlarmLink('valid', acked, true)).toEqual({ link: 'valid', alarm: 'acknowledged', mayAck: false, openDialog: false })
    expect(judgeAlarmLink('valid', cleared, true)).toEqual({ link: 'valid', alarm: 'cleared', mayAck: false, openDialog: false })
    // An alarm that cleared after it was acknowledged is cleared.
    expect(judgeAlarmLink('valid', { ...acked, state: 'cleared' }, true).alarm).toBe('cleared')
  })
})

describe('linkMessages', () => {
  it('says what is wrong with the link, then where the alarm stands', () => {
    expect(linkMessages(judgeAlarmLink('expired', active, true))).toEqual(['alarmLink.expired'])
    expect(linkMessages(judgeAlarmLink('invalid', acked, true))).toEqual(['alarmLink.invalid', 'alarmLink.acknowledged'])
    expect(linkMessages(judgeAlarmLink('valid', cleared, true))).toEqual(['alarmLink.cleared'])
    expect(linkMessages(judgeAlarmLink('valid', active, false))).toEqual(['alarmLink.cannotAck'])
  })
})

describe('alarmLoadProblem', () => {
  it('tells a missing alarm from one not for this role and from a failed request', () => {
    expect(alarmLoadProblem({ kind: 'http', path: '/api/alarms/9', status: 404, message: 'no alarm 9' })).toBe('missing')
    expect(alarmLoadProblem({ kind: 'http', path: '/api/alarms/9', status: 403, message: 'forbidden' })).toBe('forbidden')
    expect(alarmLoadProblem({ kind: 'http', path: '/api/alarms/9', status: 500, message: 'boom' })).toBe('failed')
    expect(alarmLoadProblem({ kind: 'network', path: '/api/alarms/9' })).toBe('failed')
  })
})
