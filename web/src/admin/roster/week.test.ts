import { describe, expect, it } from 'vitest'
import type { DutyShift } from '@ioc/shared'
import { addDays, instantOfLocalInput, localInputOf, mondayOf, shiftsOfDay, timeOfDay, wallClockOf, weekDays, weekRange, weekdayOf } from './week.ts'
import { shiftBody, shiftFormErrors, shiftFormFor } from './shift-form-rules.ts'

const ZONE = 'Asia/Ho_Chi_Minh'

const shift = (id: number, startsAt: string, endsAt: string, fullName = `Người ${id}`): DutyShift => ({
  id,
  username: `u${id}`,
  fullName,
  startsAt,
  endsAt,
  areaIds: null,
  createdBy: 'admin',
})

describe('the roster week in the city zone', () => {
  it('starts on the Monday of the city, not of UTC', () => {
    // Sunday 2 Nov 2025, 23:30 UTC is already Monday 3 Nov, 06:30 in Tam Kỳ.
    expect(mondayOf(Date.parse('2025-11-02T23:30:00Z'), ZONE)).toBe('2025-11-03')
    // Sunday 2 Nov 2025, 16:59 UTC is Sunday 23:59 in Tam Kỳ: still the week of 27 October.
    expect(mondayOf(Date.parse('2025-11-02T16:59:00Z'), ZONE)).toBe('2025-10-27')
    expect(mondayOf(Date.parse('2025-11-02T17:00:00Z'), ZONE)).toBe('2025-11-03')
  })

  it('counts calendar days across months and years', () => {
    expect(addDays('2025-12-29', 7)).toBe('2026-01-05')
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29')
    expect(weekdayOf('2025-10-27')).toBe(0)
    expect(weekdayOf('2025-11-02')).toBe(6)
  })

  it('asks the server for Monday 00:00 to the next Monday 00:00, city time', () => {
    expect(weekRange('2025-10-27', ZONE)).toEqual({ from: '2025-10-26T17:00:00.000Z', to: '2025-11-02T17:00:00.000Z' })
    const days = weekDays('2025-10-27', ZONE)
    expect(days.map((d) => d.date)).toEqual(['2025-10-27', '2025-10-28', '2025-10-29', '2025-10-30', '2025-10-31', '2025-11-01', '2025-11-02'])
    expect(new Date(days[0]!.startMs).toISOString()).toBe('2025-10-26T17:00:00.000Z')
    expect(days[6]!.endMs - days[0]!.startMs).toBe(7 * 86_400_000)
  })

  it('has days of 23 and 25 hours in a zone with daylight saving', () => {
    const days = weekDays('2025-03-24', 'Europe/Paris')
    expect(days.map((d) => (d.endMs - d.startMs) / 3_600_000)).toEqual([24, 24, 24, 24, 24, 24, 23])
    expect(new Date(days[0]!.startMs).toISOString()).toBe('2025-03-23T23:00:00.000Z')
  })

  it('shows a night shift on both days it covers, marked as going on', () => {
    const [mon, tue] = weekDays('2025-10-27', ZONE) as [ReturnType<typeof weekDays>[number], ReturnType<typeof weekDays>[number]]
    const night = shift(1, '2025-10-27T12:00:00Z', '2025-10-28T00:00:00Z') // 19:00 Mon → 07:00 Tue
    const day = shift(2, '2025-10-27T00:00:00Z', '2025-10-27T12:00:00Z') // 07:00 → 19:00 Mon
    const other = shift(3, '2025-10-28T12:00:00Z', '2025-10-29T00:00:00Z') // Tue night
    expect(shiftsOfDay([night, other, day], mon)).toEqual([
      { shift: day, fromBefore: false, untilAfter: false },
      { shift: night, fromBefore: false, untilAfter: true },
    ])
    expect(shiftsOfDay([night, other, day], tue)).toEqual([
      { shift: night, fromBefore: true, untilAfter: false },
      { shift: other, fromBefore: false, untilAfter: true },
    ])
    expect(timeOfDay(Date.parse(night.startsAt), ZONE)).toBe('19:00')
  })

  it('reads datetime-local values as city time, whatever zone the browser is in', () => {
    expect(new Date(instantOfLocalInput('2025-10-30T07:00', ZONE)!).toISOString()).toBe('2025-10-30T00:00:00.000Z')
    expect(localInputOf(Date.parse('2025-10-30T00:00:00Z'), ZONE)).toBe('2025-10-30T07:00')
    for (const text of ['', '2025-10-30', '2025-02-30T07:00', '2025-10-30T24:00', 'soon']) expect(instantOfLocalInput(text, ZONE)).toBeNull()
    expect(wallClockOf(Date.parse('2025-12-31T17:30:00Z'), ZONE)).toEqual({ year: 2026, month: 1, day: 1, hour: 0, minute: 30 })
  })
})

describe('the shift form', () => {
  it('starts as a day shift, 07:00 to 19:00 on the day chosen', () => {
    expect(shiftFormFor('2025-10-30', ZONE, 'tranthib')).toEqual({ username: 'tranthib', startsAt: '2025-10-30T07:00', endsAt: '2025-10-30T19:00', areaMode: 'all', areaIds: [] })
  })

  it('asks for someone, times in order and at most seven days, and areas when not the whole city', () => {
    const base = shiftFormFor('2025-10-30', ZONE, 'tranthib')
    expect(shiftFormErrors(base, ZONE)).toEqual({})
    expect(shiftFormErrors({ ...base, username: ' ' }, ZONE)).toEqual({ username: 'shiftForm.error.username' })
    expect(shiftFormErrors({ ...base, endsAt: base.startsAt }, ZONE)).toEqual({ endsAt: 'shiftForm.error.endBeforeStart' })
    expect(shiftFormErrors({ ...base, endsAt: '2025-11-06T07:01' }, ZONE)).toEqual({ endsAt: 'shiftForm.error.tooLong' })
    expect(shiftFormErrors({ ...base, endsAt: '2025-11-06T07:00' }, ZONE)).toEqual({})
    expect(shiftFormErrors({ ...base, startsAt: '' }, ZONE)).toEqual({ startsAt: 'shiftForm.error.time' })
    expect(shiftFormErrors({ ...base, areaMode: 'some' }, ZONE)).toEqual({ areaIds: 'shiftForm.error.areas' })
  })

  it('sends the times as instants of the city, and the areas or null', () => {
    const night = { ...shiftFormFor('2025-10-30', ZONE, ' tranthib '), startsAt: '2025-10-30T19:00', endsAt: '2025-10-31T07:00' }
    expect(shiftBody(night, ZONE)).toEqual({ username: 'tranthib', startsAt: '2025-10-30T12:00:00.000Z', endsAt: '2025-10-31T00:00:00.000Z', areaIds: null })
    expect(shiftBody({ ...night, areaMode: 'some', areaIds: ['20362', '20344'] }, ZONE).areaIds).toEqual(['20362', '20344'])
  })
})
