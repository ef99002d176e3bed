import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_NOTIFICATION_RULES } from '../notifications/default-rules.ts'
import { CityPackError } from './index.ts'
import { loadNotificationRules } from './load-from-dir.ts'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})
/** A copy of the Tam Kỳ pack folder, as a city starting its own would make. */
function packCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ioc-pack-'))
  dirs.push(dir)
  cpSync(fileURLToPath(new URL('./tam-ky', import.meta.url)), dir, { recursive: true })
  return dir
}

describe('a city pack\'s notification rules', () => {
  it('ships Tam Kỳ\'s: BĐ2+ and rapid rise to the operators on duty with a chain, floods to the area\'s staff, faults to the technicians', () => {
    const rules = loadNotificationRules('tam-ky')!
    expect(rules.map((r) => r.name)).toEqual(['BĐ2 trở lên và nước lên nhanh → trực ban', 'Cảnh báo ngập trong phường/xã → cán bộ phường/xã', 'Thiết bị lỗi → nhóm kỹ thuật'])
    expect(rules[0]!.escalation.map((s) => s.afterMinutes)).toEqual([10, 20])
    // The generic defaults (for a pack without the file) are the same.
    expect(rules).toEqual(DEFAULT_NOTIFICATION_RULES)
  })

  it('has none for a folder pack without the file, and refuses a broken one saying where', () => {
    const dir = packCopy()
    rmSync(join(dir, 'notification-rules.json'))
    expect(loadNotificationRules(dir)).toBeNull()
    writeFileSync(join(dir, 'notification-rules.json'), JSON.stringify([{ ...DEFAULT_NOTIFICATION_RULES[0], minLevel: 4 }]))
    expect(() => loadNotificationRules(dir)).toThrow(CityPackError)
    expect(() => loadNotificationRules(dir)).toThrow(/notification-rules\.json\/0\/minLevel/)
  })
})
