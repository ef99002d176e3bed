import { describe, expect, it } from 'vitest'
import { ALARM_LINK_TTL_MS, alarmLink, checkAlarmLink } from './alarm-link.ts'

const NOW = Date.parse('2026-10-30T02:00:00Z')
const parts = (link: string) => {
  const query = new URLSearchParams(link.split('?')[1])
  return { exp: Number(query.get('exp')), sig: query.get('sig')! }
}

describe('alarm links', () => {
  it('opens the alarm\'s acknowledge dialog on the public URL, signed and valid for a week', () => {
    const link = alarmLink('https://ioc.tamky.gov.vn', 'key', 41, NOW)
    expect(link).toMatch(/^https:\/\/ioc\.tamky\.gov\.vn\/#\/alarms\/41\/ack\?exp=\d+&sig=[\w-]+$/)
    const { exp, sig } = parts(link)
    expect(exp).toBe(NOW + ALARM_LINK_TTL_MS)
    expect(checkAlarmLink('key', 41, exp, sig, NOW + 1)).toBe('valid')
    expect(checkAlarmLink('key', 41, exp, sig, exp)).toBe('expired')
  })

  it('refuses a link for another alarm, another key, or a changed expiry', () => {
    const { exp, sig } = parts(alarmLink('https://ioc.tamky.gov.vn', 'key', 41, NOW))
    expect(checkAlarmLink('key', 42, exp, sig, NOW)).toBe('invalid')
    expect(checkAlarmLink('other', 41, exp, sig, NOW)).toBe('invalid')
    expect(checkAlarmLink('key', 41, exp + 86_400_000, sig, NOW)).toBe('invalid')
    expect(checkAlarmLink('key', 41, exp, 'short', NOW)).toBe('invalid')
  })
})
