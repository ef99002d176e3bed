import type { CurrentUser } from '@ioc/shared'
import { t } from '../i18n/lang.ts'
import { AuthLayout } from './auth-layout.tsx'
import { PasswordForm } from './password-form.tsx'
import { ONE_TIME_WORDING } from './password-rules.ts'
import type { Session } from './session.ts'

/**
 * Right after a first login (or a reset), the server refuses everything until the user picks their own
 * password. The one-time password typed at login is reused; it is asked again only after a reload.
 */
export function ChoosePasswordPage({ session, user }: { session: Session; user: CurrentUser }) {
  return (
    <AuthLayout title={t('password.title')}>
      <p>{t('password.intro', { name: user.fullName })}</p>
      <PasswordForm
        idPrefix="password"
        username={user.username}
        knownCurrent={session.oneTimePassword()}
        wording={ONE_TIME_WORDING}
        // On success this page gives way to the dashboard.
        onSubmit={(current, next) => session.changePassword(current, next)}
        actions={
          <button type="button" class="secondary" onClick={() => void session.logout()}>
            {t('user.logout')}
          </button>
        }
        testId="choose-password-form"
      />
    </AuthLayout>
  )
}
