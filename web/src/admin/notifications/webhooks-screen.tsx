import type { WebhookChannel } from '@ioc/shared'
import { useEffect, useRef, useState } from 'preact/hooks'
import { ApiRequestError, type ApiFailure } from '../../api.ts'
import { formatDateTime } from '../../i18n/format.ts'
import { lang, t } from '../../i18n/lang.ts'
import { Confirm } from '../../ui/confirm.tsx'
import { adminFailureText } from '../admin-errors.ts'
import { ListLoadFailed, ListLoading } from '../load-state.tsx'
import { EmailTest } from './email-test.tsx'
import { webhooksApi, type CreatedWebhook, type SendTestResult } from './notifications-api.ts'
import { SecretCard } from './secret-card.tsx'
import { TestResult } from './test-result.tsx'
import { WebhookForm } from './webhook-form.tsx'

type Load = { status: 'loading' } | { status: 'ready' } | { status: 'error'; failure: ApiFailure }
type Panel = { kind: 'create' } | { kind: 'edit'; id: number } | { kind: 'delete'; id: number } | null
type Test = { status: 'sending' } | { status: 'done'; result: SendTestResult }

/**
 * Webhooks (Zalo OA, Telegram, an SMS gateway): the list, adding one (its secret shown once), changing
 * and deleting one, and a signed test message with what the receiver answered. Below, a test email.
 */
export function WebhooksScreen({ timeZone }: { timeZone: string }) {
  const [channels, setChannels] = useState<WebhookChannel[]>([])
  const [load, setLoad] = useState<Load>({ status: 'loading' })
  const [panel, setPanel] = useState<Panel>(null)
  const [notice, setNotice] = useState('')
  const [created, setCreated] = useState<CreatedWebhook | null>(null)
  const [tests, setTests] = useState<Record<number, Test>>({})
  const [deletingPending, setDeletingPending] = useState(false)
  const [refusal, setRefusal] = useState<string | null>(null)
  const heading = useRef<HTMLHeadingElement>(null)

  const refresh = async () => {
    setLoad({ status: 'loading' })
    try {
      setChannels(await webhooksApi.list())
      setLoad({ status: 'ready' })
    } catch (error) {
      if (!(error instanceof ApiRequestError)) throw error
      setLoad({ status: 'error', failure: error.failure })
    }
  }
  useEffect(() => void refresh(), [])
  useEffect(() => {
    if (panel?.kind === 'create' || panel?.kind === 'edit') heading.current?.focus()
  }, [panel?.kind, panel?.kind === 'edit' ? panel.id : null])

  const current = lang.value
  const sorted = [...channels].sort((a, b) => a.id - b.id)
  const editing = panel?.kind === 'edit' ? channels.find((c) => c.id === panel.id) ?? null : null
  const deleting = panel?.kind === 'delete' ? channels.find((c) => c.id === panel.id) ?? null : null
  const put = (channel: WebhookChannel) => setChannels((list) => [...list.filter((c) => c.id !== channel.id), channel])

  const sendTest = async (channel: WebhookChannel) => {
    setTests((all) => ({ ...all, [channel.id]: { status: 'sending' } }))
    let result: SendTestResult
    try {
      result = await webhooksApi.test(channel.id)
    } catch (error) {
      if (!(error instanceof ApiRequestError)) throw error
      result = { ok: false, detail: adminFailureText(error.failure) }
    }
    setTests((all) => ({ ...all, [channel.id]: { status: 'done', result } }))
  }

  const remove = async (channel: WebhookChannel) => {
    setDeletingPending(true)
    setRefusal(null)
    try {
      await webhooksApi.remove(channel.id)
      setChannels((list) => list.filter((c) => c.id !== channel.id))
      setPanel(null)
      setNotice(t('webhooks.done.deleted', { name: channel.name }))
      document.getElementById('admin-title')?.focus()
    } catch (error) {
      if (!(error instanceof ApiRequestError)) throw error
      setRefusal(adminFailureText(error.failure))
    } finally {
      setDeletingPending(false)
    }
  }

  return (
    <section class="admin-screen" aria-labelledby="admin-title" data-testid="webhooks-screen">
      <div class="admin-head">
        <h1 id="admin-title" tabIndex={-1}>
          {t('webhooks.title')}
        </h1>
        <div class="form-actions">
          <button
            type="button"
            class="primary"
            data-testid="webhook-create"
            aria-expanded={panel?.kind === 'create'}
            onClick={() => {
              setNotice('')
              setPanel({ kind: 'create' })
            }}
          >
            {t('webhooks.create')}
          </button>
        </div>
      </div>
      <p class="muted">{t('webhooks.intro')}</p>
      <p class="notice" role="status" data-testid="webhooks-notice" hidden={!notice}>
        {notice}
      </p>
      {refusal && (
        <p class="form-error" role="alert">
          {refusal}
        </p>
      )}
      {created && <SecretCard webhook={created} onDismiss={() => setCreated(null)} />}
      {(panel?.kind === 'create' || editing) && (
        <section class="panel admin-panel" aria-labelledby="webhook-panel-title" data-testid="webhook-panel">
          <div class="detail-head">
            <h2 id="webhook-panel-title" ref={heading} tabIndex={-1}>
              {editing ? t('webhookForm.editTitle', { name: editing.name }) : t('webhookForm.createTitle')}
            </h2>
            <button type="button" class="close" aria-label={t('common.close')} onClick={() => setPanel(null)}>
              ×
            </button>
          </div>
          {editing ? (
            <WebhookForm
              key={editing.id}
              mode="edit"
              channel={editing}
              onSaved={(channel) => {
                put(channel)
                setPanel(null)
                setNotice(t('webhooks.done.saved', { name: channel.name }))
              }}
              onCancel={() => setPanel(null)}
            />
          ) : (
            <WebhookForm
              mode="create"
              onCreated={(webhook) => {
                const { secret: _secret, ...channel } = webhook
                put(channel)
                setPanel(null)
                setNotice(t('webhooks.done.created', { name: webhook.name }))
                setCreated(webhook)
              }}
              onCancel={() => setPanel(null)}
            />
          )}
        </section>
      )}
      {deleting && (
        <Confirm
          question={t('webhooks.confirmDelete', { name: deleting.name })}
          confirmLabel={t('webhooks.delete')}
          pending={deletingPending}
          onConfirm={() => void remove(deleting)}
          onCancel={() => setPanel(null)}
        />
      )}

      {load.status === 'loading' && <ListLoading text={t('webhooks.loading')} />}
      {load.status === 'error' && <ListLoadFailed failure={load.failure} onRetry={() => void refresh()} />}
      {load.status === 'ready' &&
        (sorted.length === 0 ? (
          <p data-testid="webhooks-empty">{t('webhooks.empty')}</p>
        ) : (
          <table class="data-table webhooks-table stacking" data-testid="webhooks-table">
            <thead>
              <tr>
                <th scope="col">{t('webhooks.col.name')}</th>
                <th scope="col">{t('webhooks.col.url')}</th>
                <th scope="col">{t('webhooks.col.status')}</th>
                <th scope="col">{t('webhooks.col.updated')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('users.col.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((channel) => {
                const test = tests[channel.id]
                return (
                  <tr key={channel.id} data-webhook-id={channel.id} data-name={channel.name} aria-current={editing?.id === channel.id ? 'true' : undefined}>
                    <th scope="row" data-label={t('webhooks.col.name')}>
                      {channel.name}
                    </th>
                    <td data-label={t('webhooks.col.url')} class="detail-cell">
                      {channel.url}
                    </td>
                    <td data-label={t('webhooks.col.status')}>
                      <span>
                        <span class={`badge ${channel.enabled ? 'badge-on' : 'badge-off'}`}>{t(channel.enabled ? 'webhooks.status.enabled' : 'webhooks.status.disabled')}</span>
                      </span>
                    </td>
                    <td data-label={t('webhooks.col.updated')}>{formatDateTime(channel.updatedAt, current, timeZone)}</td>
                    <td class="row-actions">
                      <span class="row-buttons">
                        <button
                          type="button"
                          class="secondary small"
                          data-testid="webhook-test"
                          aria-label={t('webhooks.testOf', { name: channel.name })}
                          disabled={test?.status === 'sending'}
                          onClick={() => void sendTest(channel)}
                        >
                          {test?.status === 'sending' && <span class="spinner" aria-hidden="true" />}
                          {test?.status === 'sending' ? t('sendTest.sending') : t('webhooks.test')}
                        </button>
                        <button
                          type="button"
                          class="secondary small"
                          aria-label={t('webhooks.editOf', { name: channel.name })}
                          onClick={() => {
                            setNotice('')
                            setPanel({ kind: 'edit', id: channel.id })
                          }}
                        >
                          {t('users.edit')}
                        </button>
                        <button
                          type="button"
                          class="secondary small"
                          aria-label={t('webhooks.deleteOf', { name: channel.name })}
                          onClick={() => {
                            setNotice('')
                            setPanel({ kind: 'delete', id: channel.id })
                          }}
                        >
                          {t('webhooks.delete')}
                        </button>
                      </span>
                      <span class="row-result" aria-live="polite">
                        {test?.status === 'done' && <TestResult result={test.result} testId="webhook-test-result" />}
                      </span>
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        ))}
      <EmailTest />
    </section>
  )
}
