import type { ApiFailure } from '../api.ts'
import { t } from '../i18n/lang.ts'

/** Why a request failed, in the user's words. */
export function failureText(failure: ApiFailure): string {
  switch (failure.kind) {
    case 'network':
      return t('error.network')
    case 'http':
      return t('error.http', { status: failure.status, path: failure.path, message: failure.message })
    case 'parse':
      return t('error.parse', { path: failure.path })
  }
}

export function LoadError({ failure, onRetry }: { failure: ApiFailure; onRetry: () => void }) {
  return (
    <div class="state-message" role="alert" data-testid="load-error">
      <h2>{t('error.title')}</h2>
      <p>{failureText(failure)}</p>
      <button type="button" class="primary" onClick={onRetry}>
        {t('error.retry')}
      </button>
    </div>
  )
}
