import { useEffect, useRef, useState } from 'preact/hooks'
import { t } from '../../i18n/lang.ts'
import { credentialsCsv, credentialsFileName, downloadFile, type Credential } from './credentials-csv.ts'

interface CredentialsCardProps {
  credentials: readonly Credential[]
  timeZone: string
  onDismiss: () => void
}

/**
 * The one-time passwords the server just made, shown this once: each with a copy button, all of them
 * as a CSV to download. Focus moves here so a screen-reader user hears that there is something to keep.
 */
export function CredentialsCard({ credentials, timeZone, onDismiss }: CredentialsCardProps) {
  const heading = useRef<HTMLHeadingElement>(null)
  const [status, setStatus] = useState('')
  useEffect(() => heading.current?.focus(), [credentials])

  const copy = async (credential: Credential) => {
    try {
      await navigator.clipboard.writeText(credential.password)
      setStatus(t('credentials.copied', { username: credential.username }))
    } catch {
      setStatus(t('credentials.copyFailed'))
    }
  }

  return (
    <section class="panel credentials" aria-labelledby="credentials-title" data-testid="credentials">
      <h2 id="credentials-title" ref={heading} tabIndex={-1}>
        {t('credentials.title')}
      </h2>
      <p class="warning-text">{t('credentials.warning')}</p>
      <ul class="credential-list">
        {credentials.map((credential) => (
          <li key={credential.username} data-username={credential.username}>
            <span class="credential-who">
              <strong>{credential.username}</strong> <span class="muted">{credential.fullName}</span>
            </span>
            <code class="credential-password" data-testid="one-time-password">
              {credential.password}
            </code>
            <button
              type="button"
              class="secondary small"
              aria-label={t('credentials.copyOf', { username: credential.username })}
              onClick={() => void copy(credential)}
            >
              {t('credentials.copy')}
            </button>
          </li>
        ))}
      </ul>
      <p class="muted" role="status">
        {status}
      </p>
      <div class="form-actions">
        <button
          type="button"
          class="primary"
          onClick={() => downloadFile(credentialsFileName(new Date(), timeZone), credentialsCsv(credentials))}
        >
          {t('credentials.download')}
        </button>
        <button type="button" class="secondary" onClick={onDismiss}>
          {t('credentials.dismiss')}
        </button>
      </div>
    </section>
  )
}
