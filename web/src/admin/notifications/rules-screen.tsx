import { Permission, type AreaCollection, type CameraView, type CurrentUser, type NotificationRule, type StationView, type WebhookChannel } from '@ioc/shared'
import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { ApiRequestError, type ApiFailure } from '../../api.ts'
import { hasPermission } from '../../auth/permissions.ts'
import { areaName as areaNameIn } from '../../city.ts'
import { lang, t } from '../../i18n/lang.ts'
import { localized } from '../../i18n/translate.ts'
import type { Choice } from '../../ui/choice-list.tsx'
import { Confirm } from '../../ui/confirm.tsx'
import { usersApi } from '../admin-api.ts'
import { adminFailureText } from '../admin-errors.ts'
import { areaOptions } from '../area-options.ts'
import { ListLoadFailed, ListLoading } from '../load-state.tsx'
import { rulesApi, webhooksApi } from './notifications-api.ts'
import { recipientText, type RecipientNames } from './recipients.ts'
import type { AccountOption } from './recipients-editor.tsx'
import { alarmTypeLabel, RuleForm } from './rule-form.tsx'
import { ruleInputOf } from './rule-form-rules.ts'

type Load = { status: 'loading' } | { status: 'ready' } | { status: 'error'; failure: ApiFailure }
type Panel = { kind: 'create' } | { kind: 'edit'; id: number } | { kind: 'delete'; id: number } | null

interface RulesScreenProps {
  user: CurrentUser
  areas: AreaCollection | null
  stations: readonly StationView[]
  cameras: readonly CameraView[]
}

/**
 * Notification rules: which alarms reach whom, and who next while nobody acknowledges. A list of the
 * rules in words, a form to add or change one, switching one on or off, and deleting one.
 */
export function RulesScreen({ user, areas, stations, cameras }: RulesScreenProps) {
  const [rules, setRules] = useState<NotificationRule[]>([])
  const [webhooks, setWebhooks] = useState<WebhookChannel[]>([])
  const [accounts, setAccounts] = useState<AccountOption[] | null>(null)
  const [load, setLoad] = useState<Load>({ status: 'loading' })
  const [panel, setPanel] = useState<Panel>(null)
  const [notice, setNotice] = useState('')
  const [pending, setPending] = useState<number | null>(null)
  const [refusal, setRefusal] = useState<string | null>(null)
  const heading = useRef<HTMLHeadingElement>(null)
  const mayListUsers = hasPermission(user, Permission.userManage)

  const refresh = async () => {
    setLoad({ status: 'loading' })
    try {
      const [nextRules, nextWebhooks, users] = await Promise.all([rulesApi.list(), webhooksApi.list(), mayListUsers ? usersApi.list() : null])
      setRules(nextRules)
      setWebhooks(nextWebhooks)
      if (users) setAccounts(users.users.filter((u) => !u.disabled).map((u) => ({ username: u.username, fullName: u.fullName })).sort((a, b) => a.fullName.localeCompare(b.fullName, 'vi')))
      setLoad({ status: 'ready' })
    } catch (error) {
      if (!(error instanceof ApiRequestError)) throw error
      setLoad({ status: 'error', failure: error.failure })
    }
  }
  useEffect(() => void refresh(), [])
  useEffect(() => {
    if (panel?.kind === 'edit' || panel?.kind === 'create') heading.current?.focus()
  }, [panel?.kind, panel?.kind === 'edit' ? panel.id : null])

  const current = lang.value
  const areaChoices: Choice[] = areaOptions(areas, current).map((a) => ({ value: a.id, label: a.name }))
  const sourceChoices: Choice[] = useMemo(
    () => [
      ...stations.map((s) => ({ value: s.id, label: t('ruleForm.source.station', { name: localized(s.name, current) }) })),
      ...cameras.map((c) => ({ value: c.id, label: t('ruleForm.source.camera', { name: localized(c.name, current) }) })),
    ],
    [stations, cameras, current],
  )
  const sourceName = (id: string) => sourceChoices.find((c) => c.value === id)?.label ?? id
  const names: RecipientNames = {
    user: (username) => accounts?.find((a) => a.username === username)?.fullName,
    webhook: (id) => webhooks.find((w) => w.id === id)?.name,
  }

  const sorted = [...rules].sort((a, b) => a.id - b.id)
  const editing = panel?.kind === 'edit' ? rules.find((r) => r.id === panel.id) ?? null : null
  const deleting = panel?.kind === 'delete' ? rules.find((r) => r.id === panel.id) ?? null : null

  const put = (rule: NotificationRule) => setRules((list) => [...list.filter((r) => r.id !== rule.id), rule])
  const saved = (rule: NotificationRule, created: boolean) => {
    put(rule)
    setPanel(null)
    setNotice(t(created ? 'rules.done.created' : 'rules.done.saved', { name: rule.name }))
  }
  const act = async (rule: NotificationRule, action: 'toggle' | 'delete') => {
    setPending(rule.id)
    setRefusal(null)
    try {
      if (action === 'delete') {
        await rulesApi.remove(rule.id)
        setRules((list) => list.filter((r) => r.id !== rule.id))
        setPanel(null)
        setNotice(t('rules.done.deleted', { name: rule.name }))
        heading.current?.focus()
      } else {
        const next = await rulesApi.update(rule.id, { ...ruleInputOf(rule), enabled: !rule.enabled })
        put(next)
        setNotice(t(next.enabled ? 'rules.done.enabled' : 'rules.done.disabled', { name: next.name }))
      }
    } catch (error) {
      if (!(error instanceof ApiRequestError)) throw error
      setRefusal(adminFailureText(error.failure))
    } finally {
      setPending(null)
    }
  }

  return (
    <section class="admin-screen" aria-labelledby="admin-title" data-testid="rules-screen">
      <div class="admin-head">
        <h1 id="admin-title" tabIndex={-1}>
          {t('rules.title')}
        </h1>
        <div class="form-actions">
          <button
            type="button"
            class="primary"
            data-testid="rule-create"
            aria-expanded={panel?.kind === 'create'}
            disabled={load.status !== 'ready'}
            onClick={() => {
              setNotice('')
              setPanel({ kind: 'create' })
            }}
          >
            {t('rules.create')}
          </button>
        </div>
      </div>
      <p class="muted">{t('rules.intro')}</p>
      <p class="notice" role="status" data-testid="rules-notice" hidden={!notice}>
        {notice}
      </p>
      {refusal && (
        <p class="form-error" role="alert">
          {refusal}
        </p>
      )}
      {(panel?.kind === 'create' || editing) && (
        <section class="panel admin-panel" aria-labelledby="rule-panel-title" data-testid="rule-panel">
          <div class="detail-head">
            <h2 id="rule-panel-title" ref={heading} tabIndex={-1}>
              {editing ? t('ruleForm.editTitle', { name: editing.name }) : t('ruleForm.createTitle')}
            </h2>
            <button type="button" class="close" aria-label={t('common.close')} onClick={() => setPanel(null)}>
              ×
            </button>
          </div>
          <RuleForm
            key={editing?.id ?? 'new'}
            {...(editing && { rule: editing })}
            areas={areaChoices}
            sources={sourceChoices}
            accounts={accounts}
            webhooks={webhooks}
            names={names}
            onSaved={(rule) => saved(rule, !editing)}
            onCancel={() => setPanel(null)}
          />
        </section>
      )}
      {deleting && (
        <Confirm
          question={t('rules.confirmDelete', { name: deleting.name })}
          confirmLabel={t('rules.delete')}
          pending={pending === deleting.id}
          onConfirm={() => void act(deleting, 'delete')}
          onCancel={() => setPanel(null)}
        />
      )}

      {load.status === 'loading' && <ListLoading text={t('rules.loading')} />}
      {load.status === 'error' && <ListLoadFailed failure={load.failure} onRetry={() => void refresh()} />}
      {load.status === 'ready' &&
        (sorted.length === 0 ? (
          <p>{t('rules.empty')}</p>
        ) : (
          <div class="table-wrap">
            <table class="data-table rules-table stacking" data-testid="rules-table">
              <thead>
                <tr>
                  <th scope="col">{t('rules.col.name')}</th>
                  <th scope="col">{t('rules.col.alarms')}</th>
                  <th scope="col">{t('rules.col.where')}</th>
                  <th scope="col">{t('rules.col.recipients')}</th>
                  <th scope="col">{t('rules.col.escalation')}</th>
                  <th scope="col">
                    <span class="visually-hidden">{t('users.col.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {sorted.map((rule) => (
                  <tr key={rule.id} data-rule-id={rule.id} data-enabled={String(rule.enabled)} aria-current={editing?.id === rule.id ? 'true' : undefined}>
                    <th scope="row" data-label={t('rules.col.name')}>
                      <span>
                        <span class="rule-name">{rule.name}</span>{' '}
                        <span class={`badge ${rule.enabled ? 'badge-on' : 'badge-off'}`}>{t(rule.enabled ? 'rules.status.on' : 'rules.status.off')}</span>
                      </span>
                    </th>
                    <td data-label={t('rules.col.alarms')}>
                      <span>
                        {rule.alarmTypes.map((type) => t(alarmTypeLabel(type))).join(', ')}
                        {rule.minLevel !== null && rule.alarmTypes.includes('flood_level') && (
                          <span class="cell-note">{t('ruleForm.minLevel.from', { level: t(`alarm.type.flood_level.${rule.minLevel as 1 | 2 | 3}`) })}</span>
                        )}
                      </span>
                    </td>
                    <td data-label={t('rules.col.where')}>
                      <span>
                        {rule.areaIds === null ? t('ruleForm.areas.all') : rule.areaIds.map((id) => areaNameIn(areas, id, current)).join(', ')}
                        {rule.sourceIds !== null && <span class="cell-note">{rule.sourceIds.map(sourceName).join(', ')}</span>}
                      </span>
                    </td>
                    <td data-label={t('rules.col.recipients')}>
                      <ul class="cell-list">
                        {rule.recipients.map((r, i) => (
                          <li key={i}>{recipientText(r, current, names)}</li>
                        ))}
                      </ul>
                    </td>
                    <td data-label={t('rules.col.escalation')}>
                      {rule.escalation.length === 0 ? (
                        <span class="muted">{t('rules.noEscalation')}</span>
                      ) : (
                        <ol class="cell-list">
                          {rule.escalation.map((step, i) => (
                            <li key={i}>{t('rules.stepText', { minutes: step.afterMinutes, recipients: step.recipients.map((r) => recipientText(r, current, names)).join(', ') })}</li>
                          ))}
                        </ol>
                      )}
                    </td>
                    <td class="row-actions">
                      <span class="row-buttons">
                        <button
                          type="button"
                          class="secondary small"
                          aria-label={t('rules.editOf', { name: rule.name })}
                          onClick={() => {
                            setNotice('')
                            setPanel({ kind: 'edit', id: rule.id })
                          }}
                        >
                          {t('rules.edit')}
                        </button>
                        <button
                          type="button"
                          class="secondary small"
                          data-testid="rule-toggle"
                          aria-label={t(rule.enabled ? 'rules.disableOf' : 'rules.enableOf', { name: rule.name })}
                          disabled={pending === rule.id}
                          onClick={() => void act(rule, 'toggle')}
                        >
                          {t(rule.enabled ? 'rules.disable' : 'rules.enable')}
                        </button>
                        <button
                          type="button"
                          class="secondary small"
                          aria-label={t('rules.deleteOf', { name: rule.name })}
                          onClick={() => {
                            setNotice('')
                            setPanel({ kind: 'delete', id: rule.id })
                          }}
                        >
                          {t('rules.delete')}
                        </button>
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </section>
  )
}
