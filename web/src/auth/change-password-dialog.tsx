import type { CurrentUser } from '@ioc/shared'
import { useEffect, useRef, useState } from 'preact/hooks'
import { t } from '../i18n/lang.ts'
import { PasswordForm } from './password-form.tsx'
import { OWN_WORDING } from './password-rules.ts'
import type { Session } from './session.ts'

interface ChangePasswordDialogProps {
  session: Session
  user: CurrentUser
  /** The dialog closed (Escape, cancel, or after the confirmation): the caller gives focus back. */
  onClose: () => void
}

/**
 * A logged-in user changes their own password. A modal `<dialog>`: the page behind it is inert, so
 * focus stays inside; Escape closes it. The session goes on with the CSRF token the server answers with.
 */
export function ChangePasswordDialog({ session, user, onClose }: ChangePasswordDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null)
  const [done, setDone] = useState(false)

  useEffect(() => {
    const element = dialog.current
    if (!element) return
    if (!element.open) element.showModal()
    element.querySelector<HTMLElement>('input:not([hidden])')?.focus()
    return () => {
      if (element.open) element.close()
    }
  }, [])

  // The confirmation replaces the form: its button takes the focus, so the message is read with it.
  useEffect(() => {
    if (done) dialog.current?.querySelector<HTMLElement>('[data-testid="change-password-close"]')?.focus()
  }, [done])

  const close = () => dialog.current?.close()

  return (
    <dialog
      ref={dialog}
      class="dialog"
      aria-labelledby="change-password-title"
      aria-describedby="change-password-intro"
      data-testid="change-password-dialog"
      // Escape (the browser's "cancel") and close() both end here.
      onClose={onClose}
      // Escape is for this dialog only, not also for the map's selection behind it.
      onKeyDown={(event) => {
        if (event.key === 'Escape') event.stopPropagation()
      }}
    >
      <h2 id="change-password-title">{t('changePassword.title')}</h2>
      {done ? (
        <>
          <p class="notice" id="change-password-intro" role="status" data-testid="change-password-done">
            {t('changePassword.done')}
          </p>
          <div class="form-actions">
            <button type="button" class="primary" data-testid="change-password-close" onClick={close}>
              {t('common.close')}
            </button>
          </div>
        </>
      ) : (
        <>
          <p class="muted" id="change-password-intro">
            {t('changePassword.intro')}
          </p>
          <PasswordForm
            idPrefix="change-password"
            username={user.username}
            wording={OWN_WORDING}
            onSubmit={async (current, next) => {
              const failure = await session.changePassword(current, next)
              if (!failure) setDone(true)
              return failure
            }}
            actions={
              <button type="button" class="secondary" onClick={close}>
                {t('common.cancel')}
              </button>
            }
            testId="change-password-form"
          />
        </>
      )}
    </dialog>
  )
}
