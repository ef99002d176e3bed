import type { ApiFailure } from '../api.ts'
import { t } from '../i18n/lang.ts'
import { failureText } from '../ui/load-error.tsx'

/** An admin list still loading, with what it is loading. */
export function ListLoading({ text }: { text: string }) {
  return (
    <p class="muted" role="status">
      <span class="spinner" aria-hidden="true" />
      {text}
    </p>
  )
}

/** An admin list that could not load: why, and a retry. */
export function ListLoadFailed({ failure, onRetry }: { failure: ApiFailure; onRetry: () => void }) {
  return (
    <div class="form-error" role="alert">
      <p>{t('common.loadError', { reason: failureText(failure) })}</p>
      <button type="button" class="secondary" onClick={onRetry}>
        {t('error.retry')}
      </button>
    </div>
  )
}
