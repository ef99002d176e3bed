import { describe, expect, it } from 'vitest'
import { formatDuration, fromLocalInput, lastHours, toLocalInput, windowProblem } from './report-window.ts'

const TZ = 'Asia/Ho_Chi_Minh'

describe('the storm report’s window', () => {
  it('reads and writes datetime-local values on the city’s clock', () => {
    const ms = Date.parse('2024-10-30T07:05:00Z')
    expect(toLocalInput(ms, TZ)).toBe('2024-10-30T14:05')
    expect(fromLocalInput('2024-10-30T14:05', TZ)).toBe(ms)
    expect(fromLocalInput('hôm qua', TZ)).toBeNull()
    expect(fromLocalInput('', TZ)).toBeNull()
  })

  it('crosses a daylight-saving change on the right side (for a city that has one)', () => {
    // 02:30 on the last Sunday of October 2024 in Berlin is CET (+1), after the clocks went back.
    expect(fromLocalInput('2024-10-27T04:30', 'Europe/Berlin')).toBe(Date.parse('2024-10-27T03:30:00Z'))
    expect(fromLocalInput('2024-10-26T12:00', 'Europe/Berlin')).toBe(Date.parse('2024-10-26T10:00:00Z'))
  })

  it('ends a preset at the next whole minute', () => {
    const now = Date.parse('2024-10-30T07:05:20Z')
    expect(lastHours(24, now)).toEqual({ fromMs: Date.parse('2024-10-29T07:06:00Z'), toMs: Date.parse('2024-10-30T07:06:00Z') })
  })

  it('says what is wrong with a window before asking the server', () => {
    expect(windowProblem(null)).toBe('report.error.invalid')
    expect(windowProblem({ fromMs: 10, toMs: 10 })).toBe('report.error.order')
    expect(windowProblem({ fromMs: 0, toMs: 32 * 86_400_000 })).toBe('report.error.tooLong')
    expect(windowProblem({ fromMs: 0, toMs: 31 * 86_400_000 })).toBeNull()
  })

  it('writes durations as hours and minutes', () => {
    expect(formatDuration(0, 'vi')).toBe('0')
    expect(formatDuration(45, 'vi')).toBe('45 giây')
    expect(formatDuration(1500, 'vi')).toBe('25 phút')
    expect(formatDuration(3 * 3600 + 300, 'vi')).toBe('3 giờ 05 phút')
    expect(formatDuration(3 * 3600 + 300, 'en')).toBe('3 h 05 min')
  })
})
