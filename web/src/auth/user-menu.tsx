import { Permission, type AreaCollection, type CurrentUser } from '@ioc/shared'
import { useEffect, useRef, useState } from 'preact/hooks'
import { areaName } from '../city.ts'
import { lang, t } from '../i18n/lang.ts'
import { ADMIN_SCREEN_LABEL } from '../admin/screen-labels.ts'
import { adminScreens, routeHref, type Route } from '../route.ts'
import { ChangePasswordDialog } from './change-password-dialog.tsx'
import { ContactDialog } from './contact-dialog.tsx'
import { initials } from './initials.ts'
import { hasPermission } from './permissions.ts'
import { ROLE_LABEL } from './roles.ts'
import type { Session } from './session.ts'

interface UserMenuProps {
  user: CurrentUser
  areas: AreaCollection | null
  route: Route
  session: Session
}

/**
 * Who is logged in (name, role in words, area for area staff), the screens their permissions open,
 * one's contact settings for notifications, changing one's password, and logout. A disclosure button:
 * Escape or a click elsewhere closes it, focus returns to the button (also when a dialog closes).
 */
export function UserMenu({ user, areas, route, session }: UserMenuProps) {
  const [open, setOpen] = useState(false)
  const [leaving, setLeaving] = useState(false)
  const [changingPassword, setChangingPassword] = useState(false)
  const [editingContact, setEditingContact] = useState(false)
  const root = useRef<HTMLDivElement>(null)
  const toggle = useRef<HTMLButtonElement>(null)
  const role = t(ROLE_LABEL[user.role])
  const area = user.areaId ? areaName(areas, user.areaId, lang.value) : null
  const screens = adminScreens(user)
  const indicators = hasPermission(user, Permission.indicatorRead)
  const report = hasPermission(user, Permission.healthRead)

  useEffect(() => {
    if (!open) return
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return
      event.stopPropagation()
      setOpen(false)
      toggle.current?.focus()
    }
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false)
    }
    document.addEventListener('keydown', onKey, true)
    document.addEventListener('pointerdown', onPointer)
    return () => {
      document.removeEventListener('keydown', onKey, true)
      document.removeEventListener('pointerdown', onPointer)
    }
  }, [open])

  const logout = async () => {
    setLeaving(true)
    await session.logout()
  }

  return (
    <div class="user-menu" ref={root} data-testid="user-menu" data-role={user.role}>
      <button
        ref={toggle}
        type="button"
        class="user-toggle"
        aria-expanded={open}
        aria-controls="user-menu-panel"
        aria-label={t('user.menu', { name: user.fullName })}
        onClick={() => setOpen(!open)}
      >
        <span class="user-avatar" aria-hidden="true">
          {initials(user.fullName)}
        </span>
        <span class="user-who">
          <span class="user-name" data-testid="user-name">
            {user.fullName}
          </span>
          <span class="user-role" data-testid="user-role">
            {role}
          </span>
        </span>
        <span class="user-caret" aria-hidden="true" />
      </button>
      <div class="user-panel" id="user-menu-panel" hidden={!open}>
        <p class="user-panel-name">{user.fullName}</p>
        <p class="muted">
          {user.username} · {role}
        </p>
        {area && (
          <p class="muted" data-testid="user-area">
            {t('user.area', { area })}
          </p>
        )}
        {(screens.length > 0 || indicators || report) && (
          <nav aria-label={t(screens.length > 0 ? 'nav.admin' : 'nav.screens')}>
            <ul class="user-links">
              <li>
                <a href={routeHref({ kind: 'map' })} aria-current={route.kind === 'map' ? 'page' : undefined} onClick={() => setOpen(false)}>
                  {t('nav.map')}
                </a>
              </li>
              {indicators && (
                <li>
                  <a
                    href={routeHref({ kind: 'indicators' })}
                    data-testid="nav-indicators"
                    aria-current={route.kind === 'indicators' ? 'page' : undefined}
                    onClick={() => setOpen(false)}
                  >
                    {t('nav.indicators')}
                  </a>
                </li>
              )}
              {report && (
                <li>
                  <a href={routeHref({ kind: 'report' })} data-testid="nav-report" aria-current={route.kind === 'report' ? 'page' : undefined} onClick={() => setOpen(false)}>
                    {t('nav.report')}
                  </a>
                </li>
              )}
              {screens.map((screen) => (
                <li key={screen}>
                  <a
                    href={routeHref({ kind: 'admin', screen })}
                    data-testid={`nav-${screen}`}
                    aria-current={route.kind === 'admin' && route.screen === screen ? 'page' : undefined}
                    onClick={() => setOpen(false)}
                  >
                    {t(ADMIN_SCREEN_LABEL[screen])}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <button
          type="button"
          class="secondary user-action"
          data-testid="contact-settings"
          aria-haspopup="dialog"
          onClick={() => {
            setOpen(false)
            setEditingContact(true)
          }}
        >
          {t('contact.open')}
        </button>
        <button
          type="button"
          class="secondary user-action"
          data-testid="change-password"
          aria-haspopup="dialog"
          onClick={() => {
            setOpen(false)
            setChangingPassword(true)
          }}
        >
          {t('changePassword.open')}
        </button>
        <button type="button" class="secondary logout" data-testid="logout" disabled={leaving} onClick={() => void logout()}>
          {leaving ? t('user.loggingOut') : t('user.logout')}
        </button>
      </div>
      {editingContact && (
        <ContactDialog
          onClose={() => {
            setEditingContact(false)
            toggle.current?.focus()
          }}
        />
      )}
      {changingPassword && (
        <ChangePasswordDialog
          session={session}
          user={user}
          onClose={() => {
            setChangingPassword(false)
            toggle.current?.focus()
          }}
        />
      )}
    </div>
  )
}

