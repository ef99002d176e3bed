import type { UserView } from '@ioc/shared'
import { ROLE_LABEL } from '../../auth/roles.ts'
import { formatDateTime } from '../../i18n/format.ts'
import { lang, t } from '../../i18n/lang.ts'

interface UsersTableProps {
  users: readonly UserView[]
  editing: number | null
  areaName: (id: string) => string
  timeZone: string
  onEdit: (user: UserView) => void
}

/** The accounts as a table; on a phone each row becomes a card (the cells carry their column's name). */
export function UsersTable({ users, editing, areaName, timeZone, onEdit }: UsersTableProps) {
  const col = {
    username: t('users.col.username'),
    fullName: t('users.col.fullName'),
    role: t('users.col.role'),
    area: t('users.col.area'),
    status: t('users.col.status'),
    lastLogin: t('users.col.lastLogin'),
    actions: t('users.col.actions'),
  }
  return (
    <table class="data-table users-table stacking" data-testid="users-table">
      <thead>
        <tr>
          <th scope="col">{col.username}</th>
          <th scope="col">{col.fullName}</th>
          <th scope="col">{col.role}</th>
          <th scope="col">{col.area}</th>
          <th scope="col">{col.status}</th>
          <th scope="col">{col.lastLogin}</th>
          <th scope="col">
            <span class="visually-hidden">{col.actions}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {users.map((user) => (
          <tr key={user.id} data-username={user.username} data-disabled={String(user.disabled)} aria-current={editing === user.id ? 'true' : undefined}>
            <th scope="row" data-label={col.username}>
              {user.username}
            </th>
            <td data-label={col.fullName}>{user.fullName}</td>
            <td data-label={col.role}>{t(ROLE_LABEL[user.role])}</td>
            <td data-label={col.area}>{user.areaId ? areaName(user.areaId) : '—'}</td>
            <td data-label={col.status}>
              <span>
                <span class={`badge ${user.disabled ? 'badge-off' : 'badge-on'}`}>
                  {t(user.disabled ? 'users.status.disabled' : 'users.status.active')}
                </span>
                {user.mustChangePassword && !user.disabled && <span class="badge badge-wait">{t('users.status.mustChange')}</span>}
              </span>
            </td>
            <td data-label={col.lastLogin}>{user.lastLoginAt ? formatDateTime(user.lastLoginAt, lang.value, timeZone) : t('users.never')}</td>
            <td class="row-actions">
              <button type="button" class="secondary small" aria-label={t('users.editOf', { username: user.username })} onClick={() => onEdit(user)}>
                {t('users.edit')}
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
