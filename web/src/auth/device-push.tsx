import { useEffect, useState } from 'preact/hooks'
import { ApiRequestError } from '../api.ts'
import { adminFailureText } from '../admin/admin-errors.ts'
import { t } from '../i18n/lang.ts'
import { devicePushState, disableDevicePush, DevicePushError, enableDevicePush, type DevicePushState } from './device-push.ts'

/** "Notifications on this device": on or off for this browser or phone, with what stopped it if anything did. */
export function DevicePush() {
  const [state, setState] = useState<DevicePushState | null>(null)
  const [pending, setPending] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)

  useEffect(() => {
    devicePushState().then(setState, () => setState('unsupported'))
  }, [])

  const run = async (action: () => Promise<void>) => {
    setPending(true)
    setProblem(null)
    try {
      await action()
    } catch (error) {
      if (error instanceof DevicePushError) setProblem(t(error.key))
      else if (error instanceof ApiRequestError) setProblem(adminFailureText(error.failure))
      else throw error
    } finally {
      setState(await devicePushState().catch(() => 'unsupported' as const))
      setPending(false)
    }
  }

  return (
    <section class="device-push" aria-labelledby="device-push-title" data-testid="device-push">
      <h3 id="device-push-title">{t('push.title')}</h3>
      <p class="muted">{t('push.intro')}</p>
      {state === null && (
        <p class="muted" role="status">
          <span class="spinner" aria-hidden="true" />
          {t('push.checking')}
        </p>
      )}
      {state === 'unsupported' && <p class="muted">{t('push.unsupported')}</p>}
      {state === 'blocked' && <p class="muted">{t('push.blocked')}</p>}
      {(state === 'on' || state === 'off') && (
        <div class="form-actions">
          <span role="status" data-testid="device-push-state">
            {t(state === 'on' ? 'push.on' : 'push.off')}
          </span>
          <button type="button" class="secondary" disabled={pending} aria-busy={pending} onClick={() => void run(state === 'on' ? disableDevicePush : enableDevicePush)}>
            {pending && <span class="spinner" aria-hidden="true" />}
            {t(pending ? 'push.working' : state === 'on' ? 'push.disable' : 'push.enable')}
          </button>
        </div>
      )}
      {problem && (
        <p class="form-error" role="alert" data-testid="device-push-problem">
          {problem}
        </p>
      )}
    </section>
  )
}
