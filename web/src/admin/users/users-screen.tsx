import { Permission, ROLES, type AreaCollection, type CurrentUser, type ImportReport, type Role, type UserView, type UserWithPassword } from '@ioc/shared'
import { useEffect, useMemo, useState } from 'preact/hooks'
import { hasPermission } from '../../auth/permissions.ts'
import { ROLE_LABEL } from '../../auth/roles.ts'
import { areaName as areaNameIn } from '../../city.ts'
import { lang, t } from '../../i18n/lang.ts'
import { translate } from '../../i18n/translate.ts'
import { ListLoadFailed, ListLoading } from '../load-state.tsx'
import { areaOptions } from '../area-options.ts'
import { AccountPanel } from './account-panel.tsx'
import { CredentialsCard } from './credentials-card.tsx'
import type { Credential } from './credentials-csv.ts'
import { ImportPanel } from './import-panel.tsx'
import { filterUsers, NO_FILTER, type UserFilter } from './user-filter.ts'
import { UserForm } from './user-form.tsx'
import { createUsersModel } from './users-model.ts'
import { UsersTable } from './users-table.tsx'

type Panel = { kind: 'create' } | { kind: 'import' } | { kind: 'edit'; userId: number } | null

interface UsersScreenProps {
  areas: AreaCollection | null
  timeZone: string
  /** Who is administering: their permissions decide whether contact settings can be set. */
  user: CurrentUser
}

/** Accounts administration: the list with its filters, and the panels to create, edit and import. */
export function UsersScreen({ areas, timeZone, user: admin }: UsersScreenProps) {
  const model = useMemo(() => createUsersModel(), [])
  const [filter, setFilter] = useState<UserFilter>(NO_FILTER)
  const [panel, setPanel] = useState<Panel>(null)
  const [notice, setNotice] = useState('')
  const [credentials, setCredentials] = useState<Credential[]>([])
  useEffect(() => void model.refresh(), [model])

  const current = lang.value
  const options = areaOptions(areas, current)
  const areaName = (id: string) => areaNameIn(areas, id, current)
  // The sheet handed to people is in Vietnamese, whatever language the admin reads the screen in.
  const credentialOf = (user: { username: string; fullName: string; role: Role; areaId: string | null }, password: string): Credential => ({
    username: user.username,
    fullName: user.fullName,
    role: translate('vi', ROLE_LABEL[user.role]),
    area: user.areaId ? areaNameIn(areas, user.areaId, 'vi') : '',
    password,
  })

  const load = model.load.value
  const all = model.users.value
  const shown = filterUsers(all, filter)
  const editing = panel?.kind === 'edit' ? all.find((u) => u.id === panel.userId) ?? null : null

  const created = ({ user, temporaryPassword }: UserWithPassword) => {
    model.put(user)
    setPanel(null)
    setNotice(t('users.done.created', { username: user.username }))
    if (temporaryPassword) setCredentials([credentialOf(user, temporaryPassword)])
  }
  const saved = (user: UserView, text: string) => {
    model.put(user)
    setNotice(text)
  }
  const reset = ({ user, temporaryPassword }: UserWithPassword) => {
    model.put(user)
    setNotice(t('users.done.reset', { username: user.username }))
    if (temporaryPassword) setCredentials([credentialOf(user, temporaryPassword)])
  }
  const imported = (report: ImportReport) => {
    void model.refresh()
    const rows = report.created.filter((row) => row.temporaryPassword)
    setCredentials(rows.map((row) => credentialOf(row, row.temporaryPassword ?? '')))
  }

  return (
    <section class="admin-screen" aria-labelledby="admin-title" data-testid="users-screen">
      <div class="admin-head">
        <h1 id="admin-title" tabIndex={-1}>
          {t('users.title')}
        </h1>
        <div class="form-actions">
          <button type="button" class="primary" data-testid="user-create" aria-expanded={panel?.kind === 'create'} onClick={() => setPanel({ kind: 'create' })}>
            {t('users.create')}
          </button>
          <button type="button" class="secondary" data-testid="user-import" aria-expanded={panel?.kind === 'import'} onClick={() => setPanel({ kind: 'import' })}>
            {t('users.import')}
          </button>
        </div>
      </div>
      <p class="notice" role="status" data-testid="users-notice" hidden={!notice}>
        {notice}
      </p>
      {credentials.length > 0 && <CredentialsCard credentials={credentials} timeZone={timeZone} onDismiss={() => setCredentials([])} />}
      {panel?.kind === 'create' && (
        <section class="panel admin-panel" aria-labelledby="create-title">
          <h2 id="create-title">{t('userForm.createTitle')}</h2>
          <UserForm mode="create" areas={options} onCreated={created} onCancel={() => setPanel(null)} />
        </section>
      )}
      {panel?.kind === 'import' && <ImportPanel areaName={areaName} onImported={imported} onClose={() => setPanel(null)} />}
      {editing && (
        <AccountPanel
          key={editing.id}
          user={editing}
          areas={options}
          contact={hasPermission(admin, Permission.notificationManage)}
          onSaved={saved}
          onContactSaved={setNotice}
          onReset={reset}
          onClose={() => setPanel(null)}
        />
      )}

      <form class="filters" role="search" aria-label={t('users.filters')} onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="users-filter-text">{t('users.filter.text')}</label>
          <input id="users-filter-text" type="search" value={filter.text} onInput={(e) => setFilter({ ...filter, text: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="users-filter-role">{t('users.filter.role')}</label>
          <select id="users-filter-role" value={filter.role} onChange={(e) => setFilter({ ...filter, role: e.currentTarget.value as Role | '' })}>
            <option value="">{t('users.filter.allRoles')}</option>
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {t(ROLE_LABEL[role])}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="users-filter-area">{t('users.filter.area')}</label>
          <select id="users-filter-area" value={filter.areaId} onChange={(e) => setFilter({ ...filter, areaId: e.currentTarget.value })}>
            <option value="">{t('users.filter.allAreas')}</option>
            {options.map((area) => (
              <option key={area.id} value={area.id}>
                {area.name}
              </option>
            ))}
          </select>
        </div>
      </form>

      {load.status === 'loading' && <ListLoading text={t('users.loading')} />}
      {load.status === 'error' && <ListLoadFailed failure={load.failure} onRetry={() => void model.refresh()} />}
      {load.status === 'ready' && (
        <>
          <p class="muted" aria-live="polite">
            {t('users.count', { shown: shown.length, total: all.length })}
          </p>
          {shown.length === 0 ? (
            <p>{t('users.empty')}</p>
          ) : (
            <UsersTable users={shown} editing={editing?.id ?? null} areaName={areaName} timeZone={timeZone} onEdit={(user) => setPanel({ kind: 'edit', userId: user.id })} />
          )}
        </>
      )}
    </section>
  )
}
