import type { ApiFailure } from '../api.ts'
import { t } from '../i18n/lang.ts'
import type { MessageKey } from '../i18n/messages.ts'

/**
 * A refused administration request in the user's words. `conflict` names what a 409 means where the
 * request was made (a username taken, the last admin); other statuses are worded the same everywhere.
 */
export function adminFailureText(failure: ApiFailure, conflict?: MessageKey): string {
  if (failure.kind === 'network') return t('error.network')
  if (failure.kind === 'parse') return t('error.parse', { path: failure.path })
  if (failure.status === 409 && conflict) return t(conflict)
  if (failure.status === 403) return t('common.forbidden')
  return t('common.saveError', { status: failure.status, message: failure.message })
}
