import { lazyPage } from '../ui/lazy-page.tsx'

/** The admin screens, loaded on first use: only administrators need them, so no one else downloads them. */
export const LazyAdminPage = lazyPage(() => import('./admin-page.tsx').then((module) => module.AdminPage), { path: 'admin', loading: 'app.loading' })
