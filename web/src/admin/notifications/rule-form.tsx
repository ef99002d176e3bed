import { ALARM_TYPES, type AlarmType, type NotificationRule, type WebhookChannel } from '@ioc/shared'
import { useRef, useState } from 'preact/hooks'
import { ApiRequestError } from '../../api.ts'
import { alarmTypeKey } from '../../alarms/alarm-text.ts'
import { t } from '../../i18n/lang.ts'
import type { MessageKey } from '../../i18n/messages.ts'
import { ChoiceList, ScopePicker, type Choice } from '../../ui/choice-list.tsx'
import { Field, useFocusFirstError } from '../../ui/field.tsx'
import { adminFailureText } from '../admin-errors.ts'
import { rulesApi } from './notifications-api.ts'
import type { RecipientNames } from './recipients.ts'
import { RecipientsEditor, type AccountOption } from './recipients-editor.tsx'
import { emptyRuleForm, nextStep, RULE_LIMITS, ruleBody, ruleFormErrors, ruleFormOf, type RuleFormErrors, type RuleFormValues } from './rule-form-rules.ts'

/** An alarm type in words, for choosing it in a rule: flood alarms as one type, whatever their level. */
export const alarmTypeLabel = (type: AlarmType): MessageKey => (type === 'flood_level' ? 'ruleForm.type.flood_level' : alarmTypeKey({ type, level: null }))

interface RuleFormProps {
  /** The rule to edit; none for a new one. */
  rule?: NotificationRule
  areas: readonly Choice[]
  sources: readonly Choice[]
  accounts: readonly AccountOption[] | null
  webhooks: readonly WebhookChannel[]
  names: RecipientNames
  onSaved: (rule: NotificationRule) => void
  onCancel: () => void
}

/**
 * A notification rule: its name and whether it is on; which alarms (types, from which BĐ level, where);
 * who is told at once; and who next, step by step, while nobody acknowledges. The server's refusals
 * (an account or webhook that does not exist) are shown as it words them.
 */
export function RuleForm({ rule, areas, sources, accounts, webhooks, names, onSaved, onCancel }: RuleFormProps) {
  const form = useRef<HTMLFormElement>(null)
  const [values, setValues] = useState<RuleFormValues>(() => (rule ? ruleFormOf(rule) : emptyRuleForm()))
  const [errors, setErrors] = useState<RuleFormErrors>({})
  const [refusal, setRefusal] = useState<string | null>(null)
  const [pending, setPending] = useState(false)
  const [attempt, setAttempt] = useState(0)
  useFocusFirstError(form, attempt)

  const set = (patch: Partial<RuleFormValues>) => {
    const next = { ...values, ...patch }
    setValues(next)
    // Once a submit was refused, the form is judged again as it is fixed.
    if (attempt > 0) setErrors(ruleFormErrors(next))
  }
  const setStep = (index: number, patch: Partial<RuleFormValues['escalation'][number]>) =>
    set({ escalation: values.escalation.map((step, i) => (i === index ? { ...step, ...patch } : step)) })

  const submit = async (event: Event) => {
    event.preventDefault()
    if (pending) return
    const found = ruleFormErrors(values)
    setErrors(found)
    setRefusal(null)
    if (Object.keys(found).length > 0) return setAttempt((n) => n + 1)
    setPending(true)
    try {
      const body = ruleBody(values)
      onSaved(rule ? await rulesApi.update(rule.id, body) : await rulesApi.create(body))
    } catch (error) {
      if (!(error instanceof ApiRequestError)) throw error
      setRefusal(adminFailureText(error.failure))
      setAttempt((n) => n + 1)
    } finally {
      setPending(false)
    }
  }

  const errorText = (field: string) => {
    const error = errors[field]
    return error ? t(error.key, error.params) : null
  }
  const mode = rule ? 'edit' : 'create'
  const id = (field: string) => `rule-${mode}-${field}`
  const editorProps = { accounts, webhooks, names }
  const floodChosen = values.alarmTypes.includes('flood_level')

  return (
    <form ref={form} class="form station-form rule-form" noValidate onSubmit={submit} aria-busy={pending} data-testid={`rule-${mode}-form`}>
      {refusal && (
        <p class="form-error" role="alert" tabIndex={-1} data-testid="rule-form-error">
          {refusal}
        </p>
      )}
      <fieldset>
        <legend>{t('ruleForm.about')}</legend>
        <div class="rule-about">
          <Field id={id('name')} label={t('ruleForm.name')} hint={t('ruleForm.nameHint')} error={errorText('name')}>
            {(control) => <input {...control} name="name" autoComplete="off" value={values.name} onInput={(e) => set({ name: e.currentTarget.value })} />}
          </Field>
          <label class="checkbox">
            <input type="checkbox" checked={values.enabled} onChange={(e) => set({ enabled: e.currentTarget.checked })} />
            {t('ruleForm.enabled')}
          </label>
        </div>
      </fieldset>

      <fieldset>
        <legend>{t('ruleForm.which')}</legend>
        <ChoiceList
          id={id('alarmTypes')}
          legend={t('ruleForm.alarmTypes')}
          choices={ALARM_TYPES.map((type) => ({ value: type, label: t(alarmTypeLabel(type)) }))}
          selected={values.alarmTypes}
          onChange={(selected) => set({ alarmTypes: ALARM_TYPES.filter((type) => selected.includes(type)) })}
          error={errorText('alarmTypes')}
        />
        <div class="station-form-grid">
          <Field id={id('minLevel')} label={t('ruleForm.minLevel')} hint={t(floodChosen ? 'ruleForm.minLevelHint' : 'ruleForm.minLevelNoFlood')}>
            {(control) => (
              <select {...control} value={values.minLevel} disabled={!floodChosen} onChange={(e) => set({ minLevel: e.currentTarget.value as RuleFormValues['minLevel'] })}>
                <option value="">{t('ruleForm.minLevel.any')}</option>
                {(['1', '2', '3'] as const).map((level) => (
                  <option key={level} value={level}>
                    {t('ruleForm.minLevel.from', { level: t(`alarm.type.flood_level.${level}`) })}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <ScopePicker
          id={id('areas')}
          legend={t('ruleForm.areas')}
          allLabel={t('ruleForm.areas.all')}
          someLabel={t('ruleForm.areas.some')}
          mode={values.areaMode}
          onMode={(areaMode) => set({ areaMode })}
          choices={areas}
          selected={values.areaIds}
          onChange={(areaIds) => set({ areaIds })}
          error={errorText('areaIds')}
        />
        <ScopePicker
          id={id('sources')}
          legend={t('ruleForm.sources')}
          allLabel={t('ruleForm.sources.all')}
          someLabel={t('ruleForm.sources.some')}
          mode={values.sourceMode}
          onMode={(sourceMode) => set({ sourceMode })}
          choices={sources}
          selected={values.sourceIds}
          onChange={(sourceIds) => set({ sourceIds })}
          error={errorText('sourceIds')}
        />
      </fieldset>

      <RecipientsEditor
        id={id('recipients')}
        legend={t('ruleForm.recipients')}
        recipients={values.recipients}
        onChange={(recipients) => set({ recipients })}
        error={errorText('recipients')}
        {...editorProps}
      />

      <fieldset class="escalation">
        <legend>{t('ruleForm.escalation')}</legend>
        <p class="field-hint">{t('ruleForm.escalationHint')}</p>
        {values.escalation.length === 0 && <p class="muted">{t('ruleForm.noEscalation')}</p>}
        <ol class="steps">
          {values.escalation.map((step, index) => (
            <li key={index} class="step" data-testid={`rule-step-${index}`}>
              <div class="step-head">
                <h3>{t('ruleForm.step', { n: index + 1 })}</h3>
                <button
                  type="button"
                  class="secondary small"
                  aria-label={t('ruleForm.removeStepOf', { n: index + 1 })}
                  onClick={() => set({ escalation: values.escalation.filter((_, i) => i !== index) })}
                >
                  {t('ruleForm.removeStep')}
                </button>
              </div>
              <div class="station-form-grid">
                <Field
                  id={id(`step-${index}-afterMinutes`)}
                  label={t('ruleForm.afterMinutes')}
                  hint={t('ruleForm.afterMinutesHint')}
                  error={errorText(`step-${index}-afterMinutes`)}
                >
                  {(control) => <input {...control} inputMode="numeric" autoComplete="off" value={step.afterMinutes} onInput={(e) => setStep(index, { afterMinutes: e.currentTarget.value })} />}
                </Field>
              </div>
              <RecipientsEditor
                id={id(`step-${index}-recipients`)}
                legend={t('ruleForm.stepRecipients', { n: index + 1 })}
                recipients={step.recipients}
                onChange={(recipients) => setStep(index, { recipients })}
                error={errorText(`step-${index}-recipients`)}
                {...editorProps}
              />
            </li>
          ))}
        </ol>
        {values.escalation.length < RULE_LIMITS.stepsMax && (
          <button type="button" class="secondary add-step" data-testid="rule-add-step" onClick={() => set({ escalation: [...values.escalation, nextStep(values.escalation)] })}>
            {t('ruleForm.addStep')}
          </button>
        )}
      </fieldset>

      <div class="form-actions">
        <button type="submit" class="primary" disabled={pending}>
          {pending && <span class="spinner" aria-hidden="true" />}
          {pending ? t('ruleForm.saving') : rule ? t('ruleForm.save') : t('ruleForm.create')}
        </button>
        <button type="button" class="secondary" disabled={pending} onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  )
}
