import { describe, expect, it } from 'vitest'
import { DEFAULT_NOTIFICATION_RULES, type AlarmView, type NotificationRule } from '@ioc/shared'
import { expandStep, planTransition, ruleMatches, type OutboxTransition } from './notification-planner.ts'
import type { Directory, Person } from './recipients.ts'

const T0 = Date.parse('2026-10-30T02:00:00Z')
const MIN = 60_000
const person = (username: string, role: Person['role'], extra: Partial<Person> = {}): Person => ({ username, role, areaId: null, email: `${username}@tamky.gov.vn`, language: 'vi', groups: [], pushSubscriptions: [], ...extra })
const people: Person[] = [
  person('trucban1', 'operator'),
  person('trucban2', 'operator', { language: 'en' }),
  person('truongca', 'operator', { groups: ['shift-leaders'] }),
  person('chanhvp', 'staff', { groups: ['office-heads'] }),
  person('canbo.tamthang', 'area_staff', { areaId: '20362' }),
  person('canbo.hoahuong', 'area_staff', { areaId: '20344' }),
  person('kythuat', 'staff', { groups: ['technicians'], email: null }),
]
const directory = (shifts: Directory['shifts'] = []): Directory => ({ people, shifts, webhooks: new Set([7]) })
const rules: NotificationRule[] = DEFAULT_NOTIFICATION_RULES.map((r, i) => ({ ...r, id: i + 1, updatedAt: new Date(T0).toISOString() }))

const alarm = (over: Partial<AlarmView> = {}): AlarmView => ({
  id: 41,
  type: 'flood_level',
  source: { kind: 'station', id: 'cau-xuan-quy' },
  areaId: '20362',
  level: 2,
  raisedLevel: 2,
  severity: 30,
  state: 'active',
  value: 231,
  raisedAt: new Date(T0).toISOString(),
  updatedAt: new Date(T0).toISOString(),
  clearedAt: null,
  acknowledged: null,
  ...over,
})
const transition = (kind: OutboxTransition['kind'], level: number | null = 2, at = T0): OutboxTransition => ({ id: 100, alarmId: 41, kind, level, at })
const targets = (plan: { deliveries: { channel: string; target: string }[] }) => plan.deliveries.filter((d) => d.channel !== 'step').map((d) => d.target).sort()

describe('planTransition with the default rules', () => {
  it('pages the operator on duty and the area staff for a BĐ2 at Cầu Xuân Quý, and schedules the chain', () => {
    const shifts = [{ username: 'trucban2', startsAt: T0 - 60 * MIN, endsAt: T0 + 7 * 60 * MIN, areaIds: null }]
    const plan = planTransition(transition('raised'), alarm(), rules, directory(shifts), T0)
    expect(targets(plan)).toEqual(['canbo.tamthang@tamky.gov.vn', 'trucban2@tamky.gov.vn'])
    expect(plan.deliveries.find((d) => d.target === 'trucban2@tamky.gov.vn')).toMatchObject({ event: 'alarm.raised', step: 0, language: 'en', dueAt: T0 })
    expect(plan.deliveries.filter((d) => d.channel === 'step').map((d) => [d.step, d.dueAt - T0])).toEqual([
      [1, 10 * MIN],
      [2, 20 * MIN],
    ])
    expect(plan.cancelEscalation).toBe(false)
  })

  it('falls back to every operator when nobody is on duty, never to nobody', () => {
    const plan = planTransition(transition('raised'), alarm(), rules, directory([]), T0)
    expect(targets(plan)).toEqual(['canbo.tamthang@tamky.gov.vn', 'trucban1@tamky.gov.vn', 'trucban2@tamky.gov.vn', 'truongca@tamky.gov.vn'])
  })

  it('does not page the operators for BĐ1: only the area staff hear of it', () => {
    const plan = planTransition(transition('raised', 1), alarm({ level: 1, raisedLevel: 1 }), rules, directory(), T0)
    expect(targets(plan)).toEqual(['canbo.tamthang@tamky.gov.vn'])
    expect(plan.deliveries.some((d) => d.channel === 'step')).toBe(false)
  })

  it('pages again and restarts the chain when BĐ2 becomes BĐ3', () => {
    const plan = planTransition(transition('escalated', 3, T0 + 30 * MIN), alarm({ level: 3 }), rules, directory(), T0 + 30 * MIN)
    expect(plan.cancelEscalation).toBe(true)
    expect(plan.deliveries.filter((d) => d.channel === 'email').every((d) => d.event === 'alarm.escalated')).toBe(true)
    expect(plan.deliveries.filter((d) => d.channel === 'step').map((d) => d.dueAt - T0)).toEqual([40 * MIN, 50 * MIN])
  })

  it('stops the chain on an acknowledgement and pages nobody for it', () => {
    const plan = planTransition(transition('acknowledged'), alarm({ state: 'acknowledged' }), rules, directory(), T0 + 5 * MIN)
    expect(plan).toEqual({ deliveries: [], cancelEscalation: true })
  })

  it('tells the same people once when it clears, however many rules name them', () => {
    const plan = planTransition(transition('cleared'), alarm({ state: 'cleared' }), rules, directory(), T0 + 90 * MIN)
    expect(plan.cancelEscalation).toBe(true)
    expect(targets(plan)).toEqual(['canbo.tamthang@tamky.gov.vn', 'trucban1@tamky.gov.vn', 'trucban2@tamky.gov.vn', 'truongca@tamky.gov.vn'])
    expect(new Set(plan.deliveries.map((d) => d.event))).toEqual(new Set(['alarm.cleared']))
  })

  it('sends a silent station to the technicians only, and skips one without an email address', () => {
    const silent = alarm({ type: 'station_silent', level: null, raisedLevel: null })
    expect(planTransition(transition('raised', null), silent, rules, directory(), T0).deliveries).toEqual([])
  })

  it('goes to a webhook a rule names, and tells it of acknowledgements too', () => {
    const withHook = rules.map((r) => (r.id === 1 ? { ...r, recipients: [...r.recipients, { kind: 'webhook' as const, channelId: 7 }] } : r))
    expect(planTransition(transition('raised'), alarm(), withHook, directory(), T0).deliveries.filter((d) => d.channel === 'webhook')).toMatchObject([{ target: '7', event: 'alarm.raised' }])
    expect(planTransition(transition('acknowledged'), alarm({ state: 'acknowledged' }), withHook, directory(), T0).deliveries).toMatchObject([{ channel: 'webhook', target: '7', event: 'alarm.acknowledged' }])
  })
})

describe('ruleMatches', () => {
  it('matches by type, level, area and source', () => {
    const rule = { ...rules[0]!, areaIds: ['20344'] }
    expect(ruleMatches(rule, alarm(), 2)).toBe(false)
    expect(ruleMatches(rule, alarm({ areaId: '20344' }), 2)).toBe(true)
    expect(ruleMatches({ ...rule, enabled: false }, alarm({ areaId: '20344' }), 2)).toBe(false)
    expect(ruleMatches({ ...rules[0]!, sourceIds: ['tam-ky-river'] }, alarm(), 3)).toBe(false)
  })
})

describe('expandStep', () => {
  const step = { id: 's1', alarmId: 41, transitionId: 100, ruleId: 1, index: 0 }
  it('tells the shift leaders when nobody acknowledged within 10 minutes', () => {
    expect(expandStep(step, alarm(), rules[0], directory(), T0 + 10 * MIN)).toMatchObject([{ channel: 'email', target: 'truongca@tamky.gov.vn', event: 'alarm.escalated', step: 1 }])
  })
  it('tells nobody once the alarm is acknowledged or cleared', () => {
    expect(expandStep(step, alarm({ state: 'acknowledged' }), rules[0], directory(), T0 + 10 * MIN)).toEqual([])
    expect(expandStep(step, alarm({ state: 'cleared' }), rules[0], directory(), T0 + 10 * MIN)).toEqual([])
  })
})
