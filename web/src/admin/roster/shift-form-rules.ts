import type { DutyShiftInput } from '@ioc/shared'
import type { MessageKey } from '../../i18n/messages.ts'
import { instantOf, instantOfLocalInput, localInputOf } from './week.ts'

/** The server's limit on a shift's length. */
export const SHIFT_MAX_MS = 7 * 86_400_000

/** A shift as the form holds it: times as the `datetime-local` inputs give them, read in the city's zone. */
export interface ShiftFormValues {
  username: string
  startsAt: string
  endsAt: string
  areaMode: 'all' | 'some'
  areaIds: string[]
}

export type ShiftFormErrors = Partial<Record<'username' | 'startsAt' | 'endsAt' | 'areaIds', MessageKey>>

/** A day shift on `date` (07:00–19:00 in the city), for whoever is chosen. */
export function shiftFormFor(date: string, timeZone: string, username = ''): ShiftFormValues {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number]
  return {
    username,
    startsAt: localInputOf(instantOf({ year, month, day, hour: 7, minute: 0 }, timeZone), timeZone),
    endsAt: localInputOf(instantOf({ year, month, day, hour: 19, minute: 0 }, timeZone), timeZone),
    areaMode: 'all',
    areaIds: [],
  }
}

export function shiftFormErrors(values: ShiftFormValues, timeZone: string): ShiftFormErrors {
  const errors: ShiftFormErrors = {}
  if (values.username.trim() === '') errors.username = 'shiftForm.error.username'
  const start = instantOfLocalInput(values.startsAt, timeZone)
  const end = instantOfLocalInput(values.endsAt, timeZone)
  if (start === null) errors.startsAt = 'shiftForm.error.time'
  if (end === null) errors.endsAt = 'shiftForm.error.time'
  else if (start !== null && end <= start) errors.endsAt = 'shiftForm.error.endBeforeStart'
  else if (start !== null && end - start > SHIFT_MAX_MS) errors.endsAt = 'shiftForm.error.tooLong'
  if (values.areaMode === 'some' && values.areaIds.length === 0) errors.areaIds = 'shiftForm.error.areas'
  return errors
}

/** The shift as the API takes it. Call on valid values only. */
export function shiftBody(values: ShiftFormValues, timeZone: string): DutyShiftInput {
  return {
    username: values.username.trim(),
    startsAt: new Date(instantOfLocalInput(values.startsAt, timeZone)!).toISOString(),
    endsAt: new Date(instantOfLocalInput(values.endsAt, timeZone)!).toISOString(),
    areaIds: values.areaMode === 'all' ? null : [...new Set(values.areaIds)],
  }
}
