import type { DeliveryStatus } from '@ioc/shared'
import { useEffect, useState } from 'preact/hooks'
import { ApiRequestError, type ApiFailure } from '../../api.ts'
import { formatDateTime } from '../../i18n/format.ts'
import { lang, t } from '../../i18n/lang.ts'
import { ListLoadFailed, ListLoading } from '../load-state.tsx'
import { CHANNEL_LABEL, DELIVERY_STATUSES, EVENT_LABEL, STATUS_LABEL } from './delivery-text.ts'
import { fetchDeliveries, type DeliveryEntry, type DeliveryFilters } from './notifications-api.ts'

const LIMIT = 100

type Load = { status: 'loading' | 'idle' | 'refreshing' } | { status: 'error'; failure: ApiFailure }

/**
 * The delivery log, newest first: each message to each recipient (and each escalation step), its
 * status in words and colour, and every attempt with what the receiver answered. Filtered by status
 * and by alarm; refreshed on demand.
 */
export function DeliveriesScreen({ timeZone }: { timeZone: string }) {
  const [draft, setDraft] = useState<DeliveryFilters>({ status: '', alarm: '' })
  const [filters, setFilters] = useState<DeliveryFilters>(draft)
  const [entries, setEntries] = useState<DeliveryEntry[]>([])
  /** The filters the entries shown were fetched with. */
  const [shownFor, setShownFor] = useState<DeliveryFilters>(filters)
  const [load, setLoad] = useState<Load>({ status: 'loading' })
  const [alarmError, setAlarmError] = useState(false)

  const fetchLog = async (refreshing: boolean) => {
    setLoad({ status: refreshing ? 'refreshing' : 'loading' })
    try {
      setEntries(await fetchDeliveries(filters, LIMIT))
      setShownFor(filters)
      setLoad({ status: 'idle' })
    } catch (error) {
      if (!(error instanceof ApiRequestError)) throw error
      setLoad({ status: 'error', failure: error.failure })
    }
  }
  useEffect(() => void fetchLog(false), [filters])

  const current = lang.value
  const time = (iso: string) => formatDateTime(iso, current, timeZone)
  const col = {
    at: t('deliveries.col.at'),
    alarm: t('deliveries.col.alarm'),
    event: t('deliveries.col.event'),
    channel: t('deliveries.col.channel'),
    target: t('deliveries.col.target'),
    step: t('deliveries.col.step'),
    status: t('deliveries.col.status'),
    attempts: t('deliveries.col.attempts'),
  }
  return (
    <section class="admin-screen" aria-labelledby="admin-title" data-testid="deliveries-screen">
      <div class="admin-head">
        <h1 id="admin-title" tabIndex={-1}>
          {t('deliveries.title')}
        </h1>
        <div class="form-actions">
          <button
            type="button"
            class="secondary"
            data-testid="deliveries-refresh"
            disabled={load.status === 'refreshing' || load.status === 'loading'}
            aria-busy={load.status === 'refreshing'}
            onClick={() => void fetchLog(true)}
          >
            {load.status === 'refreshing' && <span class="spinner" aria-hidden="true" />}
            {t('deliveries.refresh')}
          </button>
        </div>
      </div>
      <p class="muted">{t('deliveries.intro')}</p>
      <form
        class="filters"
        role="search"
        aria-label={t('deliveries.filters')}
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          const alarm = draft.alarm.trim()
          const bad = alarm !== '' && !/^[1-9]\d*$/.test(alarm)
          setAlarmError(bad)
          if (bad) return document.getElementById('deliveries-alarm')?.focus()
          setFilters({ ...draft })
        }}
      >
        <div class="field">
          <label for="deliveries-status">{t('deliveries.filter.status')}</label>
          <select id="deliveries-status" value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.currentTarget.value as DeliveryStatus | '' })}>
            <option value="">{t('deliveries.filter.allStatuses')}</option>
            {DELIVERY_STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(STATUS_LABEL[status])}
              </option>
            ))}
          </select>
        </div>
        <div class={`field${alarmError ? ' invalid' : ''}`}>
          <label for="deliveries-alarm">{t('deliveries.filter.alarm')}</label>
          <input
            id="deliveries-alarm"
            inputMode="numeric"
            autoComplete="off"
            value={draft.alarm}
            aria-invalid={alarmError ? 'true' : undefined}
            aria-describedby={alarmError ? 'deliveries-alarm-error' : undefined}
            onInput={(e) => setDraft({ ...draft, alarm: e.currentTarget.value })}
          />
          {alarmError && (
            <p class="field-error" id="deliveries-alarm-error">
              {t('deliveries.filter.alarmError')}
            </p>
          )}
        </div>
        <button type="submit" class="secondary filters-apply">
          {t('audit.filter.apply')}
        </button>
      </form>

      {load.status === 'error' && <ListLoadFailed failure={load.failure} onRetry={() => void fetchLog(entries.length > 0)} />}
      {load.status === 'loading' ? (
        <ListLoading text={t('deliveries.loading')} />
      ) : entries.length === 0 ? (
        load.status !== 'error' && <p data-testid="deliveries-empty">{t('deliveries.empty')}</p>
      ) : (
        <>
          <p class="muted" aria-live="polite">
            {t(entries.length >= LIMIT ? 'deliveries.countLimited' : 'deliveries.count', { count: entries.length })}
          </p>
          <table
            class="data-table deliveries-table stacking"
            data-testid="deliveries-table"
            data-filter-status={shownFor.status}
            data-filter-alarm={shownFor.alarm.trim()}
          >
            <thead>
              <tr>
                <th scope="col">{col.at}</th>
                <th scope="col">{col.alarm}</th>
                <th scope="col">{col.event}</th>
                <th scope="col">{col.channel}</th>
                <th scope="col">{col.target}</th>
                <th scope="col">{col.step}</th>
                <th scope="col">{col.status}</th>
                <th scope="col">{col.attempts}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id} data-delivery-id={entry.id} data-status={entry.status} data-channel={entry.channel}>
                  <td data-label={col.at}>
                    <span>
                      {time(entry.createdAt)}
                      {entry.status === 'pending' && <span class="cell-note">{t('deliveries.due', { time: time(entry.dueAt) })}</span>}
                      {entry.sentAt && <span class="cell-note">{t('deliveries.sentAt', { time: time(entry.sentAt) })}</span>}
                    </span>
                  </td>
                  <td data-label={col.alarm}>
                    <span>
                      <button
                        type="button"
                        class="link-button"
                        aria-label={t('deliveries.filterAlarm', { id: entry.alarmId })}
                        onClick={() => {
                          const next = { ...draft, alarm: String(entry.alarmId) }
                          setDraft(next)
                          setFilters(next)
                        }}
                      >
                        #{entry.alarmId}
                      </button>
                    </span>
                  </td>
                  <td data-label={col.event}>{t(EVENT_LABEL[entry.event])}</td>
                  <td data-label={col.channel}>{t(CHANNEL_LABEL[entry.channel])}</td>
                  <td data-label={col.target} class="detail-cell">
                    {entry.channel === 'escalation' ? t('deliveries.escalationTarget', { n: entry.step }) : entry.target}
                  </td>
                  <td data-label={col.step}>{entry.step === 0 ? t('deliveries.step.first') : t('deliveries.step.n', { n: entry.step })}</td>
                  <td data-label={col.status}>
                    <span>
                      <span class={`badge status-${entry.status}`}>{t(STATUS_LABEL[entry.status])}</span>
                    </span>
                  </td>
                  <td data-label={col.attempts} class="detail-cell">
                    {entry.attemptLog.length === 0 ? (
                      <span class="muted">{t('deliveries.noAttempts')}</span>
                    ) : (
                      <details class="attempts">
                        <summary>{t('deliveries.attempts', { count: entry.attempts })}</summary>
                        <ol>
                          {entry.attemptLog.map((attempt, i) => (
                            <li key={i} data-ok={String(attempt.ok)}>
                              <span class={attempt.ok ? 'attempt-ok' : 'attempt-failed'}>
                                <span aria-hidden="true">{attempt.ok ? '✓ ' : '✗ '}</span>
                                {t(attempt.ok ? 'deliveries.attempt.ok' : 'deliveries.attempt.failed')}
                              </span>{' '}
                              {time(attempt.at)} · {t('deliveries.attempt.duration', { ms: attempt.durationMs })}
                              {attempt.detail && <span class="attempt-detail">{attempt.detail}</span>}
                            </li>
                          ))}
                        </ol>
                      </details>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  )
}
