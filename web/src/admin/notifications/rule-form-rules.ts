import type { AlarmType, EscalationStep, NotificationRule, NotificationRuleInput, Recipient } from '@ioc/shared'
import type { MessageKey } from '../../i18n/messages.ts'
import type { MessageParams } from '../../i18n/translate.ts'

/** The API's limits on a rule (NotificationRuleInput). */
export const RULE_LIMITS = { nameMax: 120, recipientsMax: 20, stepsMax: 5, stepMinutesMax: 24 * 60 } as const

export interface StepValues {
  /** Minutes as typed. */
  afterMinutes: string
  recipients: Recipient[]
}

/** What the admin has chosen so far. "Some" areas or sources with none ticked is an error, not "all". */
export interface RuleFormValues {
  name: string
  enabled: boolean
  alarmTypes: AlarmType[]
  /** '' for every level. */
  minLevel: '' | '1' | '2' | '3'
  areaMode: 'all' | 'some'
  areaIds: string[]
  sourceMode: 'all' | 'some'
  sourceIds: string[]
  recipients: Recipient[]
  escalation: StepValues[]
}

export interface FieldError {
  key: MessageKey
  params?: MessageParams
}

/** Field ids as the form names its controls: `name`, `alarmTypes`, …, and `step-0-afterMinutes`, `step-0-recipients`. */
export type RuleFormErrors = Record<string, FieldError>

export const emptyRuleForm = (): RuleFormValues => ({
  name: '',
  enabled: true,
  alarmTypes: ['flood_level'],
  minLevel: '2',
  areaMode: 'all',
  areaIds: [],
  sourceMode: 'all',
  sourceIds: [],
  recipients: [{ kind: 'on_duty' }],
  escalation: [],
})

export const ruleFormOf = (rule: NotificationRuleInput): RuleFormValues => ({
  name: rule.name,
  enabled: rule.enabled,
  alarmTypes: [...rule.alarmTypes],
  minLevel: rule.minLevel === null ? '' : (String(rule.minLevel) as '1' | '2' | '3'),
  areaMode: rule.areaIds === null ? 'all' : 'some',
  areaIds: rule.areaIds ?? [],
  sourceMode: rule.sourceIds === null ? 'all' : 'some',
  sourceIds: rule.sourceIds ?? [],
  recipients: [...rule.recipients],
  escalation: rule.escalation.map((step) => ({ afterMinutes: String(step.afterMinutes), recipients: [...step.recipients] })),
})

/** A new escalation step: ten minutes after the last one (or after the alarm), to nobody yet. */
export function nextStep(steps: readonly StepValues[]): StepValues {
  const last = steps.length > 0 ? Number(steps[steps.length - 1]!.afterMinutes) : 0
  const after = Number.isInteger(last) && last > 0 ? Math.min(last + 10, RULE_LIMITS.stepMinutesMax) : 10
  return { afterMinutes: String(after), recipients: [] }
}

const wholeMinutes = (text: string): number | null => (/^\s*\d+\s*$/.test(text) ? Number(text) : null)

function recipientsError(recipients: readonly Recipient[]): FieldError | null {
  if (recipients.length === 0) return { key: 'ruleForm.error.recipients' }
  if (recipients.length > RULE_LIMITS.recipientsMax) return { key: 'ruleForm.error.tooManyRecipients', params: { max: RULE_LIMITS.recipientsMax } }
  return null
}

/** The server's rules, checked before sending so the form can say what to fix, field by field. */
export function ruleFormErrors(values: RuleFormValues): RuleFormErrors {
  const errors: RuleFormErrors = {}
  const name = values.name.trim()
  if (name === '' || [...name].length > RULE_LIMITS.nameMax) errors.name = { key: 'ruleForm.error.name', params: { max: RULE_LIMITS.nameMax } }
  if (values.alarmTypes.length === 0) errors.alarmTypes = { key: 'ruleForm.error.alarmTypes' }
  if (values.areaMode === 'some' && values.areaIds.length === 0) errors.areaIds = { key: 'ruleForm.error.areas' }
  if (values.sourceMode === 'some' && values.sourceIds.length === 0) errors.sourceIds = { key: 'ruleForm.error.sources' }
  const recipients = recipientsError(values.recipients)
  if (recipients) errors.recipients = recipients
  values.escalation.forEach((step, i) => {
    const minutes = wholeMinutes(step.afterMinutes)
    if (minutes === null || minutes < 1 || minutes > RULE_LIMITS.stepMinutesMax) {
      errors[`step-${i}-afterMinutes`] = { key: 'ruleForm.error.afterMinutes', params: { max: RULE_LIMITS.stepMinutesMax } }
    }
    const stepRecipients = recipientsError(step.recipients)
    if (stepRecipients) errors[`step-${i}-recipients`] = stepRecipients
  })
  return errors
}

/**
 * The rule as the API takes it. A minimum level only means something for flood alarms: without them
 * it is sent as null. Call on valid values only.
 */
export function ruleBody(values: RuleFormValues): NotificationRuleInput {
  const escalation: EscalationStep[] = values.escalation.map((step) => ({ afterMinutes: Number(step.afterMinutes.trim()), recipients: step.recipients }))
  return {
    name: values.name.trim(),
    enabled: values.enabled,
    alarmTypes: values.alarmTypes,
    minLevel: values.minLevel === '' || !values.alarmTypes.includes('flood_level') ? null : Number(values.minLevel),
    areaIds: values.areaMode === 'all' ? null : [...new Set(values.areaIds)],
    sourceIds: values.sourceMode === 'all' ? null : [...new Set(values.sourceIds)],
    recipients: values.recipients,
    escalation,
  }
}

/** A stored rule back as the API takes it (to switch it on or off without touching the rest). */
export function ruleInputOf(rule: NotificationRule): NotificationRuleInput {
  const { id: _id, updatedAt: _updatedAt, ...input } = rule
  return input
}
