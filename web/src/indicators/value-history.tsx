import { useEffect, useState } from 'preact/hooks'
import type { IndicatorChange, IndicatorDef } from '@ioc/shared'
import { ApiRequestError } from '../api.ts'
import { formatDateTime } from '../i18n/format.ts'
import { lang, t } from '../i18n/lang.ts'
import { indicatorApi } from './indicator-api.ts'
import { formatIndicatorValue } from './indicator-format.ts'

interface ValueHistoryProps {
  def: IndicatorDef
  areaId: string
  period: string
  /** The value's current version: a new one (a save, a live update) fetches the history again. */
  version: number
  timeZone: string
}

/** Every value the period has had, newest first: what it became, from what, who, when and why. */
export function ValueHistory({ def, areaId, period, version, timeZone }: ValueHistoryProps) {
  const [history, setHistory] = useState<IndicatorChange[] | null>(null)
  const [failed, setFailed] = useState(false)

  useEffect(() => {
    const controller = new AbortController()
    setFailed(false)
    indicatorApi
      .history(areaId, def.key, period, controller.signal)
      .then((changes) => !controller.signal.aborted && setHistory(changes))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return
        // No value yet is no history yet.
        if (error instanceof ApiRequestError && error.failure.kind === 'http' && error.failure.status === 404) return setHistory([])
        if (!(error instanceof ApiRequestError)) console.error('indicator history failed', error)
        setFailed(true)
      })
    return () => controller.abort()
  }, [areaId, def.key, period, version])

  const current = lang.value
  const format = (value: number) => formatIndicatorValue(value, def.unit, current)
  return (
    <section class="indicator-history" aria-labelledby="indicator-history-title" data-testid="indicator-history" data-count={history?.length ?? 0}>
      <h3 id="indicator-history-title">{t('indicators.history')}</h3>
      {failed ? (
        <p role="alert">{t('indicators.historyError')}</p>
      ) : history === null ? (
        <p role="status" class="muted">
          <span class="spinner" aria-hidden="true" />
          {t('app.loading')}
        </p>
      ) : history.length === 0 ? (
        <p class="muted">{t('indicators.historyEmpty')}</p>
      ) : (
        <ol class="change-list">
          {history.map((change) => (
            <li key={change.version} data-version={change.version}>
              <span class="change-value">{change.previous === null ? format(change.value) : t('indicators.historyChange', { previous: format(change.previous), value: format(change.value) })}</span>
              <span class="muted">{t('indicators.historyBy', { by: change.by, time: formatDateTime(change.at, current, timeZone) })}</span>
              {change.note && <span class="change-note">{change.note}</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}
