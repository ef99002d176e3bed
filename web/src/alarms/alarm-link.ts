import type { AlarmView } from '@ioc/shared'
import type { ApiFailure } from '../api.ts'
import type { MessageKey } from '../i18n/messages.ts'

/** What the server says of a notification's link (`GET /api/notifications/links/{id}`). */
export type LinkStatus = 'valid' | 'expired' | 'invalid'

/** Where an alarm opened from a link stands, and what the page does about it. */
export interface LinkVerdict {
  link: LinkStatus
  alarm: 'open' | 'acknowledged' | 'cleared'
  /** This user may acknowledge it now: it is active, nobody has yet, and their role may. */
  mayAck: boolean
  /** Open the acknowledge dialog at once: all of the above, through a valid link. */
  openDialog: boolean
}

/**
 * The link grants nothing by itself: a valid one opens the acknowledge dialog of an alarm still waiting
 * for someone, to a user whose role may acknowledge. An expired or made-up link still shows the alarm
 * and says so; the user may then acknowledge it as they could from the alarm list.
 */
export function judgeAlarmLink(link: LinkStatus, alarm: Pick<AlarmView, 'state' | 'acknowledged'>, canAck: boolean): LinkVerdict {
  const state = alarm.state === 'cleared' ? 'cleared' : alarm.acknowledged ? 'acknowledged' : 'open'
  const mayAck = state === 'open' && canAck
  return { link, alarm: state, mayAck, openDialog: mayAck && link === 'valid' }
}

/** What the page says about a link that did not open the dialog, in order: the link, then the alarm. */
export function linkMessages(verdict: LinkVerdict): MessageKey[] {
  const messages: MessageKey[] = []
  if (verdict.link === 'expired') messages.push('alarmLink.expired')
  if (verdict.link === 'invalid') messages.push('alarmLink.invalid')
  if (verdict.alarm === 'acknowledged') messages.push('alarmLink.acknowledged')
  else if (verdict.alarm === 'cleared') messages.push('alarmLink.cleared')
  else if (!verdict.mayAck) messages.push('alarmLink.cannotAck')
  return messages
}

/** Why the alarm itself could not be shown: it does not exist, it is not for this role, or the request failed. */
export function alarmLoadProblem(failure: ApiFailure): 'missing' | 'forbidden' | 'failed' {
  if (failure.kind !== 'http') return 'failed'
  if (failure.status === 404 || failure.status === 400) return 'missing'
  return failure.status === 403 ? 'forbidden' : 'failed'
}
