import { useEffect, useState } from 'preact/hooks'
import { t } from '../i18n/lang.ts'
import { LoadError } from '../ui/load-error.tsx'
import type { AdminPage as AdminPageComponent, AdminPageProps } from './admin-page.tsx'

let adminModule: Promise<typeof AdminPageComponent> | null = null

/** The admin screens, loaded on first use: only administrators need them, so no one else downloads them. */
function loadAdminPage(): Promise<typeof AdminPageComponent> {
  adminModule ??= import('./admin-page.tsx').then(
    (module) => module.AdminPage,
    (error: unknown) => {
      // A failed download is tried again on the next retry.
      adminModule = null
      throw error
    },
  )
  return adminModule
}

export function LazyAdminPage(props: AdminPageProps) {
  const [Page, setPage] = useState<typeof AdminPageComponent | null>(null)
  const [failed, setFailed] = useState(false)
  const [attempt, setAttempt] = useState(0)
  useEffect(() => {
    let current = true
    loadAdminPage().then(
      (loaded) => current && setPage(() => loaded),
      () => current && setFailed(true),
    )
    return () => {
      current = false
    }
  }, [attempt])
  if (Page) return <Page {...props} />
  if (failed) {
    return (
      <LoadError
        failure={{ kind: 'network', path: 'admin' }}
        onRetry={() => {
          setFailed(false)
          setAttempt((n) => n + 1)
        }}
      />
    )
  }
  return (
    <div class="state-message" role="status" data-testid="loading">
      <span class="spinner" aria-hidden="true" />
      {t('app.loading')}
    </div>
  )
}
