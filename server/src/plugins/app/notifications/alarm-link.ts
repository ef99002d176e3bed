import { createHmac, timingSafeEqual } from 'node:crypto'

/** How long a link in a notification opens its alarm's dialog: a message read the next morning still works. */
export const ALARM_LINK_TTL_MS = 7 * 24 * 3_600_000

const signature = (key: string, alarmId: number, expiresAt: number) => createHmac('sha256', key).update(`alarm-link:${alarmId}:${expiresAt}`).digest('base64url')

/**
 * The link a notification carries: the dashboard on the alarm's acknowledge dialog. Signed and
 * expiring, so the dashboard can tell a link the IOC sent from one made up, and an old one from a
 * fresh one — and it grants nothing: the reader still logs in, and acknowledges only if their role may.
 */
export function alarmLink(publicUrl: string, key: string, alarmId: number, now: number): string {
  const expiresAt = now + ALARM_LINK_TTL_MS
  return `${publicUrl}/#/alarms/${alarmId}/ack?exp=${expiresAt}&sig=${signature(key, alarmId, expiresAt)}`
}

/** Whether a link's `exp` and `sig` are the IOC's own for this alarm and not yet expired. */
export function checkAlarmLink(key: string, alarmId: number, exp: number, sig: string, now: number): 'valid' | 'expired' | 'invalid' {
  const expected = Buffer.from(signature(key, alarmId, exp))
  const given = Buffer.from(sig)
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid'
  return now < exp ? 'valid' : 'expired'
}
