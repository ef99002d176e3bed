import type { UserView, UserWithPassword } from '@ioc/shared'
import { useEffect, useRef, useState } from 'preact/hooks'
import { ApiRequestError } from '../../api.ts'
import { t } from '../../i18n/lang.ts'
import { Confirm } from '../../ui/confirm.tsx'
import { usersApi } from '../admin-api.ts'
import { adminFailureText } from '../admin-errors.ts'
import type { AreaOption } from '../area-options.ts'
import { AccountContact } from './account-contact.tsx'
import { UserForm } from './user-form.tsx'

interface AccountPanelProps {
  user: UserView
  areas: readonly AreaOption[]
  /** Whether this admin may set the account's contact settings and groups (`notification:manage`). */
  contact: boolean
  onSaved: (user: UserView, notice: string) => void
  /** The contact settings were saved. */
  onContactSaved: (notice: string) => void
  onReset: (result: UserWithPassword) => void
  onClose: () => void
}

type Pending = 'toggle' | 'reset' | null

/** One account being edited: its details, disabling or enabling it, resetting its password, and its contact settings for notifications. */
export function AccountPanel({ user, areas, contact, onSaved, onContactSaved, onReset, onClose }: AccountPanelProps) {
  const heading = useRef<HTMLHeadingElement>(null)
  const [asking, setAsking] = useState<'toggle' | 'reset' | null>(null)
  const [pending, setPending] = useState<Pending>(null)
  const [refusal, setRefusal] = useState<string | null>(null)
  useEffect(() => heading.current?.focus(), [user.id])

  const run = async (action: 'toggle' | 'reset') => {
    setPending(action)
    setRefusal(null)
    try {
      if (action === 'reset') {
        onReset(await usersApi.resetPassword(user.id))
      } else {
        const { user: saved } = await usersApi.update(user.id, { disabled: !user.disabled })
        onSaved(saved, t(saved.disabled ? 'users.done.disabled' : 'users.done.enabled', { username: saved.username }))
      }
      setAsking(null)
    } catch (error) {
      if (!(error instanceof ApiRequestError)) throw error
      setRefusal(adminFailureText(error.failure, 'users.error.lastAdmin'))
    } finally {
      setPending(null)
    }
  }

  return (
    <section class="panel admin-panel" aria-labelledby="account-title" data-testid="account-panel">
      <div class="detail-head">
        <h2 id="account-title" ref={heading} tabIndex={-1}>
          {t('userForm.editTitle', { username: user.username })}
        </h2>
        <button type="button" class="close" aria-label={t('common.close')} onClick={onClose}>
          ×
        </button>
      </div>
      <UserForm
        key={user.id}
        mode="edit"
        user={user}
        areas={areas}
        onSaved={(saved) => onSaved(saved, t('users.done.saved', { username: saved.username }))}
        onCancel={onClose}
      />
      <div class="account-actions">
        {refusal && (
          <p class="form-error" role="alert">
            {refusal}
          </p>
        )}
        {asking === 'toggle' ? (
          <Confirm
            question={t(user.disabled ? 'users.confirmEnable' : 'users.confirmDisable', { username: user.username })}
            confirmLabel={t(user.disabled ? 'users.enable' : 'users.disable')}
            pending={pending === 'toggle'}
            onConfirm={() => void run('toggle')}
            onCancel={() => setAsking(null)}
          />
        ) : asking === 'reset' ? (
          <Confirm
            question={t('users.confirmReset', { username: user.username })}
            confirmLabel={t('users.resetPassword')}
            pending={pending === 'reset'}
            onConfirm={() => void run('reset')}
            onCancel={() => setAsking(null)}
          />
        ) : (
          <div class="form-actions">
            <button type="button" class="secondary" data-testid="toggle-disabled" onClick={() => setAsking('toggle')}>
              {t(user.disabled ? 'users.enable' : 'users.disable')}
            </button>
            <button type="button" class="secondary" data-testid="reset-password" onClick={() => setAsking('reset')}>
              {t('users.resetPassword')}
            </button>
          </div>
        )}
      </div>
      {contact && <AccountContact user={user} onSaved={onContactSaved} />}
    </section>
  )
}
