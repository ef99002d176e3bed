import { describe, expect, it } from 'vitest'
import type { Recipient } from '@ioc/shared'
import { addRecipient, defaultRuleGroups, groupText, KNOWN_GROUPS, recipientId, recipientText } from './recipients.ts'

const names = { user: (u: string) => (u === 'tranthib' ? 'Trần Thị Bình' : undefined), webhook: (id: number) => (id === 3 ? 'Zalo OA Tam Kỳ' : undefined) }

describe('recipients in words', () => {
  it('knows, and explains, every group the default rules name', () => {
    expect([...defaultRuleGroups()].sort()).toEqual([...KNOWN_GROUPS].sort())
  })

  it('says who each recipient is, in Vietnamese first', () => {
    const all: Recipient[] = [
      { kind: 'on_duty' },
      { kind: 'area_staff' },
      { kind: 'group', group: 'shift-leaders' },
      { kind: 'group', group: 'truc-dem' },
      { kind: 'role', role: 'operator' },
      { kind: 'user', username: 'tranthib' },
      { kind: 'user', username: 'levanc' },
      { kind: 'webhook', channelId: 3 },
      { kind: 'webhook', channelId: 9 },
    ]
    expect(all.map((r) => recipientText(r, 'vi', names))).toEqual([
      'Trực ban đang trong ca (theo lịch trực)',
      'Cán bộ phường, xã nơi có cảnh báo',
      'Nhóm Trưởng ca (shift-leaders)',
      'Nhóm truc-dem',
      'Mọi tài khoản Trực ban IOC',
      'Tài khoản Trần Thị Bình (tranthib)',
      'Tài khoản levanc',
      'Webhook Zalo OA Tam Kỳ',
      'Webhook #9 (đã bị xóa)',
    ])
    expect(recipientText({ kind: 'on_duty' }, 'en', names)).toBe('Operators on duty (duty roster)')
    expect(groupText('office-heads', 'en')).toBe('Heads of office (office-heads)')
  })

  it('adds each recipient once', () => {
    const list: Recipient[] = [{ kind: 'on_duty' }, { kind: 'group', group: 'technicians' }]
    expect(addRecipient(list, { kind: 'group', group: 'technicians' })).toEqual(list)
    expect(addRecipient(list, { kind: 'group', group: 'office-heads' }).map(recipientId)).toEqual(['on_duty', 'group:technicians', 'group:office-heads'])
  })
})
