import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type DatabaseHandle } from '../storage/database-handle.ts'
import { createAlarmsRepository, type AlarmSource, type AlarmsRepository } from './alarms.repository.ts'

const T0 = Date.parse('2025-10-30T00:00:00Z')
const river: AlarmSource = { kind: 'station', id: 'tam-ky-river', areaId: '20338' }

describe('alarms repository', () => {
  let database: DatabaseHandle
  let repo: AlarmsRepository

  beforeEach(async () => {
    database = await openDatabase({ dataDir: ':memory:' })
    repo = createAlarmsRepository(database.db)
  })
  afterEach(() => database.close())

  it('stores a raised alarm with its raised transition', async () => {
    const { alarm, created } = await repo.raise('flood_level', river, 2, 231, T0)
    expect(created).toBe(true)
    expect(alarm).toMatchObject({ type: 'flood_level', source_id: 'tam-ky-river', area_id: '20338', level: 2, state: 'active', value: 231, raised_at: T0 })
    expect(await repo.transitions(alarm.id)).toEqual([{ at: new Date(T0).toISOString(), kind: 'raised', level: 2, value: 231, actor: null, note: null }])
  })

  it('writes nothing for a second raise of an open condition and returns the open alarm (another instance raised it first)', async () => {
    const first = await repo.raise('flood_level', river, 1, 175, T0)
    const second = await repo.raise('flood_level', river, 2, 225, T0 + 60_000)
    expect(second).toEqual({ alarm: first.alarm, created: false })
    expect(await repo.transitions(first.alarm.id)).toHaveLength(1)
    expect(await repo.open()).toHaveLength(1)
  })

  it('raises the same condition again, as a new alarm, once the open one is cleared', async () => {
    const first = await repo.raise('flood_level', river, 1, 175, T0)
    await repo.clear(first.alarm.id, 150, T0 + 60_000)
    const again = await repo.raise('flood_level', river, 1, 172, T0 + 120_000)
    expect(again.created).toBe(true)
    expect(again.alarm.id).not.toBe(first.alarm.id)
  })

  it('keeps one open alarm per type and source: other types and sources raise alongside', async () => {
    await repo.raise('flood_level', river, 1, 175, T0)
    const rise = await repo.raise('rapid_rise', river, null, 40, T0)
    const other = await repo.raise('flood_level', { kind: 'station', id: 'cau-xuan-quy', areaId: '20362' }, 1, 160, T0)
    expect([rise.created, other.created]).toEqual([true, true])
    expect(await repo.open()).toHaveLength(3)
  })

  it('acknowledges an alarm once: a second acknowledgement gets nothing', async () => {
    const { alarm } = await repo.raise('flood_level', river, 1, 175, T0)
    expect(await repo.acknowledge(alarm.id, 'ops1', 'đã biết', T0 + 1)).toMatchObject({ state: 'acknowledged', acknowledged_by: 'ops1', ack_note: 'đã biết' })
    expect(await repo.acknowledge(alarm.id, 'ops2', '', T0 + 2)).toBeUndefined()
    expect((await repo.transitions(alarm.id)).map((t) => [t.kind, t.actor])).toEqual([
      ['raised', null],
      ['acknowledged', 'ops1'],
    ])
  })
})
