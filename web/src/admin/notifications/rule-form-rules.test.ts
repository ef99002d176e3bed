import { describe, expect, it } from 'vitest'
import { DEFAULT_NOTIFICATION_RULES, type NotificationRule } from '@ioc/shared'
import { emptyRuleForm, nextStep, ruleBody, ruleFormErrors, ruleFormOf, ruleInputOf, type RuleFormValues } from './rule-form-rules.ts'

const values = (over: Partial<RuleFormValues> = {}): RuleFormValues => ({ ...emptyRuleForm(), name: 'BĐ3 → lãnh đạo', ...over })

describe('ruleFormErrors', () => {
  it('accepts a complete rule', () => {
    expect(ruleFormErrors(values())).toEqual({})
  })

  it('asks for a name of at most 120 characters, an alarm type and a recipient', () => {
    const errors = ruleFormErrors(values({ name: '  ', alarmTypes: [], recipients: [] }))
    expect(Object.keys(errors).sort()).toEqual(['alarmTypes', 'name', 'recipients'])
    expect(ruleFormErrors(values({ name: 'Ấ'.repeat(121) })).name?.key).toBe('ruleForm.error.name')
    expect(ruleFormErrors(values({ name: 'Ấ'.repeat(120) }))).toEqual({})
  })

  it('asks for at least one area or source when not everywhere', () => {
    expect(ruleFormErrors(values({ areaMode: 'some' })).areaIds?.key).toBe('ruleForm.error.areas')
    expect(ruleFormErrors(values({ sourceMode: 'some' })).sourceIds?.key).toBe('ruleForm.error.sources')
    expect(ruleFormErrors(values({ areaMode: 'some', areaIds: ['20362'], sourceMode: 'some', sourceIds: ['tam-ky-river'] }))).toEqual({})
  })

  it('judges each escalation step: whole minutes from 1 to 1440, someone to tell', () => {
    const errors = ruleFormErrors(
      values({
        escalation: [
          { afterMinutes: '10', recipients: [{ kind: 'group', group: 'shift-leaders' }] },
          { afterMinutes: '7.5', recipients: [] },
          { afterMinutes: '1441', recipients: [{ kind: 'on_duty' }] },
          { afterMinutes: '0', recipients: [{ kind: 'on_duty' }] },
        ],
      }),
    )
    expect(Object.keys(errors).sort()).toEqual(['step-1-afterMinutes', 'step-1-recipients', 'step-2-afterMinutes', 'step-3-afterMinutes'])
  })
})

describe('ruleBody', () => {
  it('turns the form into the API body', () => {
    expect(
      ruleBody(
        values({
          name: ' Ngập Tam Thăng ',
          alarmTypes: ['flood_level', 'rapid_rise'],
          minLevel: '3',
          areaMode: 'some',
          areaIds: ['20362', '20362'],
          recipients: [{ kind: 'area_staff' }],
          escalation: [{ afterMinutes: ' 15 ', recipients: [{ kind: 'webhook', channelId: 2 }] }],
        }),
      ),
    ).toEqual({
      name: 'Ngập Tam Thăng',
      enabled: true,
      alarmTypes: ['flood_level', 'rapid_rise'],
      minLevel: 3,
      areaIds: ['20362'],
      sourceIds: null,
      recipients: [{ kind: 'area_staff' }],
      escalation: [{ afterMinutes: 15, recipients: [{ kind: 'webhook', channelId: 2 }] }],
    })
  })

  it('sends no minimum level without flood alarms, and null for every level', () => {
    expect(ruleBody(values({ alarmTypes: ['low_battery'], minLevel: '2' })).minLevel).toBeNull()
    expect(ruleBody(values({ minLevel: '' })).minLevel).toBeNull()
  })

  it('gives back each default rule unchanged after a round trip through the form', () => {
    for (const rule of DEFAULT_NOTIFICATION_RULES) expect(ruleBody(ruleFormOf(rule))).toEqual(rule)
  })

  it('drops the id and time of a stored rule', () => {
    const stored: NotificationRule = { id: 4, updatedAt: '2026-10-30T02:00:00.000Z', ...DEFAULT_NOTIFICATION_RULES[0]! }
    expect(ruleInputOf(stored)).toEqual(DEFAULT_NOTIFICATION_RULES[0])
  })
})

describe('nextStep', () => {
  it('comes ten minutes after the last step', () => {
    expect(nextStep([])).toEqual({ afterMinutes: '10', recipients: [] })
    expect(nextStep([{ afterMinutes: '20', recipients: [] }]).afterMinutes).toBe('30')
    expect(nextStep([{ afterMinutes: '1435', recipients: [] }]).afterMinutes).toBe('1440')
    expect(nextStep([{ afterMinutes: 'x', recipients: [] }]).afterMinutes).toBe('10')
  })
})
