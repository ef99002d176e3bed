import { AUDIT_ACTIONS, type AuditAction, type AuditEntry } from '@ioc/shared'
import { useEffect, useState } from 'preact/hooks'
import { ApiRequestError, type ApiFailure } from '../../api.ts'
import { AUDIT_ACTION_LABEL } from '../../auth/roles.ts'
import { formatDateTime } from '../../i18n/format.ts'
import { lang, t } from '../../i18n/lang.ts'
import { ListLoadFailed, ListLoading } from '../load-state.tsx'
import { fetchAudit, type AuditFilters } from '../admin-api.ts'
import { appendPage, detailText, nextBefore } from './audit-log.ts'

const PAGE_SIZE = 50

type Load = { status: 'idle' | 'loading' | 'more' } | { status: 'error'; failure: ApiFailure }

/** The audit log, newest first, filtered by action and by who acted, a page at a time. */
export function AuditScreen({ timeZone }: { timeZone: string }) {
  const [draft, setDraft] = useState<AuditFilters>({ action: '', actor: '' })
  const [filters, setFilters] = useState<AuditFilters>(draft)
  const [entries, setEntries] = useState<AuditEntry[]>([])
  const [complete, setComplete] = useState(false)
  const [load, setLoad] = useState<Load>({ status: 'loading' })

  const fetchPage = async (more: boolean) => {
    setLoad({ status: more ? 'more' : 'loading' })
    try {
      const { entries: page } = await fetchAudit(filters, more ? nextBefore(entries) : undefined, PAGE_SIZE)
      setEntries(more ? appendPage(entries, page) : page)
      setComplete(page.length < PAGE_SIZE)
      setLoad({ status: 'idle' })
    } catch (error) {
      if (!(error instanceof ApiRequestError)) throw error
      setLoad({ status: 'error', failure: error.failure })
    }
  }
  useEffect(() => void fetchPage(false), [filters])

  const current = lang.value
  return (
    <section class="admin-screen" aria-labelledby="admin-title" data-testid="audit-screen">
      <div class="admin-head">
        <h1 id="admin-title" tabIndex={-1}>
          {t('audit.title')}
        </h1>
      </div>
      <form
        class="filters"
        role="search"
        aria-label={t('audit.filters')}
        onSubmit={(e) => {
          e.preventDefault()
          setFilters({ ...draft })
        }}
      >
        <div class="field">
          <label for="audit-action">{t('audit.filter.action')}</label>
          <select id="audit-action" value={draft.action} onChange={(e) => setDraft({ ...draft, action: e.currentTarget.value as AuditAction | '' })}>
            <option value="">{t('audit.filter.allActions')}</option>
            {AUDIT_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {t(AUDIT_ACTION_LABEL[action])}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="audit-actor">{t('audit.filter.actor')}</label>
          <input id="audit-actor" type="search" autoCapitalize="none" spellcheck={false} value={draft.actor} onInput={(e) => setDraft({ ...draft, actor: e.currentTarget.value })} />
        </div>
        <button type="submit" class="secondary filters-apply">
          {t('audit.filter.apply')}
        </button>
      </form>

      {load.status === 'error' && <ListLoadFailed failure={load.failure} onRetry={() => void fetchPage(entries.length > 0)} />}
      {load.status === 'loading' ? (
        <ListLoading text={t('audit.loading')} />
      ) : entries.length === 0 ? (
        load.status !== 'error' && <p>{t('audit.empty')}</p>
      ) : (
        <table class="data-table audit-table stacking" data-testid="audit-table">
          <thead>
            <tr>
              <th scope="col">{t('audit.col.at')}</th>
              <th scope="col">{t('audit.col.actor')}</th>
              <th scope="col">{t('audit.col.action')}</th>
              <th scope="col">{t('audit.col.target')}</th>
              <th scope="col">{t('audit.col.ip')}</th>
              <th scope="col">{t('audit.col.detail')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id} data-action={entry.action}>
                <td data-label={t('audit.col.at')}>{formatDateTime(entry.at, current, timeZone)}</td>
                <td data-label={t('audit.col.actor')}><span>{entry.actor ?? <span class="muted">{t('audit.anonymous')}</span>}</span></td>
                <td data-label={t('audit.col.action')}>{t(AUDIT_ACTION_LABEL[entry.action])}</td>
                <td data-label={t('audit.col.target')}>{entry.target ?? '—'}</td>
                <td data-label={t('audit.col.ip')}>{entry.ip ?? '—'}</td>
                <td data-label={t('audit.col.detail')} class="detail-cell">
                  {detailText(entry.detail)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {entries.length > 0 &&
        (complete ? (
          <p class="muted">{t('audit.end')}</p>
        ) : (
          <button type="button" class="secondary" disabled={load.status === 'more'} aria-busy={load.status === 'more'} onClick={() => void fetchPage(true)} data-testid="audit-more">
            {load.status === 'more' && <span class="spinner" aria-hidden="true" />}
            {load.status === 'more' ? t('audit.loading') : t('audit.loadMore')}
          </button>
        ))}
    </section>
  )
}
