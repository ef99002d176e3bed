import { useEffect, useRef, useState } from 'preact/hooks'
import { t } from '../../i18n/lang.ts'
import type { CreatedWebhook } from './notifications-api.ts'

/**
 * A new webhook's signing secret, shown this once with a copy button: the receiver needs it to check
 * `X-IOC-Signature`, and the IOC never shows it again. Focus moves here so it is not missed.
 */
export function SecretCard({ webhook, onDismiss }: { webhook: CreatedWebhook; onDismiss: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null)
  const [status, setStatus] = useState('')
  useEffect(() => heading.current?.focus(), [webhook.id])

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(webhook.secret)
      setStatus(t('secret.copied'))
    } catch {
      setStatus(t('credentials.copyFailed'))
    }
  }

  return (
    <section class="panel credentials" aria-labelledby="secret-title" data-testid="webhook-secret">
      <h2 id="secret-title" ref={heading} tabIndex={-1}>
        {t('secret.title', { name: webhook.name })}
      </h2>
      <p class="warning-text">{t('secret.warning')}</p>
      <ul class="credential-list">
        <li>
          <span class="credential-who">
            <strong>{webhook.name}</strong> <span class="muted">{webhook.url}</span>
          </span>
          <code class="credential-password" data-testid="webhook-secret-value">
            {webhook.secret}
          </code>
          <button type="button" class="secondary small" onClick={() => void copy()}>
            {t('secret.copy')}
          </button>
        </li>
      </ul>
      <p class="muted small-text">{t('secret.howTo')}</p>
      <p class="muted" role="status">
        {status}
      </p>
      <div class="form-actions">
        <button type="button" class="secondary" data-testid="webhook-secret-dismiss" onClick={onDismiss}>
          {t('secret.dismiss')}
        </button>
      </div>
    </section>
  )
}
