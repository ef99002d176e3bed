import { describe, expect, it } from 'vitest'
import type { AlarmView } from '@ioc/shared'
import { renderAlarmMessage, renderDigest, type AlarmContext } from './messages.ts'

const alarm = (over: Partial<AlarmView> = {}): AlarmView => ({
  id: 41,
  type: 'flood_level',
  source: { kind: 'station', id: 'cau-xuan-quy' },
  areaId: '20362',
  level: 3,
  raisedLevel: 2,
  severity: 40,
  state: 'active',
  value: 275.4,
  raisedAt: '2026-10-30T07:30:00.000Z',
  updatedAt: '2026-10-30T08:00:00.000Z',
  clearedAt: null,
  acknowledged: null,
  ...over,
})
const context: AlarmContext = { sourceName: 'Cầu Xuân Quý', place: 'Tam Thăng', trendCmPerHour: -6.4, url: 'https://ioc.tamky.gov.vn/#/alarms/41/ack?exp=1&sig=s' }

describe('notification messages', () => {
  it('says what, where, how high, which way and since when, in Vietnamese with its diacritics', () => {
    const { subject, text } = renderAlarmMessage('alarm.escalated', alarm(), context, 'vi', 'Asia/Ho_Chi_Minh')
    expect(subject).toBe('[IOC] Cảnh báo tăng mức: Báo động III (BĐ3) — Cầu Xuân Quý')
    expect(renderAlarmMessage('alarm.escalated', alarm(), context, 'vi', 'Asia/Ho_Chi_Minh', 1).subject).toBe('[IOC] Chưa ai xác nhận: Báo động III (BĐ3) — Cầu Xuân Quý')
    expect(text.split('\n')).toEqual([
      'Cảnh báo tăng mức: Báo động III (BĐ3)',
      'Tại: Cầu Xuân Quý (Tam Thăng)',
      'Mực nước: 275.4 cm',
      'Xu hướng: đang xuống 6 cm/giờ',
      'Bắt đầu: 14:30 30/10/2026',
      '',
      'Mở và xác nhận cảnh báo: https://ioc.tamky.gov.vn/#/alarms/41/ack?exp=1&sig=s',
      '',
      'Trung tâm Giám sát, điều hành đô thị thông minh (IOC)',
    ])
  })

  it('speaks English to a user who chose it, and says who acknowledged and when it ended', () => {
    const { subject, text } = renderAlarmMessage('alarm.cleared', alarm({ state: 'cleared', clearedAt: '2026-10-30T10:05:00.000Z', acknowledged: { by: 'truongca', at: '2026-10-30T08:02:00.000Z', note: '' } }), { ...context, sourceName: 'Xuan Quy bridge' }, 'en', 'Asia/Ho_Chi_Minh')
    expect(subject).toBe('[IOC] Alarm cleared: Alarm level III (BĐ3) — Xuan Quy bridge')
    expect(text).toContain('Acknowledged by truongca')
    expect(text).toContain('Cleared: 30/10/2026, 17:05')
    expect(text).toContain('View the alarm: https://ioc.tamky.gov.vn/#/alarms/41/ack')
  })

  it('lists several alarms in one digest, headed by how many and the lowest level they passed', () => {
    const items = [
      { alarm: alarm({ id: 1, level: 2 }), context },
      { alarm: alarm({ id: 2, level: 3, source: { kind: 'station', id: 'hoa-huong-1' } }), context: { ...context, sourceName: 'Hòa Hương 1' } },
    ]
    const { subject, text } = renderDigest(items, 'vi', 'Asia/Ho_Chi_Minh')
    expect(subject).toBe('[IOC] 2 điểm vượt BĐ2: Cầu Xuân Quý, Hòa Hương 1')
    expect(text).toContain('• Báo động III (BĐ3) — Hòa Hương 1 — Mực nước: 275.4 cm (14:30 30/10/2026)')
    const mixed = renderDigest([items[1]!, { alarm: alarm({ id: 3, type: 'rapid_rise', level: null, value: 42 }), context }], 'vi', 'Asia/Ho_Chi_Minh')
    expect(mixed.subject).toBe('[IOC] 2 cảnh báo, cao nhất BĐ3: Hòa Hương 1, Cầu Xuân Quý')
    const sameStation = renderDigest([{ alarm: alarm({ id: 4 }), context }, { alarm: alarm({ id: 5, type: 'rapid_rise', level: null, value: 42 }), context }], 'vi', 'Asia/Ho_Chi_Minh')
    expect(sameStation.subject).toBe('[IOC] 2 cảnh báo, cao nhất BĐ3: Cầu Xuân Quý')
    expect(mixed.text).toContain('• Nước lên nhanh — Cầu Xuân Quý — Tốc độ lên: 42 cm/giờ')
  })
})
