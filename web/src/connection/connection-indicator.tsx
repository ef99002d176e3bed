import type { MessageKey } from '../i18n/messages.ts'
import { t } from '../i18n/lang.ts'
import type { ConnectionState } from '../store.ts'

const LABEL: Record<ConnectionState, MessageKey> = {
  connected: 'connection.connected',
  connecting: 'connection.connecting',
  reconnecting: 'connection.reconnecting',
  disconnected: 'connection.disconnected',
}

/** What tests and styles see: reconnecting is a kind of connecting. */
const TEST_STATE: Record<ConnectionState, 'connected' | 'connecting' | 'disconnected'> = {
  connected: 'connected',
  connecting: 'connecting',
  reconnecting: 'connecting',
  disconnected: 'disconnected',
}

export function ConnectionIndicator({ state }: { state: ConnectionState }) {
  return (
    <p class="connection" data-testid="connection" data-state={TEST_STATE[state]} role="status" title={t('connection.label')}>
      <span class="connection-dot" aria-hidden="true" />
      {t(LABEL[state])}
    </p>
  )
}
