import { ROLES, type Recipient, type Role, type WebhookChannel } from '@ioc/shared'
import { useState } from 'preact/hooks'
import { GROUP_PATTERN } from '../../auth/contact-rules.ts'
import { ROLE_LABEL } from '../../auth/roles.ts'
import { lang, t } from '../../i18n/lang.ts'
import type { MessageKey } from '../../i18n/messages.ts'
import { addRecipient, GROUP_LABEL, KIND_LABEL, KNOWN_GROUPS, RECIPIENT_KINDS, recipientId, recipientText, type RecipientKind, type RecipientNames } from './recipients.ts'

/** An account to offer as a recipient. */
export interface AccountOption {
  username: string
  fullName: string
}

interface RecipientsEditorProps {
  id: string
  legend: string
  recipients: readonly Recipient[]
  onChange: (recipients: Recipient[]) => void
  /** The accounts to choose from; null when this admin may not list them (then a username is typed). */
  accounts: readonly AccountOption[] | null
  webhooks: readonly WebhookChannel[]
  names: RecipientNames
  error?: string | null
}

const OTHER_GROUP = '__other__'

/**
 * Who a rule (or one of its escalation steps) reaches: the chosen recipients, each in words with a
 * button to take it off, then a row to add one — its kind, and what names it (an account, a role, a
 * group, a webhook). Enter in that row adds, it does not submit the rule.
 */
export function RecipientsEditor({ id, legend, recipients, onChange, accounts, webhooks, names, error }: RecipientsEditorProps) {
  const [kind, setKind] = useState<RecipientKind>('on_duty')
  const [value, setValue] = useState('')
  const [otherGroup, setOtherGroup] = useState('')
  const [problem, setProblem] = useState<MessageKey | null>(null)
  const current = lang.value

  const chosen = (): Recipient | MessageKey => {
    switch (kind) {
      case 'on_duty':
      case 'area_staff':
        return { kind }
      case 'role':
        return { kind, role: (value || 'operator') as Role }
      case 'user':
        return value.trim() ? { kind, username: value.trim() } : 'recipient.error.user'
      case 'group': {
        const group = (value === OTHER_GROUP || value === '' ? (value === '' ? KNOWN_GROUPS[0] : otherGroup) : value).trim().toLowerCase()
        return GROUP_PATTERN.test(group) ? { kind, group } : 'recipient.error.group'
      }
      case 'webhook':
        return value ? { kind, channelId: Number(value) } : 'recipient.error.webhook'
    }
  }

  const add = () => {
    const recipient = chosen()
    if (typeof recipient === 'string') return setProblem(recipient)
    setProblem(null)
    onChange(addRecipient(recipients, recipient))
    setValue('')
    setOtherGroup('')
  }
  const addOnEnter = (event: KeyboardEvent) => {
    if (event.key !== 'Enter') return
    event.preventDefault()
    add()
  }

  const described = [error ? `${id}-error` : null, problem ? `${id}-problem` : null].filter(Boolean).join(' ') || undefined
  const valueId = `${id}-value`
  return (
    <fieldset class={`recipients${error ? ' invalid' : ''}`} aria-describedby={error ? `${id}-error` : undefined} data-testid={id}>
      <legend>{legend}</legend>
      {recipients.length === 0 ? (
        <p class="muted">{t('recipient.none')}</p>
      ) : (
        <ul class="recipient-list">
          {recipients.map((recipient) => {
            const text = recipientText(recipient, current, names)
            return (
              <li key={recipientId(recipient)} data-recipient={recipientId(recipient)}>
                <span>{text}</span>
                <button
                  type="button"
                  class="secondary small"
                  aria-label={t('recipient.removeOf', { recipient: text })}
                  onClick={() => onChange(recipients.filter((r) => recipientId(r) !== recipientId(recipient)))}
                >
                  {t('recipient.remove')}
                </button>
              </li>
            )
          })}
        </ul>
      )}
      <div class="recipient-add">
        <div class="field">
          <label for={`${id}-kind`}>{t('recipient.add.kind')}</label>
          <select
            id={`${id}-kind`}
            value={kind}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={described}
            onChange={(e) => {
              setKind(e.currentTarget.value as RecipientKind)
              setValue('')
              setProblem(null)
            }}
          >
            {RECIPIENT_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(KIND_LABEL[k])}
              </option>
            ))}
          </select>
        </div>
        {kind === 'role' && (
          <div class="field">
            <label for={valueId}>{t('recipient.add.role')}</label>
            <select id={valueId} value={value || 'operator'} onChange={(e) => setValue(e.currentTarget.value)}>
              {ROLES.map((role) => (
                <option key={role} value={role}>
                  {t(ROLE_LABEL[role])}
                </option>
              ))}
            </select>
          </div>
        )}
        {kind === 'user' &&
          (accounts ? (
            <div class="field">
              <label for={valueId}>{t('recipient.add.user')}</label>
              <select id={valueId} value={value} onChange={(e) => setValue(e.currentTarget.value)}>
                <option value="">{t('recipient.add.userChoose')}</option>
                {accounts.map((a) => (
                  <option key={a.username} value={a.username}>
                    {a.fullName} ({a.username})
                  </option>
                ))}
              </select>
            </div>
          ) : (
            <div class="field">
              <label for={valueId}>{t('recipient.add.username')}</label>
              <input id={valueId} autoComplete="off" autoCapitalize="none" spellcheck={false} value={value} onInput={(e) => setValue(e.currentTarget.value)} onKeyDown={addOnEnter} />
            </div>
          ))}
        {kind === 'group' && (
          <>
            <div class="field">
              <label for={valueId}>{t('recipient.add.group')}</label>
              <select id={valueId} value={value || KNOWN_GROUPS[0]} aria-describedby={`${valueId}-hint`} onChange={(e) => setValue(e.currentTarget.value)}>
                {KNOWN_GROUPS.map((group) => (
                  <option key={group} value={group}>
                    {t(GROUP_LABEL[group].name)} ({group})
                  </option>
                ))}
                <option value={OTHER_GROUP}>{t('recipient.add.otherGroup')}</option>
              </select>
            </div>
            {value === OTHER_GROUP && (
              <div class="field">
                <label for={`${valueId}-other`}>{t('recipient.add.groupName')}</label>
                <input
                  id={`${valueId}-other`}
                  autoComplete="off"
                  autoCapitalize="none"
                  spellcheck={false}
                  value={otherGroup}
                  onInput={(e) => setOtherGroup(e.currentTarget.value)}
                  onKeyDown={addOnEnter}
                />
              </div>
            )}
          </>
        )}
        {kind === 'webhook' &&
          (webhooks.length === 0 ? (
            <p class="muted recipient-note">{t('recipient.add.noWebhooks')}</p>
          ) : (
            <div class="field">
              <label for={valueId}>{t('recipient.add.webhook')}</label>
              <select id={valueId} value={value} onChange={(e) => setValue(e.currentTarget.value)}>
                <option value="">{t('recipient.add.webhookChoose')}</option>
                {webhooks.map((w) => (
                  <option key={w.id} value={String(w.id)}>
                    {w.name}
                    {w.enabled ? '' : ` (${t('webhooks.status.disabled')})`}
                  </option>
                ))}
              </select>
            </div>
          ))}
        <button type="button" class="secondary recipient-add-button" data-testid={`${id}-add`} onClick={add}>
          {t('recipient.add.submit')}
        </button>
      </div>
      {kind === 'group' && (
        <p class="field-hint recipient-hint" id={`${valueId}-hint`}>
          {value === OTHER_GROUP ? t('recipient.add.otherGroupHint') : t(GROUP_LABEL[(value || KNOWN_GROUPS[0]) as (typeof KNOWN_GROUPS)[number]].hint)}
        </p>
      )}
      {problem && (
        <p class="field-error" id={`${id}-problem`} role="alert">
          {t(problem)}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  )
}
